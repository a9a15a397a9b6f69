"""The shared full-page cache: hits cost no query, who bypasses it, and what invalidates it."""

import datetime

import pytest
from django.core.cache import caches
from django.test import override_settings

from producers.models import ProducerPage
from products.models import Certification, ProductCategory, ProductPage

HOST = "tamvu.localhost"
PRODUCT_URL = "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/"
INDEX_URL = "/san-pham/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def get(client, path=PRODUCT_URL, host=HOST, **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def product():
    return ProductPage.objects.get(slug="thanh-long-ruot-do")


def publish(page):
    page.save_revision().publish()


@pytest.mark.django_db
def test_second_anonymous_request_is_served_from_cache_without_a_query(
    client, django_assert_num_queries
):
    first = get(client)
    with django_assert_num_queries(0):
        second = get(client)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.django_db
def test_head_request_is_answered_from_the_cached_get(client):
    get(client)
    response = client.head(PRODUCT_URL, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_query_strings_are_cached_apart(client):
    get(client, INDEX_URL)
    filtered = get(client, INDEX_URL + "?danh-muc=trai-cay")
    assert filtered["X-Page-Cache"] == "miss"
    assert get(client, INDEX_URL + "?danh-muc=trai-cay")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_hosts_are_cached_apart(client):
    get(client, "/", host="tamvu.localhost")
    other = get(client, "/", host="tanan.localhost")
    assert other["X-Page-Cache"] == "miss"
    assert "Tân An" in other.content.decode()


@pytest.mark.django_db
def test_language_is_part_of_the_key(client, settings):
    vietnamese = get(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = get(client)
    assert english["X-Page-Cache"] == "miss"
    again = get(client)
    assert again["X-Page-Cache"] == "hit"
    assert '<html lang="en">' in again.content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert '<html lang="vi">' in get(client).content.decode()
    assert vietnamese.content != english.content


@pytest.mark.django_db
def test_language_cookie_selects_the_cached_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    get(client)
    response = get(client)
    assert response["X-Page-Cache"] == "hit"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_logged_in_user_bypasses_the_cache(client, producer_other, django_assert_max_num_queries):
    get(client)  # an anonymous visitor fills the cache
    client.force_login(producer_other)
    response = get(client)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_staff_bypasses_the_cache(client, staff_y):
    client.force_login(staff_y)
    get(client)
    assert "X-Page-Cache" not in get(client)


@pytest.mark.django_db
def test_pending_messages_bypass_the_cache(client):
    get(client)
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in get(client)


@pytest.mark.django_db
def test_portal_is_never_cached(client):
    first = client.get("/portal/", HTTP_HOST=HOST, follow=True)
    second = client.get("/portal/", HTTP_HOST=HOST, follow=True)
    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in second


@pytest.mark.django_db
def test_admin_is_never_cached(client):
    client.get("/admin/login/", HTTP_HOST=HOST)
    assert "X-Page-Cache" not in client.get("/admin/login/", HTTP_HOST=HOST)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/q/{code}", "/Q/{code}", "/Q/{code}/", "/01/{gtin}", "/01/{gtin}/10/{lot}"],
)
def test_scan_redirects_skip_the_cache_and_record_every_scan(client, monkeypatch, path):
    """Short links, upper-case ones as printed, and GS1 Digital Link paths: no lookup at all."""
    from commune_site import cache as cache_module
    from products.models import Batch, Scan

    page = product()
    page.gtin = "4006381333931"
    page.save_revision().publish()
    batch = Batch.objects.create(
        product=page, lot_code="LO-7", produced_on=datetime.date(2026, 6, 1)
    )
    url = path.format(code=page.short_code, gtin=page.gtin, lot=batch.lot_code)
    monkeypatch.setattr(
        cache_module, "page_cache", lambda: pytest.fail(f"{url} looked in the page cache")
    )
    before = Scan.objects.count()
    for _ in range(2):
        response = get(client, url, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
        assert response.status_code == 302
        assert "X-Page-Cache" not in response
    assert Scan.objects.count() == before + 2


@pytest.mark.django_db
def test_not_found_is_not_cached(client):
    get(client, "/khong-co/")
    response = get(client, "/khong-co/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_unknown_host_served_by_the_default_site_is_not_stored(client):
    get(client, "/", host="unknown.example")
    assert "X-Page-Cache" not in get(client, "/", host="unknown.example")


@pytest.mark.django_db
def test_published_price_shows_on_the_next_anonymous_request(client):
    assert "35.000 ₫" in get(client).content.decode()
    page = product()
    page.price_vnd = 41000
    publish(page)
    response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert "41.000 ₫" in response.content.decode()
    assert "35.000 ₫" not in response.content.decode()


@pytest.mark.django_db
def test_published_price_shows_on_the_product_index_and_commune_home(client):
    get(client, INDEX_URL)
    get(client, "/")
    page = product()
    page.title = "Thanh long ruột đỏ loại một"
    publish(page)
    assert "Thanh long ruột đỏ loại một" in get(client, INDEX_URL).content.decode()


@pytest.mark.django_db
def test_price_change_reaches_the_province_showcase(client):
    page = product()
    page.ocop_stars, page.ocop_certificate_number = 5, "OCOP-TV-1"
    page.ocop_issued_on = "2025-01-01"
    publish(page)
    get(client, "/", host="localhost")
    page = product()
    page.title = "Thanh long ruột đỏ hạng nhất"
    publish(page)
    assert "Thanh long ruột đỏ hạng nhất" in get(client, "/", host="localhost").content.decode()


@pytest.mark.django_db
def test_edit_in_one_commune_keeps_the_other_communes_cached(client):
    get(client, "/", host="tanan.localhost")
    page = product()
    page.price_vnd = 41000
    publish(page)
    assert get(client, "/", host="tanan.localhost")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_unpublished_product_is_gone_on_the_next_request(client):
    assert get(client).status_code == 200
    product().unpublish()
    assert get(client).status_code == 404


@pytest.mark.django_db
def test_deleted_product_is_gone_on_the_next_request(client):
    get(client)
    product().delete()
    assert get(client).status_code == 404


@pytest.mark.django_db
def test_producer_phone_change_shows_on_its_product_page(client):
    assert 'href="tel:0912345621"' in get(client).content.decode()
    producer = ProducerPage.objects.get(slug="htx-thanh-long-tam-vu")
    producer.phone = "0912000999"
    publish(producer)
    response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert 'href="tel:0912000999"' in response.content.decode()


@pytest.mark.django_db
def test_category_rename_shows_on_the_product_index(client):
    category = product().category
    assert category.name in get(client, INDEX_URL).content.decode()
    category.name = "Trái cây tươi Tầm Vu"
    category.save()
    assert "Trái cây tươi Tầm Vu" in get(client, INDEX_URL).content.decode()


@pytest.mark.django_db
def test_new_category_name_reaches_every_commune(client):
    get(client, INDEX_URL, host="tanan.localhost")
    ProductCategory.objects.filter(slug="trai-cay").update(name="unused")  # no signal: no bump
    assert get(client, INDEX_URL, host="tanan.localhost")["X-Page-Cache"] == "hit"
    category = ProductCategory.objects.get(slug="trai-cay")
    category.name = "Trái cây miền Tây"
    category.save()
    assert get(client, INDEX_URL, host="tanan.localhost")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_certification_rename_shows_on_the_product_page(client):
    held = product().certifications.select_related("certification").first()
    assert held is not None
    get(client)
    certification = Certification.objects.get(pk=held.certification_id)
    certification.short_name = "VietGAP-2026"
    certification.save()
    assert "VietGAP-2026" in get(client).content.decode()


@pytest.mark.django_db
def test_image_change_invalidates_pages(client):
    get(client)
    image = product().image
    image.title = "Ảnh mới"
    image.save()
    assert get(client)["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_moved_page_is_not_served_from_its_old_address(client):
    get(client)
    page = product()
    new_parent = ProducerPage.objects.get(slug="ho-ong-le-van-tam")
    page.move(new_parent, pos="last-child")
    response = get(client)
    assert response.status_code == 301  # Wagtail's automatic redirect to the new address
    assert response["Location"].endswith("/nha-san-xuat/ho-ong-le-van-tam/thanh-long-ruot-do/")


@pytest.mark.django_db
def test_evicted_generation_never_serves_an_old_entry(client):
    get(client)
    caches["pages"].delete("pagecache:gen:global")
    assert get(client)["X-Page-Cache"] == "miss"


@pytest.mark.django_db
@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "page_cache",
        },
    }
)
def test_database_cache_hit_costs_one_query(client, django_assert_num_queries):
    # The table comes from the migrations that made the test database.
    first = get(client)
    with django_assert_num_queries(1):
        second = get(client)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


@pytest.mark.django_db
@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Nothing listens on port 1: every cache call fails at once. (A missing database
        # table would do as well on SQLite, but on PostgreSQL it aborts the test's transaction.)
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
)
def test_broken_cache_serves_pages_uncached(client):
    response = get(client)
    assert response.status_code == 200
    assert "35.000 ₫" in response.content.decode()
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_cdn_may_keep_cached_pages_when_configured(client, settings):
    settings.PAGE_CACHE_CDN_SECONDS = 120
    first = get(client)
    second = get(client)
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert "s-maxage=120" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_cdn_keeps_only_the_default_language(client, settings):
    settings.PAGE_CACHE_CDN_SECONDS = 120
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first = get(client)
    second = get(client)
    assert first["Content-Language"] == "en"
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert "s-maxage" not in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    vietnamese = get(client)
    assert vietnamese["Content-Language"] == "vi"
    assert "s-maxage=120" in vietnamese["Cache-Control"]


@pytest.mark.django_db
def test_no_cdn_header_by_default(client):
    get(client)
    assert "s-maxage" not in get(client).get("Cache-Control", "")
