"""A buyer filters products on a phone, with and without JavaScript, in real Chromium."""

from urllib.parse import parse_qs, urlsplit

import pytest

from products.models import ProductPage
from showcase.models import CommuneHomePage


@pytest.fixture
def no_js_phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="vi-VN", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_filter_form_works_without_javascript(demo, no_js_phone):
    from tests.conftest import TAMVU

    commune = CommuneHomePage.objects.get(ward_code=TAMVU)
    page = no_js_phone
    page.goto(demo.url("tamvu.localhost", "/san-pham/"))
    page.locator("summary.filters__summary").click()
    page.select_option("#filter-danh-muc", "trai-cay")
    page.locator("input[name='con-hang']").check()
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query["danh-muc"] == ["trai-cay"] and query["con-hang"] == ["1"]
    shown = set(page.locator(".product-card__title").all_inner_texts())
    expected = set(
        ProductPage.objects.live().descendant_of(commune)
        .filter(category__slug="trai-cay", in_stock=True).values_list("title", flat=True)
    )
    assert shown == expected and shown


@pytest.mark.browser
@pytest.mark.parametrize(
    ("host", "path"),
    [("tamvu.localhost", "/san-pham/?ocop=4"), ("localhost", "/tim-kiem/?q=thanh+long&mua-vu=1")],
)
def test_open_filters_do_not_scroll_sideways_at_360_px(demo, phone_page, host, path):
    phone_page.goto(demo.url(host, path))
    phone_page.locator("details.filters").evaluate("d => d.open = true")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone_page.csp_violations() == []
