"""`migrate` alone makes the cache tables, and a cache that fails never fails an edit.

Runs on whichever engine the suite runs on, whose test database was made by `migrate` alone.
On PostgreSQL a failed statement on a missing cache table would abort the test's own
transaction, as it aborted ``seed_demo``'s, so the edits that follow it here are the proof
that it no longer does.
"""

from types import SimpleNamespace

import pytest
from django.db import connection

from products.models import ProductPage
from showcase.demo import seed_demo
from showcase.services import commune_create
from tests.test_deploy import free_port

DATABASE_CACHES = {
    "default": {"BACKEND": "commune_site.cache_backends.DatabaseCache", "LOCATION": "django_cache"},
    "pages": {"BACKEND": "commune_site.cache_backends.DatabaseCache", "LOCATION": "page_cache"},
}
HOST = "tamvu.localhost"
PRODUCT_URL = "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/"
KHANH_HAU = 27715


def cache_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_cache")
        default = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM page_cache")
        return default, cursor.fetchone()[0]


def edit_everything(client):
    """Writes that each touch a cache inside a transaction; all of them must land."""
    seed_demo(port=80)
    commune = commune_create(ward_code=KHANH_HAU, hostname="khanhhau.localhost", port=80)
    product = ProductPage.objects.get(slug="thanh-long-ruot-do")
    product.price_vnd = 41000
    product.save_revision().publish()
    rendition = product.image.get_rendition("fill-120x90")
    # Still one working transaction: these read what was just written.
    assert ProductPage.objects.get(pk=product.pk).price_vnd == 41000
    assert commune.get_site().hostname == "khanhhau.localhost"
    assert product.image.renditions.filter(pk=rendition.pk).exists()
    response = client.get(PRODUCT_URL, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "41.000 ₫" in response.content.decode()


@pytest.mark.django_db
def test_migrations_make_both_cache_tables_and_skip_existing_ones():
    import importlib

    assert {"django_cache", "page_cache"} <= set(connection.introspection.table_names())
    migration = importlib.import_module("showcase.migrations.0003_cache_tables")
    # Again, over tables that exist (as createcachetable would have left them): no error.
    migration.create_cache_tables(None, SimpleNamespace(connection=connection))
    assert {"django_cache", "page_cache"} <= set(connection.introspection.table_names())


@pytest.mark.django_db
def test_database_caches_are_used_when_their_tables_are_there(client, settings):
    settings.CACHES = DATABASE_CACHES
    settings.PAGE_CACHE_ENABLED = True
    edit_everything(client)
    assert client.get(PRODUCT_URL, HTTP_HOST=HOST)["X-Page-Cache"] == "hit"
    default, pages = cache_rows()
    assert default > 0 and pages > 0


@pytest.mark.django_db
def test_edits_succeed_with_the_cache_tables_gone(client, settings, caplog):
    settings.CACHES = DATABASE_CACHES
    settings.PAGE_CACHE_ENABLED = True
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DROP TABLE django_cache")
        cursor.execute("DROP TABLE page_cache")
    edit_everything(client)
    assert "Cache table django_cache unavailable" in caplog.text
    assert "Cache table page_cache unavailable" in caplog.text


@pytest.mark.django_db
def test_edits_succeed_with_redis_stopped(client, settings, caplog):
    port = free_port()  # nothing listens there: a Redis server that is down
    settings.CACHES = {
        alias: {
            "BACKEND": "commune_site.cache_backends.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": f"commune-{alias}",
        }
        for alias in ("default", "pages")
    }
    settings.PAGE_CACHE_ENABLED = True
    edit_everything(client)
    assert "Cache Redis unavailable" in caplog.text

