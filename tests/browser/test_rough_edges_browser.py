"""Rough edges of a first trial, in a real browser: the admin's slug from a Vietnamese title,
and the portal opening at the product whose form had an error."""

import pytest
from django.urls import reverse

from producers.demo_accounts import DEMO_PASSWORD
from producers.models import ProducerAccount
from products.models import ProductPage

PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An
STAFF = "canbo.tanan"


@pytest.mark.browser
def test_admin_fills_an_ascii_slug_from_a_vietnamese_title(demo, desktop_page):
    """Wagtail's JavaScript fills the slug as the title is typed (formatters from our widget)."""
    producer = ProducerAccount.objects.get(user__username=PHONE).producer
    page = desktop_page
    page.goto(demo.url("tanan.localhost", "/admin/login/"))
    page.fill("input[name=username]", STAFF)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    add = reverse("wagtailadmin_pages:add", args=["products", "productpage", producer.pk])
    page.goto(demo.url("tanan.localhost", add))
    page.fill("input[name=title]", "Lạp xưởng gà Đức Hòa")
    page.locator("input[name=title]").blur()
    slug = page.locator("input[name=slug]")
    slug.wait_for(state="attached")
    page.wait_for_function(
        "() => document.querySelector('input[name=slug]').value !== ''", timeout=5000
    )
    assert slug.input_value() == "lap-xuong-ga-duc-hoa"


def log_in_to_portal(page, demo):
    page.goto(demo.url("tanan.localhost", "/portal/dang-nhap/"))
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/")


@pytest.mark.browser
def test_an_error_on_the_second_product_opens_the_portal_at_that_product(demo, phone_page):
    producer = ProducerAccount.objects.get(user__username=PHONE).producer
    products = list(ProductPage.objects.child_of(producer).order_by("title"))
    second = products[1]
    page = phone_page
    log_in_to_portal(page, demo)
    card = page.locator(f"#san-pham-{second.pk}")
    card.locator("input[inputmode=numeric]").fill("0")
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("load")

    assert page.url.endswith(f"/portal/san-pham/{second.pk}/#san-pham-{second.pk}")
    card = page.locator(f"#san-pham-{second.pk}")
    assert "Giá phải lớn hơn 0 đồng" in card.inner_text()
    # The page opened at the product, not at the top.
    assert page.evaluate("window.scrollY") > 0
    # Its top at the top of the screen, give or take the pixel that scroll positions round to.
    box = card.bounding_box()
    assert -1 < box["y"] < 800

    # Opening the address again (a GET, as a reload from history or a pasted link does)
    # leads back to the product on the portal page, not to an empty 405.
    response = page.goto(page.url.split("#")[0])
    assert response.status == 200
    assert page.url.endswith(f"/portal/#san-pham-{second.pk}")
    assert page.evaluate("window.scrollY") > 0
