"""A buyer on a phone: a scanned short link, and the product page with photo, price and producer
above the fold."""

import pytest
from django.utils import timezone

from products.models import ProductPage
from showcase.models import CommuneHomePage

FOLD_PX = 640
ZALO_ANDROID = (
    "Mozilla/5.0 (Linux; Android 12; SM-A135F Build/SP1A.210812.016; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Zalo android/"
    "12100532 ZaloTheme/light ZaloLanguage/vi"
)


def first_product(ward_code):
    commune = CommuneHomePage.objects.get(ward_code=ward_code)
    product = ProductPage.objects.descendant_of(commune).live().order_by("path").first()
    return commune, product


def visible_above_fold(locator):
    box = locator.bounding_box()
    return locator.is_visible() and box is not None and box["y"] + min(box["height"], 40) <= FOLD_PX


@pytest.mark.browser
def test_scanned_short_link_lands_on_the_product_page_with_photo_price_and_producer(
    demo, phone_page
):
    """What a buyer's phone does with a QR code: open /q/CODE, follow the redirect."""
    from products.models import Scan
    from tests.conftest import TANAN

    commune, product = first_product(TANAN)
    # Headless Chromium says so in its User-Agent and is not counted as a scan; this is Zalo's
    # in-app browser on an Android phone, where most scans in Vietnam open.
    phone_page.set_extra_http_headers({"User-Agent": ZALO_ANDROID})
    started = timezone.now()
    # A QR scanner may hand the link over from any host; it lands on the commune's own.
    response = phone_page.goto(demo.url("localhost", f"/q/{product.short_code}"))
    assert response.status == 200
    assert phone_page.url == demo.url("tanan.localhost", product.get_url_parts()[2])
    assert response.request.redirected_from.url.endswith(f"/q/{product.short_code}")
    scans = Scan.objects.filter(product=product, scanned_at__gte=started)
    assert list(scans.values_list("device", "in_app")) == [("mobile", "zalo")]

    photo = phone_page.locator("img.product__image")
    photo.wait_for()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
    assert visible_above_fold(photo)
    assert "₫" in phone_page.locator(".product__price").inner_text()
    assert phone_page.locator(".product__producer a").inner_text() == product.get_parent().title


@pytest.mark.browser
def test_product_page_on_a_phone_shows_photo_price_and_producer_above_the_fold(demo, phone_page):
    from tests.conftest import TANAN

    commune, product = first_product(TANAN)
    response = phone_page.goto(demo.url("tanan.localhost", product.get_url_parts()[2]))
    assert response.status == 200

    photo = phone_page.locator("img.product__image")
    photo.wait_for()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
    assert visible_above_fold(photo)

    price = phone_page.locator(".product__price")
    assert "₫" in price.inner_text()
    assert visible_above_fold(price)

    producer = phone_page.locator(".product__producer a")
    assert producer.inner_text() == product.get_parent().title
    assert visible_above_fold(producer)


@pytest.mark.browser
def test_product_page_has_no_content_security_policy_violations(demo, phone_page):
    from tests.conftest import TANAN

    _, product = first_product(TANAN)
    phone_page.goto(demo.url("tanan.localhost", product.get_url_parts()[2]))
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator("img.product__image").evaluate("img => img.naturalWidth") > 0
    assert phone_page.csp_violations() == []
    errors = [text for kind, text in phone_page.console_messages if kind == "error"]
    assert errors == []


@pytest.mark.browser
def test_showcase_lists_the_three_communes_and_each_link_opens_its_home_page(demo, phone_page):
    phone_page.goto(demo.url("localhost"))
    links = phone_page.locator("a.commune-card__link")
    titles = sorted(links.locator(".commune-card__title").all_inner_texts())
    assert titles == ["Phường Tân An", "Xã Cần Giuộc", "Xã Tầm Vu"]

    for title in titles:
        phone_page.goto(demo.url("localhost"))
        phone_page.locator("a.commune-card__link", has_text=title).click()
        phone_page.wait_for_load_state()
        assert phone_page.locator("h1").first.inner_text() == title
        assert f":{demo.port}/" in phone_page.url
