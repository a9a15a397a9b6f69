"""A producer's text edit waits for commune staff, who approve it in the Vietnamese admin."""

import pytest
from django.test import Client
from django.urls import reverse

from producers.demo_accounts import DEMO_PASSWORD
from producers.models import ProducerAccount
from products.models import ProductPage
from tests.admin_form_data import page_edit_form_data

PRODUCER_PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An
STAFF = "canbo.tanan"
NEW_SUMMARY = "Lạp xưởng phơi nắng ba ngày, không phẩm màu"


def submit_for_moderation(account, product, **changes):
    """The producer saves an edit with "Gửi duyệt" in the admin (Wagtail's own form post)."""
    client = Client()
    client.force_login(account.user)
    data = page_edit_form_data(product, account.user, **changes)
    data["action-submit"] = "1"
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[product.pk]), data, HTTP_HOST="tanan.localhost"
    )
    assert response.status_code == 302


@pytest.mark.browser
def test_staff_approve_a_producers_edit_in_the_vietnamese_admin(demo, desktop_page, screenshot):
    account = ProducerAccount.objects.get(user__username=PRODUCER_PHONE)
    product = ProductPage.objects.child_of(account.producer).order_by("title").first()
    public_url = demo.url("tanan.localhost", product.get_url_parts()[2])
    submit_for_moderation(account, product, summary=NEW_SUMMARY)
    page = desktop_page

    page.goto(public_url)
    assert NEW_SUMMARY not in page.content()  # waiting for approval, not live

    page.goto(demo.url("tanan.localhost", "/admin/login/"))
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=username]", STAFF)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    panel = page.locator("section", has_text="Đang chờ bạn duyệt")
    row = panel.locator("tr", has_text=product.title)
    assert row.count() == 1
    screenshot(page, "admin-awaiting-review-1280")
    row.get_by_role("button", name="Thao tác").click()
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("tr", has_text=product.title).count() == 0

    product.refresh_from_db()
    assert product.summary == NEW_SUMMARY
    assert product.current_workflow_state is None
    page.goto(public_url)
    assert NEW_SUMMARY in page.locator("main").inner_text()
