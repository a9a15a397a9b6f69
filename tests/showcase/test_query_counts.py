"""A page's query count stays within its budget and does not grow with the number of products.

Counted as the tests run (test settings: caches in memory), after a first render made the
image renditions. Budgets (issue 13): a product page at most 10 queries, a commune home page,
product index, producer page and the showcase at most 12. The product page is held to the 5 it
runs since the lean render (its route, its producer, photos, certifications; the menu and the
view restrictions come from the site directory). On an SQLite install the default cache is a
table, which adds one query a page: the site directory's version
(commune_site/site_directory.py).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from producers.models import ProducerPage
from products.models import ProductPage

PRODUCT_PATH = "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/"
BUDGETS = {
    "/": 12,
    "/san-pham/": 12,
    "/san-pham/?danh-muc=trai-cay": 12,
    "/nha-san-xuat/": 12,
    "/nha-san-xuat/htx-thanh-long-tam-vu/": 12,
    PRODUCT_PATH: 5,
}
COMMUNE_PATHS = list(BUDGETS)
SHOWCASE_BUDGET = 12
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN|CREATE|DROP)\b", re.I)
DATABASE_DEFAULT_CACHE = {
    "BACKEND": "commune_site.cache_backends.DatabaseCache",
    "LOCATION": "django_cache",
}


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
    over = {path: count for path, count in few.items() if count > BUDGETS[path]}
    assert not over, few


@pytest.mark.django_db
def test_showcase_queries_do_not_grow_with_products(client, producer):
    few = queries_for(client, "/", "localhost")
    add_products(producer, 50)
    many = queries_for(client, "/", "localhost")
    assert many == few
    assert few <= SHOWCASE_BUDGET


def public_pages():
    """(host, path) of every kind of public page: showcase, commune home, product and producer
    lists, producer, product, batch, search."""
    from products.models import Batch

    batch = Batch.objects.select_related("product").order_by("pk").first()
    batch_site = batch.product.get_site()
    return (
        [("localhost", "/"), ("localhost", "/tim-kiem/?q=thanh+long")]
        + [("tamvu.localhost", path) for path in COMMUNE_PATHS]
        + [
            ("tamvu.localhost", "/tim-kiem/?q=thanh+long"),
            (
                batch_site.hostname,
                batch.product.relative_url(batch_site) + f"lo/{batch.lot_code}/",
            ),
        ]
    )


@pytest.mark.django_db
def test_rendering_a_public_page_writes_nothing(client, settings):
    """With the default cache in the database, as on an SQLite or PostgreSQL install without
    Redis: once the renditions exist, a render reads and never writes (Wagtail used to store
    every rendition it used in that cache, six write transactions per product page)."""
    settings.CACHES = {**settings.CACHES, "default": DATABASE_DEFAULT_CACHE}
    pages = public_pages()
    for host, path in pages:
        assert client.get(path, HTTP_HOST=host).status_code == 200, path
    for host, path in pages:
        with CaptureQueriesContext(connection) as context:
            response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, path
        writes = [q["sql"] for q in context.captured_queries if WRITE.match(q["sql"])]
        assert not writes, (path, writes)
