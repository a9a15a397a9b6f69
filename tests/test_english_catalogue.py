"""The English catalogue: every string of the site is translated, and the language cookie shows it.

The site's msgids are Vietnamese (commune_site/locale/en/LC_MESSAGES/django.po); a visitor who
chose English with the language cookie gets the public pages and the producer portal in English,
everyone else in Vietnamese. The catalogue's placeholders, msgfmt check and compiled .mo are
tested with the Vietnamese ones in tests/test_admin_language.py.
"""

import pytest
from django.conf import settings

from products.models import ProductPage
from tests.test_admin_language import parse_po, po_path

TANAN_HOST = "tanan.localhost"
# Cơ sở lạp xưởng Bà Tư's OCOP 4-star product, sold by the box, in season in months 1, 2, 11, 12.
PRODUCT_SLUG = "lap-xuong-tuoi-tan-an"
LOGIN_PATH = "/portal/dang-nhap/"

# (Vietnamese msgid, its English translation) as each page must show them.
EVERY_PAGE = [
    ("Chuyển đến nội dung", "Skip to content"),
    (">Tìm</a>", ">Search</a>"),
    (
        "Chương trình chuyển đổi số phường, xã — sản phẩm chủ lực và OCOP.",
        "Digital transformation program for wards and communes — key products and OCOP.",
    ),
]
COMMUNE_HOME = EVERY_PAGE + [
    ("Sản phẩm nổi bật", "Featured products"),
    ("Xem tất cả sản phẩm", "See all products"),
    ("Các nhà sản xuất", "Producers"),
    ("Ủy ban nhân dân Phường Tân An", "People's Committee of Phường Tân An"),
]
PRODUCT = EVERY_PAGE + [
    ("Sản xuất bởi", "Produced by"),
    ("Nguồn gốc và chứng nhận", "Origin and certification"),
    ("Nơi mua", "Where to buy"),
    ("Mùa vụ: Tháng 1–2, 11–12", "Season: Months 1–2, 11–12"),
    ("4 sao, giấy chứng nhận số", "4 stars, certificate no."),
    # Model choices are translated too: the price unit and the producer's kind.
    ("/ hộp", "/ box"),
    ("(Hộ sản xuất)", "(Household)"),
]
LOGIN = [
    ("Đăng nhập cổng nhà sản xuất", "Producer portal login"),
    ("Dành cho nhà sản xuất và cán bộ Phường Tân An.", "For producers and staff of Phường Tân An."),
    (">Số điện thoại</label>", ">Phone number</label>"),
    (">Mật khẩu</label>", ">Password</label>"),
    (
        "Quên mật khẩu? Gọi cán bộ xã để được đặt lại.",
        "Forgot your password? Call the commune staff to have it reset.",
    ),
]


@pytest.fixture(params=[False, True], ids=["page-cache-off", "page-cache-on"])
def page_cache(request, settings):
    """Both ways public pages are served: rendered, and from the shared cache in production."""
    settings.PAGE_CACHE_ENABLED = request.param
    return request.param


def get(client, path, english):
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    else:
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    response = client.get(path, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 200
    return response


def assert_english(response, strings):
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    for vietnamese, english in strings:
        assert vietnamese not in html, vietnamese
        assert english in html, english


def assert_vietnamese(response, strings):
    html = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in html
    for vietnamese, english in strings:
        assert vietnamese in html, vietnamese
        assert english not in html, english


def each_language_twice(client, path, page_cache):
    """Vietnamese, English, Vietnamese, English; the second round from the cache when it is on."""
    for round_number, english in enumerate((False, True, False, True)):
        response = get(client, path, english)
        if page_cache:
            assert response["X-Page-Cache"] == ("miss" if round_number < 2 else "hit")
        yield english, response


def product_path(tanan):
    product = ProductPage.objects.descendant_of(tanan).get(slug=PRODUCT_SLUG)
    return product.relative_url(tanan.get_site())


# The catalogue


def test_every_english_entry_is_translated_and_not_fuzzy():
    path = po_path("en", "django")
    entries = parse_po(path)
    assert len(entries) > 400
    untranslated = [entry["msgid"] for entry in entries if not all(entry["forms"])]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []
    plurals = [entry for entry in entries if "msgid_plural" in entry]
    assert plurals and all(len(entry["forms"]) == 2 for entry in plurals)
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "fuzzy" not in header
    assert '"Language: en\\n"' in header


def test_english_catalogue_is_loaded():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Chuyển đến nội dung") == "Skip to content"
        assert translation.ngettext("%(counter)s sản phẩm", "%(counter)s sản phẩm", 2) == (
            "%(counter)s products"
        )
        assert translation.ngettext("%(counter)s sản phẩm", "%(counter)s sản phẩm", 1) == (
            "%(counter)s product"
        )


def test_model_names_have_english_plurals_and_one_vietnamese_form():
    from django.utils import translation

    from producers.models import ProducerPage
    from products.models import Batch

    with translation.override("en"):
        assert str(ProductPage._meta.verbose_name) == "product"
        assert str(ProductPage._meta.verbose_name_plural) == "products"
        assert str(Batch._meta.verbose_name_plural) == "batches"
        assert str(ProducerPage._meta.verbose_name_plural) == "producers"
    with translation.override("vi"):
        assert str(ProductPage._meta.verbose_name_plural) == "sản phẩm"


def test_month_choices_follow_the_language_they_are_shown_in():
    from django.utils import translation

    from producers.portal.forms import MONTH_CHOICES as PORTAL_MONTHS
    from products.fields import MONTH_CHOICES

    with translation.override("en"):
        assert [str(label) for _, label in MONTH_CHOICES[:2]] == ["Month 1", "Month 2"]
        assert str(PORTAL_MONTHS[11][1]) == "12"
    with translation.override("vi"):
        assert [str(label) for _, label in MONTH_CHOICES[:2]] == ["Tháng 1", "Tháng 2"]
        assert str(PORTAL_MONTHS[11][1]) == "T12"


# Public pages, each asked in Vietnamese, English, then Vietnamese and English again: with the
# page cache on, the later ones come from the cache, which must keep the languages apart.


@pytest.mark.django_db
def test_commune_home_page_speaks_the_language_of_the_cookie(client, page_cache):
    for english, response in each_language_twice(client, "/", page_cache):
        if english:
            assert_english(response, COMMUNE_HOME)
        else:
            assert_vietnamese(response, COMMUNE_HOME)


@pytest.mark.django_db
def test_product_page_speaks_the_language_of_the_cookie(client, tanan, page_cache):
    path = product_path(tanan)
    for english, response in each_language_twice(client, path, page_cache):
        if english:
            assert_english(response, PRODUCT)
        else:
            assert_vietnamese(response, PRODUCT)


@pytest.mark.django_db
def test_english_browser_without_the_cookie_still_gets_vietnamese(client, tanan):
    response = client.get(product_path(tanan), HTTP_HOST=TANAN_HOST, HTTP_ACCEPT_LANGUAGE="en")
    assert_vietnamese(response, PRODUCT)


# The producer portal


@pytest.mark.django_db
def test_portal_login_page_is_in_english_with_the_cookie(client):
    assert_english(get(client, LOGIN_PATH, english=True), LOGIN)


@pytest.mark.django_db
def test_portal_login_page_is_in_vietnamese_without_the_cookie(client):
    assert_vietnamese(get(client, LOGIN_PATH, english=False), LOGIN)


@pytest.mark.django_db
def test_failed_portal_login_explains_itself_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        LOGIN_PATH, {"phone": "0912345601", "password": "sai-mat-khau"}, HTTP_HOST=TANAN_HOST
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Incorrect phone number or password." in html
    assert "Số điện thoại hoặc mật khẩu không đúng." not in html
