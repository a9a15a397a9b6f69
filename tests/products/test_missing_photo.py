"""A product without a photo: staff are warned (it may still go live), buyers see a tidy box."""

import pytest
from django.urls import reverse

from producers.models import ProducerPage
from products.models import ProductPage
from tests.admin_form_data import new_product_form_data, post_page_edit

pytestmark = pytest.mark.django_db

WARNING = "Sản phẩm chưa có ảnh chính. Vẫn xuất bản được"
PLACEHOLDER = "Ảnh đang cập nhật"


@pytest.fixture
def producer(tanan):
    return ProducerPage.objects.descendant_of(tanan).get(title="Cơ sở lạp xưởng Bà Tư")


@pytest.fixture
def published_without_photo(client, staff_x, producer):
    """Staff publish a product with no photo; the response after the redirect is kept."""
    client.force_login(staff_x)
    data = new_product_form_data(title="Lạp xưởng gà", slug="lap-xuong-ga", price_vnd="150000")
    data["action-publish"] = "1"
    url = reverse("wagtailadmin_pages:add", args=["products", "productpage", producer.pk])
    response = client.post(url, data, HTTP_HOST="localhost", follow=True)
    product = ProductPage.objects.get(slug="lap-xuong-ga")
    return product, response


def test_a_product_without_photo_may_be_published(published_without_photo):
    product, _ = published_without_photo
    assert product.live and product.image is None


def test_publishing_without_photo_warns_staff(published_without_photo):
    _, response = published_without_photo
    messages = [str(message) for message in response.context["messages"]]
    assert any(message.startswith(WARNING) for message in messages), messages


def test_publishing_with_a_photo_does_not_warn(client, staff_x, producer):
    product = ProductPage.objects.child_of(producer).live().exclude(image=None).first()
    client.force_login(staff_x)
    response = post_page_edit(client, product, staff_x, "publish", summary="Có ảnh rồi")
    assert ProductPage.objects.get(pk=product.pk).summary == "Có ảnh rồi"
    shown = client.get(response["Location"], HTTP_HOST="localhost").content.decode()
    assert WARNING not in shown


def test_the_editor_warns_while_the_product_has_no_photo(client, staff_x, published_without_photo):
    product, _ = published_without_photo
    client.force_login(staff_x)
    url = reverse("wagtailadmin_pages:edit", args=[product.pk])
    assert WARNING in client.get(url, HTTP_HOST="localhost").content.decode()


def test_the_editor_says_nothing_of_photos_when_there_is_one(client, staff_x, producer):
    product = ProductPage.objects.child_of(producer).live().exclude(image=None).first()
    client.force_login(staff_x)
    url = reverse("wagtailadmin_pages:edit", args=[product.pk])
    assert WARNING not in client.get(url, HTTP_HOST="localhost").content.decode()


def test_buyers_see_a_placeholder_on_the_product_page(client, published_without_photo):
    product, _ = published_without_photo
    client.logout()
    html = client.get(product.url, HTTP_HOST="tanan.localhost").content.decode()
    assert 'class="photo-placeholder product__image"' in html
    assert PLACEHOLDER in html
    assert 'aria-label="Sản phẩm chưa có ảnh"' in html


def test_buyers_see_a_placeholder_in_the_product_cards(client, published_without_photo):
    product, _ = published_without_photo
    client.logout()
    html = client.get("/san-pham/", HTTP_HOST="tanan.localhost").content.decode()
    card = html[html.index(product.title) - 1500 : html.index(product.title)]
    assert 'class="photo-placeholder product-card__image"' in card
    # Products with photos keep them: the placeholder is only where a photo is missing.
    assert html.count("photo-placeholder product-card__image") == 1


def test_the_placeholder_drawing_is_served(client):
    response = client.get("/static/icons/no-photo.svg", HTTP_HOST="tanan.localhost")
    assert response.status_code == 200
