"""A producer on a 360px phone changes a price in the portal; the public page shows it."""

import pytest

from producers.demo_accounts import DEMO_PASSWORD
from producers.models import ProducerAccount
from products.models import ProductPage

PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An


def tap_target_heights(page, selector):
    return page.eval_on_selector_all(
        selector, "(nodes) => nodes.map((node) => node.getBoundingClientRect().height)"
    )


@pytest.mark.browser
def test_producer_changes_a_price_on_a_phone_and_the_public_page_shows_it(
    demo, phone_page, screenshot
):
    producer = ProducerAccount.objects.get(user__username=PHONE).producer
    product = ProductPage.objects.child_of(producer).order_by("title").first()
    page = phone_page

    page.goto(demo.url("tanan.localhost", "/portal/"))
    assert "/portal/dang-nhap/" in page.url
    page.fill("input[name=phone]", "0912 345 601")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/")

    card = page.locator(f"#san-pham-{product.pk}")
    assert product.title in card.inner_text()
    # Every control a thumb taps: buttons, text boxes, select, radio and month labels.
    targets = ", ".join(
        f"#san-pham-{product.pk} {control}"
        for control in ("button", "input[type=text]", "select", "label:has(input)")
    )
    assert min(tap_target_heights(page, targets)) >= 48

    card.locator("input[inputmode=numeric]").fill("1.250.000")
    card.locator("button[type=submit]").click()
    page.wait_for_url(f"**/portal/#san-pham-{product.pk}")
    assert "Đã lưu" in page.locator(".portal-messages").inner_text()
    # The portal runs under the public pages' strict Content-Security-Policy.
    assert page.csp_violations() == []
    screenshot(page, "portal-my-products-360")

    page.goto(demo.url("tanan.localhost", product.get_url_parts()[2]))
    assert "1.250.000 ₫" in page.locator(".product__price").inner_text()
    assert page.csp_violations() == []
