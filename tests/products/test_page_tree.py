import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from producers.models import ProducerIndexPage, ProducerPage
from products.models import ProductIndexPage, ProductPage
from showcase.models import CommuneHomePage, ShowcaseHomePage
from tests.admin_form_data import new_product_form_data


class PageTreeRulesTests(WagtailPageTestCase):
    def setUp(self):
        self.login()

    def test_product_can_only_be_created_under_a_producer(self):
        self.assertAllowedParentPageTypes(ProductPage, {ProducerPage})
        self.assertCanCreateAt(ProducerPage, ProductPage)
        for parent in (CommuneHomePage, ProductIndexPage, ProducerIndexPage, ShowcaseHomePage):
            self.assertCanNotCreateAt(parent, ProductPage)

    def test_commune_home_holds_only_the_two_indexes(self):
        self.assertAllowedSubpageTypes(CommuneHomePage, {ProducerIndexPage, ProductIndexPage})
        self.assertAllowedParentPageTypes(CommuneHomePage, {Page})

    def test_producer_lives_in_the_producer_index(self):
        self.assertAllowedParentPageTypes(ProducerPage, {ProducerIndexPage})
        self.assertAllowedSubpageTypes(ProducerPage, {ProductPage})

    def test_showcase_and_product_pages_have_no_children(self):
        self.assertAllowedSubpageTypes(ShowcaseHomePage, set())
        self.assertAllowedSubpageTypes(ProductPage, set())

    def test_product_can_be_created_through_the_admin_form(self):
        producer = ProducerPage.objects.get(title="HTX Thanh long Tầm Vu")
        form_data = new_product_form_data(
            title="Thanh long ruột vàng",
            slug="thanh-long-ruot-vang",
            price_vnd="55000",
            in_stock="on",
            season_months=["6", "7"],
        )
        self.assertCanCreate(producer, ProductPage, form_data)
        created = ProductPage.objects.get(slug="thanh-long-ruot-vang")
        assert created.price_vnd == 55000
        assert created.season_months == [6, 7]
        assert created.get_parent().pk == producer.pk


@pytest.mark.django_db
def test_product_cannot_move_to_a_producer_of_another_commune():
    product = ProductPage.objects.get(title="Thanh long ruột đỏ")
    same_commune = ProducerPage.objects.get(title="Hộ ông Lê Văn Tám")
    other_commune = ProducerPage.objects.get(title="Cơ sở lạp xưởng Bà Tư")
    assert product.can_move_to(same_commune)
    assert not product.can_move_to(other_commune)


@pytest.mark.django_db
def test_admin_refuses_moving_a_product_to_another_communes_producer(admin_client):
    product = ProductPage.objects.get(title="Thanh long ruột đỏ")
    original_parent = product.get_parent()
    other_commune = ProducerPage.objects.get(title="Cơ sở lạp xưởng Bà Tư")
    response = admin_client.post(
        f"/admin/pages/{product.pk}/move/{other_commune.pk}/confirm/", HTTP_HOST="localhost"
    )
    product.refresh_from_db()
    assert response.status_code in (302, 403)
    assert product.get_parent().pk == original_parent.pk
