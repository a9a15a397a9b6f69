"""On a 360 px phone a producer edits a description, adds a phone photo and proposes a new
product; commune staff approve both in the admin; the public pages show them."""

import pytest
from wagtail.images import get_image_model

from producers.demo_accounts import DEMO_PASSWORD
from producers.models import ProducerAccount
from products.models import ProductCategory, ProductPage
from tests.phone_photos import phone_jpeg

PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An
STAFF = "canbo.tanan"
HOST = "tanan.localhost"
NEW_SUMMARY = "Lạp xưởng phơi nắng ba ngày, ướp rượu mai quế lộ"
NEW_PRODUCT = "Kẹo dừa nướng lá dứa"
PHOTO_NAME = "IMG_20261130_091502"


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def send(page):
    """Tap the big "Gửi để xã duyệt" button and wait for the answer."""
    with page.expect_navigation():
        page.locator("button.portal-form__submit").click()


@pytest.mark.browser
def test_producer_keeps_the_listing_from_a_phone_and_staff_approve_it(
    demo, phone_page, desktop_page, screenshot, tmp_path
):
    producer = ProducerAccount.objects.get(user__username=PHONE).producer
    product = ProductPage.objects.child_of(producer).order_by("title").first()
    photo = tmp_path / f"{PHOTO_NAME}.jpg"
    photo.write_bytes(phone_jpeg(quality=90))  # 4000×3000, EXIF orientation 6, GPS
    assert photo.stat().st_size > 5 * 1024 * 1024
    page = phone_page

    # Log in on the phone.
    page.goto(demo.url(HOST, "/portal/"))
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/portal/")

    # Edit the description.
    page.locator(f"#san-pham-{product.pk}").get_by_role("link", name="Sửa mô tả và ảnh").click()
    page.wait_for_url(f"**/portal/san-pham/{product.pk}/sua/")
    assert page_width(page) <= 360
    page.fill("input[name=summary]", NEW_SUMMARY)
    send(page)
    assert "cho cán bộ xã duyệt" in page.locator(".portal-messages").inner_text()
    assert page.locator("input[name=summary]").input_value() == NEW_SUMMARY

    # Take a photo with the camera (a large JPEG as the phone writes it) and make it the main one.
    camera = page.locator("input[name=camera_photo]")
    assert camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("accept") == "image/*"
    camera.set_input_files(str(photo))
    send(page)
    photos = page.locator(".portal-photos__item")
    assert photos.count() == 2
    with page.expect_navigation():
        photos.nth(1).get_by_role("button", name="Làm ảnh chính").click()
    assert PHOTO_NAME in photos.nth(0).locator("img").get_attribute("src")
    assert page_width(page) <= 360
    screenshot(page, "portal-product-edit-360")

    # Propose a new product, with a photo from the gallery.
    page.goto(demo.url(HOST, "/portal/"))
    page.get_by_role("link", name="Đề xuất sản phẩm mới").click()
    page.wait_for_url("**/portal/san-pham/moi/")
    assert page_width(page) <= 360
    page.fill("input[name=title]", NEW_PRODUCT)
    page.select_option("select[name=category]", str(ProductCategory.objects.first().pk))
    page.fill("input[name=price_vnd]", "45.000")
    page.select_option("select[name=price_unit]", "goi")
    page.fill("input[name=summary]", "Kẹo dừa nướng thơm lá dứa, giòn tan.")
    page.fill("textarea[name=story_text]", "Nướng bằng than củi mỗi sáng.")
    page.locator("input[name=gallery_photo]").set_input_files(str(photo))
    send(page)
    new_product = ProductPage.objects.get(title=NEW_PRODUCT)
    assert not new_product.live

    # Both wait for approval, and the portal says so.
    for pk in (product.pk, new_product.pk):
        card = page.locator(f"#san-pham-{pk}")
        assert "Đang chờ xã duyệt" in card.inner_text()
    assert page_width(page) <= 360
    assert page.csp_violations() == []
    screenshot(page, "portal-waiting-for-approval-360")

    # The stored photo is upright (portrait) and shrunk.
    image = get_image_model().objects.get(pk=ProductPage.objects.get(pk=new_product.pk).image_id)
    assert (image.width, image.height) == (1920, 2560)

    # Staff approve both in the admin, from their dashboard.
    admin = desktop_page
    admin.goto(demo.url(HOST, "/admin/login/"))
    admin.fill("input[name=username]", STAFF)
    admin.fill("input[name=password]", DEMO_PASSWORD)
    admin.click("button[type=submit]")
    admin.wait_for_url("**/admin/")
    panel = admin.locator("section", has_text="Đang chờ bạn duyệt")
    for title in (product.title, NEW_PRODUCT):
        row = panel.locator("tr", has_text=title)
        assert row.count() == 1
        row.get_by_role("button", name="Thao tác").click()
        admin.get_by_role("button", name="Duyệt", exact=True).click()
        admin.wait_for_load_state("networkidle")
        assert admin.locator("tr", has_text=title).count() == 0

    # The public pages show the new text and photo.
    product.refresh_from_db()
    page.goto(demo.url(HOST, product.get_url_parts()[2]))
    assert NEW_SUMMARY in page.locator("main").inner_text()
    main_photo = page.locator("img.product__image")
    assert PHOTO_NAME in main_photo.get_attribute("src")
    assert main_photo.evaluate("img => img.complete && img.naturalWidth > 0")
    new_product.refresh_from_db()
    assert new_product.live
    page.goto(demo.url(HOST, new_product.get_url_parts()[2]))
    assert NEW_PRODUCT in page.locator("h1").inner_text()
    assert "45.000 ₫" in page.locator(".product__price").inner_text()
    assert page_width(page) <= 360


@pytest.mark.browser
def test_a_producer_in_the_admin_finds_the_portal_and_their_products_state(
    demo, phone_page, screenshot
):
    producer = ProducerAccount.objects.get(user__username=PHONE).producer
    titles = list(
        ProductPage.objects.child_of(producer).order_by("title").values_list("title", flat=True)
    )
    page = phone_page
    page.goto(demo.url(HOST, "/admin/login/"))
    page.fill("input[name=username]", PHONE)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    panel = page.locator("section.producer-listing")
    for title in titles:
        assert title in panel.inner_text()
    link = panel.get_by_role("link", name="Mở cổng nhà sản xuất")
    assert link.get_attribute("href") == demo.url(HOST, "/portal/")
    screenshot(page, "admin-producer-dashboard-360")
    with page.expect_navigation():
        link.click()
    assert "/portal/" in page.url
