"""The Wagtail admin speaks Vietnamese: our catalogues in commune_site/locale are loaded and sound.

The catalogue checks run for every committed catalogue: the Vietnamese ones (Wagtail's and
Django's admin strings) and the English one (the site's own strings, whose msgids are Vietnamese).
"""

import ast
import gettext
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from products.models import ProductPage
from tests.system_tools import tool

LOCALE_ROOT = Path(settings.PROJECT_DIR) / "locale"
# (locale, domain) of every catalogue we commit, .po and compiled .mo.
CATALOGUES = [("vi", "django"), ("vi", "djangojs"), ("en", "django")]
# %(name)s, %s, {name}, {{ var }} and HTML tags must survive translation unchanged.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[sdifr]|%[sdif]|\{\{[^}]*\}\}|\{[A-Za-z_0-9]*\}|</?[A-Za-z][^>]*>"
)
# GNU gettext checks the catalogues: `make test` installs it, `make test-fast` leaves these out.
needs_msgfmt = pytest.mark.system


def po_path(locale, domain, suffix="po"):
    return LOCALE_ROOT / locale / "LC_MESSAGES" / f"{domain}.{suffix}"


def parse_po(path):
    """Entries of a .po file as dicts with msgid, msgid_plural, msgstr (first form), forms
    (every msgstr, plural forms in order) and flags (from the ``#,`` comment, e.g. fuzzy)."""
    entries, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current:
                entries.append(current)
            current, key = {}, None
        elif line.startswith("#,"):
            current.setdefault("flags", set()).update(
                flag.strip() for flag in line[2:].split(",") if flag.strip()
            )
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            keyword, literal = line.split(" ", 1)
            key = keyword.replace("msgstr[0]", "msgstr")
            current[key] = ast.literal_eval(literal)
    for entry in entries:
        entry.setdefault("flags", set())
        plural_forms = sorted(k for k in entry if k.startswith("msgstr["))
        entry["forms"] = [entry["msgstr"]] + [entry[k] for k in plural_forms]
    return [entry for entry in entries if entry["msgid"]]


def admin_html(client, url):
    return client.get(url, HTTP_HOST="localhost").content.decode()


def sidebar_strings(html):
    """Every string in the sidebar props: the main menu is drawn by JavaScript from this JSON."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    found = []

    def walk(node):
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, str):
            found.append(node)

    walk(json.loads(props.group(1)))
    return found


def test_locale_path_is_configured():
    assert Path(settings.PROJECT_DIR) / "locale" in [Path(p) for p in settings.LOCALE_PATHS]


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES)
def test_every_translation_keeps_the_placeholders_and_tags_of_its_msgid(locale, domain):
    entries = parse_po(po_path(locale, domain))
    assert len(entries) > 50
    broken = []
    for entry in entries:
        wanted = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for form in entry["forms"]:
            if not form or set(PLACEHOLDER.findall(form)) != wanted:
                broken.append((entry["msgid"], form))
    assert broken == []


@needs_msgfmt
@pytest.mark.parametrize(("locale", "domain"), CATALOGUES)
def test_catalogue_passes_msgfmt_check(locale, domain, tmp_path):
    result = subprocess.run(
        [tool("msgfmt"), "--check", "-o", str(tmp_path / "out.mo"), str(po_path(locale, domain))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@needs_msgfmt
@pytest.mark.parametrize(("locale", "domain"), CATALOGUES)
def test_committed_mo_matches_the_po(locale, domain, tmp_path):
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run([tool("msgfmt"), "-o", str(fresh), str(po_path(locale, domain))], check=True)
    with open(po_path(locale, domain, "mo"), "rb") as committed, open(fresh, "rb") as compiled:
        committed_catalog = gettext.GNUTranslations(committed)._catalog
        assert committed_catalog == gettext.GNUTranslations(compiled)._catalog


def test_login_page_is_in_vietnamese_for_anonymous(client, db):
    html = admin_html(client, "/admin/login/")
    assert "Đăng nhập trang quản trị" in html
    assert "Quên mật khẩu?" in html
    assert "Forgotten password?" not in html


def test_an_english_browser_still_gets_vietnamese(client, db):
    html = client.get("/admin/login/", HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Quên mật khẩu?" in html.content.decode()
    assert html["Content-Language"] == "vi"
    public = client.get("/", HTTP_HOST="tanan.localhost", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="vi">' in public.content.decode()
    assert "Accept-Language" not in public.get("Vary", "")


def test_language_cookie_chooses_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Forgotten password?" in admin_html(client, "/admin/login/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "Quên mật khẩu?" in admin_html(client, "/admin/login/")


def test_admin_user_may_prefer_english(admin_client, admin_user):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    assert "Pages" in sidebar_strings(admin_html(admin_client, "/admin/"))


def test_dashboard_menu_is_in_vietnamese(admin_client):
    html = admin_html(admin_client, "/admin/")
    menu = sidebar_strings(html)
    for label in ("Trang", "Hình ảnh", "Tài liệu", "Báo cáo", "Cài đặt", "Trợ giúp", "Đăng xuất"):
        assert label in menu, label
    for english in ("Pages", "Images", "Documents", "Reports", "Settings", "Help", "Log out"):
        assert english not in menu, english
    assert "<title>Bảng điều khiển" in html


def test_product_page_editor_is_in_vietnamese(admin_client, tanan):
    product = ProductPage.objects.descendant_of(tanan).first()
    html = admin_html(admin_client, f"/admin/pages/{product.pk}/edit/")
    for label in ("Xuất bản", "Lưu nháp", "Xem trước", "Gửi duyệt", "Hủy xuất bản"):
        assert label in html, label
    assert "Save draft" not in html


def test_failed_page_creation_explains_itself_in_vietnamese(admin_client, tanan):
    producer = ProductPage.objects.descendant_of(tanan).first().get_parent()
    response = admin_client.post(
        f"/admin/pages/add/products/productpage/{producer.pk}/",
        nested_form_data(
            {
                "title": "",
                "description": streamfield([]),
                "where_to_buy": streamfield([]),
                "gallery": inline_formset([]),
                "certifications": inline_formset([]),
                "comments": inline_formset([]),
            }
        ),
        HTTP_HOST="localhost",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không thể tạo trang do có lỗi dữ liệu." in html
    assert "Trường này là bắt buộc." in html


def test_admin_javascript_catalogue_is_in_vietnamese(admin_client):
    js = admin_html(admin_client, "/admin/jsi18n/")
    assert "\\u0110ang l\\u01b0u..." in js or "Đang lưu..." in js


def test_page_explorer_is_in_vietnamese(admin_client, tanan):
    producer = ProductPage.objects.descendant_of(tanan).first().get_parent()
    html = admin_html(admin_client, f"/admin/pages/{producer.pk}/")
    for label in ("Thêm trang con", "Đang hoạt động", "Cập nhật", "Trạng thái"):
        assert label in html, label
    assert "Add child page" not in html
