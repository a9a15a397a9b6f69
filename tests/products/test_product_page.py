import datetime

import pytest
from django.core.exceptions import ValidationError

from products.models import ProductPage
from products.templatetags.products_tags import months_label, stars, vnd

PRODUCT_URL = "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/"


@pytest.mark.django_db
def test_product_page_shows_price_unit_ocop_and_producer_contact(client):
    response = client.get(PRODUCT_URL, HTTP_HOST="tamvu.localhost")
    html = response.content.decode()
    assert response.status_code == 200
    assert "35.000 ₫" in html
    assert "/ kg" in html
    assert "OCOP" in html and "★★★★" in html
    assert 'href="tel:0912345621"' in html
    assert 'href="https://zalo.me/0912345621"' in html
    assert "HTX Thanh long Tầm Vu" in html


@pytest.mark.django_db
def test_product_without_price_says_price_on_request(client):
    response = client.get(
        "/nha-san-xuat/to-hop-tac-thanh-long-thanh-phu-long/thanh-long-xuat-khau/",
        HTTP_HOST="tamvu.localhost",
    )
    assert "Giá liên hệ" in response.content.decode()


@pytest.mark.django_db
def test_product_page_images_are_resized_renditions_with_webp(client):
    html = client.get(PRODUCT_URL, HTTP_HOST="tamvu.localhost").content.decode()
    assert 'type="image/webp"' in html
    assert "srcset=" in html
    assert "/media/original_images/" not in html


@pytest.mark.django_db
def test_product_page_is_not_served_on_another_communes_host(client):
    response = client.get(PRODUCT_URL, HTTP_HOST="tanan.localhost")
    assert response.status_code == 404


def test_prices_are_formatted_in_dong_with_dots():
    assert vnd(1250000) == "1.250.000 ₫"
    assert vnd(0) == "0 ₫"
    assert vnd(None) == ""
    assert vnd("not money") == ""


def test_season_months_read_as_runs():
    assert months_label([1, 2, 3, 7]) == "Tháng 1–3, 7"
    assert months_label([]) == "Quanh năm"
    assert stars(4) == "★★★★"


@pytest.mark.django_db
def test_ocop_expiry_defaults_to_36_months_after_issue():
    product = ProductPage.objects.get(title="Thanh long ruột đỏ")
    product.ocop_expires_on = None
    product.ocop_issued_on = datetime.date(2024, 3, 15)
    product.full_clean()
    assert product.ocop_expires_on == datetime.date(2027, 3, 15)


@pytest.mark.django_db
def test_ocop_rating_needs_certificate_number_and_date():
    product = ProductPage.objects.get(title="Thanh long ruột trắng")
    product.ocop_stars = 3
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "ocop_certificate_number" in error.value.message_dict
    assert "ocop_issued_on" in error.value.message_dict


@pytest.mark.django_db
def test_season_months_round_trip_through_the_database():
    product = ProductPage.objects.get(title="Thanh long ruột trắng")
    product.season_months = [12, 1, 1]
    product.save()
    product.refresh_from_db()
    assert product.season_months == [1, 12]


@pytest.mark.django_db
def test_season_month_out_of_range_is_refused():
    product = ProductPage.objects.get(title="Thanh long ruột trắng")
    product.season_months = [13]
    with pytest.raises(ValidationError):
        product.full_clean()
