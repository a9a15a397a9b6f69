"""No cached page shows stale content after any kind of edit, and an edit cools only what shows it.

Every public page of the demo (each live page on its site, each product index also on its
second page and under each category filter) is rendered into the page cache; then one edit is
made, and every page is fetched again and compared, byte for byte and status for status, with
a render of the same URL with the page cache off.
"""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Site

from producers.models import ProducerPage
from producers.selectors import producer_for_user
from products.models import Certification, ProductCategory, ProductIndexPage, ProductPage
from showcase.models import CommuneHomePage, ShowcaseFeaturedProduct, ShowcaseHomePage

from .conftest import TAMVU, TANAN

# Cache logic: what an edit cools issues no SQL of one database's own.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def public_urls():
    """(host, path) of every public page of the demo, and the variants of each product index."""
    from wagtail.models import Page

    hosts = {site.pk: site.hostname for site in Site.objects.all()}
    urls = []
    for page in Page.objects.live().specific():
        parts = page.get_url_parts()
        if not parts:
            continue
        host, path = hosts[parts[0]], parts[2]
        urls.append((host, path))
        if isinstance(page, ProductIndexPage):
            urls.append((host, path + "?trang=2"))
            categories = ProductCategory.objects.filter(
                products__in=page.get_products().values("pk")
            ).distinct()
            urls += [(host, f"{path}?danh-muc={category.slug}") for category in categories]
    return urls


def fetch(client, host, path):
    return client.get(path, HTTP_HOST=host)


def fresh(settings, host, path):
    settings.PAGE_CACHE_ENABLED = False
    try:
        return fetch(Client(), host, path)
    finally:
        settings.PAGE_CACHE_ENABLED = True


def warm(client, urls):
    for host, path in urls:
        fetch(client, host, path)
    return {url: fetch(client, *url).get("X-Page-Cache") for url in urls}


def assert_nothing_stale(client, settings, urls):
    """Every URL answers as a fresh render does; returns the URLs that were still cached."""
    hits = set()
    for host, path in urls:
        cached = fetch(client, host, path)
        if cached.get("X-Page-Cache") != "hit":
            continue  # rendered just now (and stored, or not cacheable): fresh by definition
        hits.add((host, path))
        expected = fresh(settings, host, path)
        assert cached.status_code == expected.status_code, (host, path)
        assert cached.content.decode() == expected.content.decode(), (host, path)
    return hits


def product(slug="thanh-long-ruot-do"):
    return ProductPage.objects.get(slug=slug)


def publish(page):
    page.save_revision().publish()


def new_image(title):
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 480), (200, 30, 60)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="moi.jpg"))


# --- the edits: each returns nothing; what it changed must show everywhere -----------------


def edit_price_in_portal(producer_a):
    page = ProductPage.objects.child_of(producer_for_user(producer_a)).order_by("title").first()
    portal = Client()
    portal.force_login(producer_a)
    prefix = f"p{page.pk}"
    response = portal.post(
        reverse("portal:quick_edit", args=[page.pk]),
        {
            f"{prefix}-price_vnd": "99.000",
            f"{prefix}-price_unit": page.price_unit,
            f"{prefix}-in_stock": "0",
            f"{prefix}-season_months": [str(m) for m in page.season_months],
        },
        HTTP_HOST="tanan.localhost",
    )
    assert response.status_code in (200, 302)
    assert product(page.slug).price_vnd == 99000


def edit_text_and_publish(producer_a):
    page = product()
    page.title = "Thanh long ruột đỏ Tầm Vu loại một"
    page.summary = "Trái to, ngọt đậm, hái trong ngày."
    publish(page)


def change_photo(producer_a):
    page = product()
    page.image = new_image("Ảnh thanh long mới")
    publish(page)


def edit_image(producer_a):
    image = product().image
    image.title = "Thanh long ruột đỏ, ảnh sửa"
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width, image.focal_point_height = 20, 20
    image.save()


def unpublish(producer_a):
    product().unpublish()


def move(producer_a):
    page = product()
    others = ProducerPage.objects.sibling_of(page.get_parent()).exclude(pk=page.get_parent().pk)
    page.move(others.first(), pos="last-child")


def delete(producer_a):
    product().delete()


def rename_producer(producer_a):
    producer = product().get_parent().specific
    producer.title = "Hợp tác xã Thanh long Tầm Vu mới"
    publish(producer)


def change_category(producer_a):
    page = product()
    page.category = ProductCategory.objects.exclude(pk=page.category_id).first()
    publish(page)


def rename_category(producer_a):
    category = product().category
    category.name = "Trái cây tươi miền Tây"
    category.save()


def rename_certification(producer_a):
    held = product().certifications.select_related("certification").first()
    certification = Certification.objects.get(pk=held.certification_id)
    certification.short_name = "VietGAP-2026"
    certification.name = "VietGAP mới"
    certification.save()


def feature_on_showcase(producer_a):
    showcase = ShowcaseHomePage.objects.get()
    chosen = (
        ProductPage.objects.live()
        .exclude(pk__in=showcase.featured_product_ids())
        .order_by("title")
        .first()
    )
    showcase.featured_products.add(ShowcaseFeaturedProduct(product=chosen))
    publish(showcase)


def raise_ocop_stars(producer_a):
    page = ProductPage.objects.live().filter(ocop_stars__isnull=True).order_by("title").first()
    page.ocop_stars, page.ocop_certificate_number = 5, "OCOP-2026-1"
    page.ocop_issued_on = datetime.date(2026, 1, 5)
    publish(page)


def new_product(producer_a):
    producer = product().get_parent().specific
    page = ProductPage(
        title="Mứt thanh long",
        slug="mut-thanh-long",
        price_vnd=45000,
        category=product().category,
        live=False,
    )
    producer.add_child(instance=page)
    publish(page)


def commune_settings(producer_a):
    commune = CommuneHomePage.objects.get(ward_code=TAMVU)
    commune.title = "Xã Tầm Vu mới"
    commune.official_name = "Xã Tầm Vu (mới)"
    commune.former_units = "Thị trấn Tầm Vu, xã Dương Xuân Hội"
    publish(commune)


def site_name(producer_a):
    site = Site.objects.get(root_page__slug=CommuneHomePage.objects.get(ward_code=TANAN).slug)
    site.site_name = "Tân An trực tuyến"
    site.save()


EDITS = [
    edit_price_in_portal,
    edit_text_and_publish,
    change_photo,
    edit_image,
    unpublish,
    move,
    delete,
    rename_producer,
    change_category,
    rename_category,
    rename_certification,
    feature_on_showcase,
    raise_ocop_stars,
    new_product,
    commune_settings,
    site_name,
]


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_no_cached_page_is_stale_after_an_edit(client, settings, producer_a, edit):
    urls = public_urls()
    assert len(urls) > 40
    statuses = warm(client, urls)
    assert set(statuses.values()) == {"hit"}, "every public page must be cached before the edit"
    edit(producer_a)
    assert_nothing_stale(client, settings, urls)


# --- and only what shows the change is cooled -----------------------------------------------


def cooled_by(client, settings, edit, producer_a):
    urls = public_urls()
    warm(client, urls)
    edit(producer_a)
    hits = assert_nothing_stale(client, settings, urls)
    return {url for url in urls if url not in hits}


@pytest.mark.django_db
def test_price_edit_cools_its_product_producer_and_commune_lists_only(client, settings, producer_a):
    settings.PAGE_CACHE_REWARM = False  # the pages the edit cooled are then still cold
    page = ProductPage.objects.child_of(producer_for_user(producer_a)).order_by("title").first()
    showcase_shows_it = page.pk in ShowcaseHomePage.objects.get().featured_product_ids()
    commune_shows_it = (
        page.pk in CommuneHomePage.objects.get(ward_code=TANAN).featured_product_ids()
    )
    cooled = cooled_by(client, settings, edit_price_in_portal, producer_a)
    paths = {path.split("?")[0] for host, path in cooled}
    assert {host for host, _path in cooled} <= {"tanan.localhost", "localhost"}
    product_path = page.get_url_parts()[2]
    producer_path = page.get_parent().get_url_parts()[2]
    assert {product_path, producer_path, "/san-pham/"} <= paths
    assert ("localhost", "/") in cooled if showcase_shows_it else ("localhost", "/") not in cooled
    if not commune_shows_it:
        assert ("tanan.localhost", "/") not in cooled
    sibling_products = ProductPage.objects.exclude(pk=page.pk).live()
    assert not {p.get_url_parts()[2] for p in sibling_products} & paths


@pytest.mark.django_db
def test_image_edit_cools_only_the_pages_showing_it(client, settings, producer_a):
    settings.PAGE_CACHE_REWARM = False
    cooled = cooled_by(client, settings, edit_image, producer_a)
    page = product()
    assert ("tamvu.localhost", page.get_url_parts()[2]) in cooled
    assert all(host == "tamvu.localhost" or path == "/" for host, path in cooled)
    assert not {url for url in cooled if url[0] == "tanan.localhost"}


@pytest.mark.django_db
def test_commune_settings_cool_that_commune_and_the_showcase_only(client, settings, producer_a):
    settings.PAGE_CACHE_REWARM = False
    cooled = cooled_by(client, settings, commune_settings, producer_a)
    assert {host for host, _path in cooled} == {"tamvu.localhost", "localhost"}
