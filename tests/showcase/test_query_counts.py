"""A page's query count must not grow with the number of products it could show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from producers.models import ProducerPage
from products.models import ProductPage

COMMUNE_PATHS = [
    "/",
    "/san-pham/",
    "/san-pham/?danh-muc=trai-cay",
    "/nha-san-xuat/",
    "/nha-san-xuat/htx-thanh-long-tam-vu/",
    "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/",
]


def queries_for(client, path, host):
    client.get(path, HTTP_HOST=host)  # the first render creates image renditions
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_products(producer, count):
    """Add products sharing one photo; half carry OCOP stars so they reach featured lists."""
    start = ProductPage.objects.child_of(producer).count()
    image = ProductPage.objects.child_of(producer).first().image
    for number in range(start, start + count):
        ocop = {
            "ocop_stars": 3,
            "ocop_certificate_number": f"X-{number}",
            "ocop_issued_on": "2025-01-01",
        }
        producer.add_child(
            instance=ProductPage(
                title=f"Sản phẩm thêm {number}",
                slug=f"san-pham-them-{number}",
                image=image,
                price_vnd=10000 + number,
                **(ocop if number % 2 else {}),
            )
        )


@pytest.fixture
def producer(tamvu):
    return ProducerPage.objects.descendant_of(tamvu).get(title="HTX Thanh long Tầm Vu")


@pytest.mark.django_db
def test_commune_page_queries_do_not_grow_from_10_to_100_products(client, producer):
    add_products(producer, 8)  # about 10 products for the producer, 18 in the commune
    few = {path: queries_for(client, path, "tamvu.localhost") for path in COMMUNE_PATHS}
    add_products(producer, 90)  # about 100 for the producer
    many = {path: queries_for(client, path, "tamvu.localhost") for path in COMMUNE_PATHS}
    assert many == few
    assert max(few.values()) <= 25, few


@pytest.mark.django_db
def test_showcase_queries_do_not_grow_with_products(client, producer):
    few = queries_for(client, "/", "localhost")
    add_products(producer, 50)
    many = queries_for(client, "/", "localhost")
    assert many == few
    assert few <= 20
