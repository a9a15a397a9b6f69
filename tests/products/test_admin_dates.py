"""Dates typed in the admin are day/month/year, as the date picker writes them."""

import datetime

import pytest
from django.utils import translation
from wagtail.test.utils import WagtailPageTestCase
from wagtail.users.models import UserProfile

from producers.models import ProducerPage
from products.models import ProductPage
from tests.admin_form_data import new_product_form_data


class OcopDateTests(WagtailPageTestCase):
    def setUp(self):
        self.user = self.login()

    def create(self, slug, issued_on):
        producer = ProducerPage.objects.get(title="HTX Thanh long Tầm Vu")
        data = new_product_form_data(
            title=f"Sản phẩm {slug}",
            slug=slug,
            price_vnd="55000",
            ocop_stars="4",
            ocop_certificate_number="123/QĐ-UBND",
            ocop_issued_on=issued_on,
        )
        self.assertCanCreate(producer, ProductPage, data)
        return ProductPage.objects.get(slug=slug)

    def test_day_comes_before_month(self):
        product = self.create("ngay-truoc-thang", "05/06/2025")
        assert product.ocop_issued_on == datetime.date(2025, 6, 5)
        assert product.ocop_expires_on == datetime.date(2028, 6, 5)

    def test_a_day_past_twelve_is_accepted(self):
        assert self.create("ngay-25", "25/12/2024").ocop_issued_on == datetime.date(2024, 12, 25)

    def test_english_admin_reads_the_same_dates(self):
        profile = UserProfile.get_for_user(self.user)
        profile.preferred_language = "en"
        profile.save()
        product = self.create("tieng-anh", "05/06/2025")
        assert product.ocop_issued_on == datetime.date(2025, 6, 5)

    def test_edit_form_shows_the_date_day_first(self):
        product = self.create("hien-thi", "05/06/2025")
        response = self.client.get(f"/admin/pages/{product.pk}/edit/")
        assert 'value="05/06/2025"' in response.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_short_dates_are_day_first(language):
    from django.utils.formats import date_format

    with translation.override(language):
        assert date_format(datetime.date(2025, 6, 5), "SHORT_DATE_FORMAT") == "05/06/2025"
