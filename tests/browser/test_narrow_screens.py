"""Nothing on a public or portal page scrolls sideways on a 360 px phone, whatever the content.

Every live page of the demo (showcase, communes, indexes, producers, products), batch pages,
search and the "not found" pages, and every page of the producer portal, are opened at 360 px
after a product and its producer get names of one long unbroken word (a pasted code, a word
typed without spaces), and a producer introduction of the same. The document must not be wider
than the window.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from producers.demo_accounts import DEMO_PASSWORD
from producers.models import ProducerAccount
from producers.revenue.models import Sale
from products.models import Batch, ProductPage

WIDTH = 360
PHONE = "0912345601"  # Cơ sở lạp xưởng Bà Tư, Phường Tân An
STAFF = "canbo.tanan"
LONG_WORD = "Lạpxưởngtươimaiquếlộ" * 9  # 180 letters, no space to break at

# The elements sticking out to the right, to say which one widens the page.
OVERFLOW = """(width) => ({
  scrollWidth: document.documentElement.scrollWidth,
  culprits: [...document.querySelectorAll("body *")]
    .filter((node) => node.getBoundingClientRect().right > width + 0.5
      || node.scrollWidth > node.clientWidth + 1)
    .slice(0, 5)
    .map((node) => `${node.tagName.toLowerCase()}.${node.className}`),
})"""


def lengthen_names(producer, product):
    """A product and its producer named with one long word, live at once."""
    product.title = f"{LONG_WORD} {product.title}"
    product.summary = LONG_WORD
    product.save_revision().publish()
    producer.title = f"{producer.title} {LONG_WORD}"
    producer.save_revision().publish()


def assert_fits(page, url, label=None):
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: {response.status}"
    page.wait_for_load_state("load")
    measured = page.evaluate(OVERFLOW, WIDTH)
    assert measured["scrollWidth"] <= WIDTH, (
        f"{label or url} is {measured['scrollWidth']}px wide at {WIDTH}px: {measured['culprits']}"
    )


def public_urls(demo, product):
    """Every live page of every site, a batch page, searches and a filtered index."""
    sites = [(site.root_page.path, site.hostname) for site in Site.objects.all()]
    urls = []
    for live_page in Page.objects.live().filter(depth__gt=1).order_by("path"):
        hostname = next(host for path, host in sites if live_page.path.startswith(path))
        urls.append(demo.url(hostname, live_page.get_url_parts()[2]))
    tanan = "tanan.localhost"
    batch = Batch.objects.filter(product=product).first()
    if batch is not None:
        urls.append(demo.url(tanan, product.get_url_parts()[2] + f"lo/{batch.lot_code}/"))
    urls += [
        demo.url(tanan, "/tim-kiem/?q=lap+xuong"),
        demo.url("localhost", "/tim-kiem/?q=lap+xuong"),
        demo.url(tanan, f"/tim-kiem/?q={LONG_WORD}"),
        demo.url(tanan, "/san-pham/?danh-muc=thuc-pham-che-bien"),
    ]
    return urls


@pytest.mark.browser
def test_public_pages_never_scroll_sideways_at_360px(demo, phone_page, screenshot):
    account = ProducerAccount.objects.get(user__username=PHONE)
    product = ProductPage.objects.child_of(account.producer).order_by("path").first()
    lengthen_names(account.producer, product)
    for url in public_urls(demo, product):
        assert_fits(phone_page, url)
    assert_fits(phone_page, demo.url("tanan.localhost", product.get_url_parts()[2]))
    screenshot(phone_page, "long-title-product-360")


def log_in(page, demo, username):
    page.goto(demo.url("tanan.localhost", "/portal/dang-nhap/"))
    page.fill("input[name=phone]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.browser
def test_portal_pages_never_scroll_sideways_at_360px(demo, phone_page, screenshot):
    account = ProducerAccount.objects.get(user__username=PHONE)
    product = ProductPage.objects.child_of(account.producer).order_by("path").first()
    lengthen_names(account.producer, product)
    page = phone_page
    assert_fits(page, demo.url("tanan.localhost", "/portal/dang-nhap/"))
    log_in(page, demo, PHONE)
    names = ["home", "sales", "revenue", "baseline", "batches", "labels", "scans", "profile",
             "sales_import"]
    for name in names:
        assert_fits(page, demo.url("tanan.localhost", reverse(f"portal:{name}")), name)
    sale = Sale.objects.filter(producer=account.producer).order_by("-pk").first()
    for name in ("sale_edit", "sale_delete"):
        assert_fits(page, demo.url("tanan.localhost", reverse(f"portal:{name}", args=[sale.pk])))

    # The introduction typed as one long word, sent, and shown again with an error.
    page.goto(demo.url("tanan.localhost", reverse("portal:profile")))
    page.fill("textarea", LONG_WORD)
    page.fill("input[name=summary]", LONG_WORD[:200])
    measured = page.evaluate(OVERFLOW, WIDTH)
    assert measured["scrollWidth"] <= WIDTH, measured["culprits"]
    screenshot(page, "portal-profile-long-word-360")
    assert_fits(page, demo.url("tanan.localhost", reverse("portal:home")))
    screenshot(page, "portal-home-long-title-360")


@pytest.mark.browser
def test_portal_inputs_stay_inside_their_form_at_360px(demo, phone_page):
    page = phone_page
    log_in(page, demo, PHONE)
    for name in ("profile", "home", "sales", "batches"):
        page.goto(demo.url("tanan.localhost", reverse(f"portal:{name}")))
        outside = page.evaluate(
            """() => [...document.querySelectorAll("form input, form select, form textarea")]
              .filter((control) => control.type !== "hidden" && control.offsetParent !== null)
              .filter((control) => {
                const box = control.getBoundingClientRect();
                const form = control.closest("form").getBoundingClientRect();
                return box.left < form.left - 0.5 || box.right > form.right + 0.5;
              })
              .map((control) => control.name)"""
        )
        assert outside == [], f"{name}: {outside} wider than their form"


@pytest.mark.browser
def test_staff_choosing_a_household_fits_at_360px(demo, phone_page):
    account = ProducerAccount.objects.get(user__username=PHONE)
    product = ProductPage.objects.child_of(account.producer).order_by("path").first()
    lengthen_names(account.producer, product)
    log_in(phone_page, demo, STAFF)
    assert_fits(phone_page, demo.url("tanan.localhost", reverse("portal:act_for")))
