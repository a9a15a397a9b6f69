"""Scans: one row per human scan through /q/, bots skipped, nothing personal, counts per period."""

import datetime

import pytest
from django.utils import timezone

from products.models import ProductPage, Scan
from products.selectors import products_visible_to, scan_counts, scans_visible_to
from products.user_agents import device_class, in_app_browser, is_bot

pytest_plugins = ["tests.products.qr_fixtures"]

ZALO_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/543 ZaloTheme/light ZaloLanguage/vn"
)
FACEBOOK_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-A515F Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 "
    "[FB_IAB/FB4A;FBAV/445.0.0.34.118;]"
)
MESSENGER_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 [FBAN/MessengerForiOS;FBAV/428.0.0.38.106]"
)
CHROME_DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)
IPAD_SAFARI = (
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
CUBOT_PHONE = (
    "Mozilla/5.0 (Linux; Android 12; CUBOT X50) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0 Mobile Safari/537.36"
)
BOTS = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Facebot",
    "WhatsApp/2.23.20.0",
    "TelegramBot (like TwitterBot)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Twitterbot/1.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Zalo-link-preview/1.0",
    "ZaloBot",
    "Mozilla/5.0 (compatible; SomeCrawler/3.0)",
    "LinkPreview/2.0",
]


def _scan(client, code, user_agent=ZALO_IPHONE):
    return client.get(f"/q/{code}", HTTP_HOST="tanan.localhost", HTTP_USER_AGENT=user_agent)


def test_redirect_records_one_scan(client, product):
    before = Scan.objects.filter(product=product).count()
    _scan(client, product.short_code)
    assert Scan.objects.filter(product=product).count() == before + 1


def test_scan_records_device_and_in_app_browser(client, product):
    _scan(client, product.short_code, ZALO_IPHONE)
    scan = Scan.objects.filter(product=product).latest("pk")
    assert (scan.device, scan.in_app, scan.batch_id) == ("mobile", "zalo", None)


def test_scan_row_holds_no_personal_data(db):
    fields = {field.name for field in Scan._meta.get_fields()}
    assert fields == {"id", "scanned_at", "product", "batch", "device", "in_app"}


def test_scan_of_batch_code_records_the_batch(client, batch):
    _scan(client, batch.short_code)
    scan = Scan.objects.filter(batch=batch).get()
    assert scan.product_id == batch.product_id


@pytest.mark.parametrize("user_agent", BOTS)
def test_link_preview_bots_are_redirected_but_not_counted(client, product, user_agent):
    before = Scan.objects.count()
    response = _scan(client, product.short_code, user_agent)
    assert response.status_code == 302
    assert Scan.objects.count() == before


def test_many_scans_are_all_kept(client, product):
    before = Scan.objects.filter(product=product).count()
    for _ in range(25):
        _scan(client, product.short_code)
    assert Scan.objects.filter(product=product).count() == before + 25


def test_scan_of_gone_product_is_not_recorded(client, product):
    product.unpublish()
    before = Scan.objects.count()
    assert _scan(client, product.short_code).status_code == 410
    assert Scan.objects.count() == before


@pytest.mark.parametrize(
    ("user_agent", "device", "in_app"),
    [
        (ZALO_IPHONE, "mobile", "zalo"),
        (FACEBOOK_ANDROID, "mobile", "facebook"),
        (MESSENGER_IPHONE, "mobile", "messenger"),
        (CHROME_DESKTOP, "desktop", "none"),
        (IPAD_SAFARI, "tablet", "none"),
        ("", "unknown", "none"),
    ],
)
def test_user_agent_classification(user_agent, device, in_app):
    assert (device_class(user_agent), in_app_browser(user_agent)) == (device, in_app)


def test_phone_named_cubot_is_not_a_bot():
    assert not is_bot(CUBOT_PHONE)


def _scan_at(product, when):
    Scan.objects.create(product=product, device="mobile", in_app="none", scanned_at=when)


def test_scan_counts_per_day_and_week_in_vietnam_time(product):
    tz = timezone.get_current_timezone()
    monday = datetime.date(2026, 11, 16)
    # 23:30 on Sunday in Vietnam is 16:30 UTC on Sunday: it belongs to the earlier week.
    _scan_at(product, datetime.datetime(2026, 11, 15, 23, 30, tzinfo=tz))
    _scan_at(product, datetime.datetime(2026, 11, 16, 0, 30, tzinfo=tz))
    _scan_at(product, datetime.datetime(2026, 11, 16, 9, 0, tzinfo=tz))
    _scan_at(product, datetime.datetime(2026, 11, 18, 9, 0, tzinfo=tz))
    since = datetime.date(2026, 11, 9)
    days = scan_counts(products=[product], period="day", since=since)
    assert [(row["period_start"], row["scans"]) for row in days] == [
        (datetime.date(2026, 11, 15), 1),
        (monday, 2),
        (datetime.date(2026, 11, 18), 1),
    ]
    weeks = scan_counts(
        products=ProductPage.objects.filter(pk=product.pk), period="week", since=since
    )
    assert [(row["period_start"], row["scans"]) for row in weeks] == [
        (datetime.date(2026, 11, 9), 1),
        (monday, 3),
    ]


def test_scan_counts_rejects_unknown_period(product):
    with pytest.raises(ValueError):
        scan_counts(products=[product], period="month", since=datetime.date(2026, 1, 1))


@pytest.fixture
def scans_everywhere(product, other_product):
    now = timezone.now()
    _scan_at(product, now)
    _scan_at(other_product, now)
    return product, other_product


@pytest.mark.parametrize(
    ("role_user", "sees_tanan", "sees_tamvu"),
    [
        ("anonymous", False, False),
        ("buyer", False, False),
        ("producer_other", False, True),
        ("staff_x", True, False),
        ("staff_y", False, True),
        ("province", False, False),
        ("superuser", True, True),
    ],
    indirect=["role_user"],
)
def test_scans_visible_to_follows_page_permissions(
    role_user, sees_tanan, sees_tamvu, scans_everywhere
):
    tanan_product, tamvu_product = scans_everywhere
    visible = scans_visible_to(role_user)
    assert visible.filter(product=tanan_product).exists() is sees_tanan
    assert visible.filter(product=tamvu_product).exists() is sees_tamvu


def test_producer_sees_only_own_products_scans(producer_a, producer_b):
    own = set(products_visible_to(producer_a).values_list("pk", flat=True))
    other = set(products_visible_to(producer_b).values_list("pk", flat=True))
    assert own and other
    assert not own & other
    for pk in own | other:
        Scan.objects.create(product_id=pk, device="mobile", in_app="none")
    seen = set(scans_visible_to(producer_a).values_list("product_id", flat=True))
    assert seen == own


def test_head_request_redirects_without_counting(client, product):
    before = Scan.objects.count()
    response = client.head(f"/q/{product.short_code}", HTTP_HOST="tanan.localhost")
    assert response.status_code == 302
    assert Scan.objects.count() == before
