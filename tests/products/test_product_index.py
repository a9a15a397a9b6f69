import pytest

from producers.models import ProducerPage
from products.models import ProductPage


@pytest.mark.django_db
def test_index_lists_only_this_communes_products(client):
    html = client.get("/san-pham/", HTTP_HOST="tamvu.localhost").content.decode()
    assert "Thanh long ruột đỏ" in html
    assert "Lạp xưởng tươi Tân An" not in html


@pytest.mark.django_db
def test_category_filter_keeps_only_that_category(client):
    response = client.get("/san-pham/?danh-muc=thuc-pham-che-bien", HTTP_HOST="tamvu.localhost")
    html = response.content.decode()
    assert "Thanh long sấy dẻo" in html
    assert "Thanh long ruột trắng" not in html
    assert 'aria-current="page">Thực phẩm chế biến' in html


@pytest.mark.django_db
def test_unknown_category_shows_everything(client):
    response = client.get("/san-pham/?danh-muc=khong-co", HTTP_HOST="tamvu.localhost")
    assert response.status_code == 200
    assert "Thanh long ruột trắng" in response.content.decode()


@pytest.mark.django_db
def test_index_is_paginated_by_twelve(client, tamvu):
    producer = ProducerPage.objects.descendant_of(tamvu).first()
    for number in range(5):
        producer.add_child(instance=ProductPage(title=f"Zz sản phẩm {number}", slug=f"zz-{number}"))
    first = client.get("/san-pham/", HTTP_HOST="tamvu.localhost").content.decode()
    second = client.get("/san-pham/?trang=2", HTTP_HOST="tamvu.localhost").content.decode()
    assert first.count('class="product-card"') == 12
    assert second.count('class="product-card"') == 3
    assert "Trang 2/2" in second
    assert 'rel="prev"' in second


@pytest.mark.django_db
def test_bad_page_number_falls_back_instead_of_failing(client):
    response = client.get("/san-pham/?trang=abc", HTTP_HOST="tamvu.localhost")
    assert response.status_code == 200


@pytest.mark.django_db
def test_draft_products_are_not_listed(client):
    product = ProductPage.objects.get(title="Mứt thanh long")
    product.unpublish()
    html = client.get("/san-pham/", HTTP_HOST="tamvu.localhost").content.decode()
    assert "Mứt thanh long" not in html
