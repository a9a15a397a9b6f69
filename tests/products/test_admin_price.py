"""A price of 0 is refused in the admin as in the portal; empty still means "giá liên hệ"."""

import pytest
from django.urls import reverse

from producers.models import ProducerPage
from products.models import ProductPage
from tests.admin_form_data import new_product_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer(tanan):
    return ProducerPage.objects.descendant_of(tanan).get(title="Cơ sở lạp xưởng Bà Tư")


def add_product(client, producer, price, publish):
    data = new_product_form_data(title="Mắm cá linh", slug="mam-ca-linh", price_vnd=price)
    if publish:
        data["action-publish"] = "1"
    url = reverse("wagtailadmin_pages:add", args=["products", "productpage", producer.pk])
    return client.post(url, data, HTTP_HOST="localhost")


@pytest.mark.parametrize("publish", [False, True])
def test_zero_price_is_refused_with_a_vietnamese_message(client, staff_x, producer, publish):
    client.force_login(staff_x)
    response = add_product(client, producer, "0", publish)
    assert response.status_code == 200
    errors = response.context["form"].errors["price_vnd"]
    assert errors == [
        "Giá phải lớn hơn 0 đồng. Nếu chưa có giá, hãy để trống: trang sẽ ghi “Giá liên hệ”."
    ]
    assert "Giá phải lớn hơn 0 đồng" in response.content.decode()
    assert not ProductPage.objects.filter(slug="mam-ca-linh").exists()


def test_empty_price_is_accepted_and_shown_as_price_on_request(client, staff_x, producer):
    client.force_login(staff_x)
    assert add_product(client, producer, "", publish=True).status_code == 302
    product = ProductPage.objects.get(slug="mam-ca-linh")
    assert product.price_vnd is None
    public = client.get(product.url, HTTP_HOST="tanan.localhost").content.decode()
    assert "Giá liên hệ" in public and "0 ₫" not in public
