"""A producer on a 360×740 phone records today's sale in three taps and one number, without
touching the keyboard's date or price, and sees it in the dashboard."""

from decimal import Decimal

import pytest

from producers.demo_accounts import DEMO_PASSWORD
from producers.models import ProducerAccount
from producers.revenue.models import Sale, local_today, sale_amount
from products.models import ProductPage

PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " ₫"


@pytest.mark.browser
def test_producer_records_a_sale_in_three_taps_and_sees_it_in_the_dashboard(
    demo, empty_ledger, new_page, screenshot
):
    producer = ProducerAccount.objects.get(user__username=PHONE).producer
    product = ProductPage.objects.child_of(producer).order_by("title").first()
    assert product.price_vnd
    page = new_page(360, 740)

    page.goto(demo.url("tanan.localhost", "/portal/"))
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/")

    taps = 0
    page.click(".portal-tabs >> text=Bán hàng")  # tap 1: the sales tab
    taps += 1
    page.wait_for_url("**/portal/ban-hang/")
    button = page.locator(".sale-products__button", has_text=product.title)
    assert button.bounding_box()["height"] >= 48
    button.click()  # tap 2: the product
    taps += 1
    page.wait_for_url(f"**/portal/ban-hang/?product={product.pk}")
    # Today, the product's price and a channel are filled in; the quantity box has the focus.
    assert page.input_value("input[name=sold_on]") == local_today().isoformat()
    assert page.input_value("input[name=unit_price_vnd]") == vnd(product.price_vnd)[:-2]
    assert page.locator("input[name=channel]:checked").count() == 1
    # (A link with a #fragment would stop the browser from focusing it: the spec skips
    # autofocus when the URL targets an element.)
    page.wait_for_function("document.activeElement && document.activeElement.name === 'quantity'")
    page.keyboard.type("2,5")  # the one number
    screenshot(page, "portal-sale-form-360")
    sent = page.evaluate(
        "Object.fromEntries(new FormData(document.querySelector('form.sale-form')))"
    )
    save = page.locator("button.sale-form__save")
    assert save.bounding_box()["height"] >= 48
    # Lưu is on screen with the focused quantity box: no scrolling between the number and it.
    assert page.evaluate(
        "document.querySelector('button.sale-form__save').getBoundingClientRect().bottom"
        " <= window.innerHeight"
    )
    summary = page.locator(".sale-form__summary").inner_text()
    assert local_today().strftime("%d/%m/%Y") in summary
    save.click()  # tap 3: Lưu
    taps += 1
    page.wait_for_url("**/portal/ban-hang/?moi=*")

    assert taps == 3
    amount = sale_amount(Decimal("2.5"), product.price_vnd)
    saved = page.locator(".sale-saved")
    assert "Đã lưu" in saved.inner_text() and vnd(amount) in saved.inner_text()
    sale = Sale.objects.get(producer=producer)
    assert sale.amount_vnd == amount and not sale.entered_by_staff
    screenshot(page, "portal-sale-recorded-360")

    # The same form arriving again (a double tap, a phone resending on a bad network)
    # records nothing new and leads to the same sale.
    # Sent by the page itself (same cookies, same origin), as the browser would resend it.
    again = page.evaluate(
        """async (fields) => {
            const response = await fetch(location.pathname, {
                method: "POST", body: new URLSearchParams(fields), credentials: "same-origin",
            });
            return [response.status, response.url];
        }""",
        sent,
    )
    assert again[0] == 200 and f"?moi={sale.pk}" in again[1]
    assert Sale.objects.filter(producer=producer).count() == 1

    page.click(".portal-tabs >> text=Doanh thu")
    page.wait_for_url("**/portal/doanh-thu/")
    this_month = page.locator(".revenue-card").first.inner_text()
    assert "Tháng này" in this_month and vnd(amount) in this_month
    assert page.locator("svg.chart__svg rect.chart__bar").count() >= 12
    assert product.title in page.locator("table").first.inner_text()
    assert page.csp_violations() == []
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "portal-revenue-360")
