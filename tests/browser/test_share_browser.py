"""Sharing a product from a phone, and what a link-preview crawler reads of it, in Chromium.

Zalo's and Facebook's in-app browsers often have neither the Web Share API nor a usable
Clipboard API; the share button must then still get the link to the buyer, and the page must
work without JavaScript. Debian's Chromium on Linux has no share sheet (``navigator.share`` is
undefined), so one test stands a recorder in for the phone's share sheet to check what the
button hands it.
"""

import io

import extruct
import pytest
from PIL import Image

PREVIEW_BOT = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"


def dragon_fruit():
    from products.models import ProductPage
    from showcase.models import CommuneHomePage
    from tests.conftest import TAMVU

    commune = CommuneHomePage.objects.get(ward_code=TAMVU)
    return ProductPage.objects.descendant_of(commune).get(slug="thanh-long-ruot-do")


def open_product(demo, page):
    product = dragon_fruit()
    url = demo.url("tamvu.localhost", product.get_url_parts()[2])
    response = page.goto(url)
    assert response.status == 200
    return product, url


@pytest.mark.browser
def test_share_button_copies_the_link_and_says_so(demo, phone_page):
    product, url = open_product(demo, phone_page)
    origin = demo.url("tamvu.localhost", "").rstrip("/")
    phone_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    assert phone_page.evaluate("typeof navigator.share") == "undefined"
    button = phone_page.get_by_role("button", name="Chia sẻ")
    assert button.is_visible()
    button.click()
    status = phone_page.locator(".share__status")
    status.wait_for(state="visible")
    assert status.inner_text() == "Đã chép đường dẫn. Dán vào Zalo hoặc Facebook để gửi."
    assert phone_page.evaluate("navigator.clipboard.readText()") == url
    assert phone_page.csp_violations() == []


@pytest.mark.browser
def test_share_button_hands_title_text_and_link_to_the_phones_share_sheet(demo, phone_page):
    phone_page.context.add_init_script(
        "window.__shared = [];"
        "navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };"
    )
    product, url = open_product(demo, phone_page)
    phone_page.get_by_role("button", name="Chia sẻ").click()
    phone_page.wait_for_function("window.__shared.length === 1")
    [shared] = phone_page.evaluate("window.__shared")
    assert shared["url"] == url
    assert shared["title"] == "Thanh long ruột đỏ · 35.000 ₫ / kg"
    assert "HTX Thanh long Tầm Vu" in shared["text"]
    # The share sheet confirms by itself; no message is added over it.
    assert phone_page.locator(".share__status").inner_text() == ""


@pytest.mark.browser
def test_without_clipboard_api_the_link_is_selected_for_the_buyer(demo, phone_page):
    # What Zalo's Android WebView offers: no navigator.share, no navigator.clipboard.
    phone_page.context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});"
    )
    product, url = open_product(demo, phone_page)
    phone_page.get_by_role("button", name="Chia sẻ").click()
    status = phone_page.locator(".share__status")
    status.wait_for(state="visible")
    assert status.inner_text() in (
        "Đã chép đường dẫn. Dán vào Zalo hoặc Facebook để gửi.",
        "Đường dẫn đã được chọn: giữ ngón tay lên đó và chọn Sao chép.",
    )
    selected = phone_page.evaluate(
        "(() => { const f = document.activeElement;"
        " return f.className + '|' + f.value.substring(f.selectionStart, f.selectionEnd); })()"
    )
    assert selected == f"share__link|{url}"


@pytest.mark.browser
def test_without_javascript_the_link_and_a_facebook_share_link_are_shown(demo, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 800}, locale="vi-VN"
    )
    try:
        page = context.new_page()
        product, url = open_product(demo, page)
        assert not page.get_by_role("button", name="Chia sẻ").is_visible()
        field = page.get_by_label("Đường dẫn để chia sẻ")
        assert field.is_visible() and field.input_value() == url
        facebook = page.get_by_role("link", name="Chia sẻ lên Facebook")
        assert facebook.get_attribute("href").startswith(
            "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftamvu.localhost%3A"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
    finally:
        context.close()


@pytest.mark.browser
def test_product_page_with_share_box_does_not_scroll_sideways_at_360px(demo, phone_page):
    open_product(demo, phone_page)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    errors = [text for kind, text in phone_page.console_messages if kind == "error"]
    assert errors == []


@pytest.mark.browser
def test_preview_crawler_reads_picture_name_and_price_and_the_picture_loads(demo, browser):
    """What Facebook's and Zalo's crawlers do with a pasted link: read the HTML as sent (no
    JavaScript), then fetch og:image."""
    product = dragon_fruit()
    url = demo.url("tamvu.localhost", product.get_url_parts()[2])
    # Read through Chromium's network stack, which resolves *.localhost; the body is the
    # HTML as sent, before any script (there is none: JavaScript is off, as for a crawler).
    context = browser.new_context(user_agent=PREVIEW_BOT, java_script_enabled=False)
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response.status == 200
        data = extruct.extract(response.text(), base_url=url, syntaxes=["opengraph", "json-ld"])
        tags = dict(data["opengraph"][0]["properties"])
        assert tags["og:title"] == "Thanh long ruột đỏ · 35.000 ₫ / kg"
        assert tags["og:url"] == url
        assert "35.000 ₫" in tags["og:description"]
        [product_data] = [item for item in data["json-ld"] if item["@type"] == "Product"]
        assert product_data["offers"]["price"] == 35_000

        picture = page.goto(tags["og:image"])
        assert picture.status == 200
        assert picture.headers["content-type"] == "image/jpeg"
        image = Image.open(io.BytesIO(picture.body()))
        assert image.format == "JPEG"
        assert (image.width, image.height) == (
            int(tags["og:image:width"]),
            int(tags["og:image:height"]),
        )
    finally:
        context.close()
    # And a browser shows it: the same URL loads as an image.
    viewer = browser.new_context()
    try:
        page = viewer.new_page()
        page.set_content(f'<img src="{tags["og:image"]}">')
        page.wait_for_function("document.images[0].complete")
        assert page.evaluate("document.images[0].naturalWidth") == image.width
    finally:
        viewer.close()
