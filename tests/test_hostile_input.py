"""Hostile input never makes the server fail: every public URL and every portal form, no 5xx.

Each value of ``HOSTILE`` goes, one at a time, into every path argument and every query
parameter of every public URL (as an anonymous visitor), and into every field, path argument
and query parameter of every portal form (as the roles that use it). Any answer >= 500 is
collected and all of them are reported together.

What is covered is found, not listed:
- public URLs: every pattern of the URLconf outside /admin/ and /portal/ (a new one fails
  ``test_every_public_url_has_an_example`` until ``PUBLIC_EXAMPLES`` gives it valid arguments),
  and every live page type in the tree with its routable sub-pages;
- portal forms: every URL under /portal/ must be in ``PORTAL`` (the page showing its form, the
  roles using it, its path arguments); fields are read from that page's HTML, so a new field is
  covered as is;
- query parameters: the keys a view reads from ``request.GET``/``POST`` while answering a
  normal request (``reading_keys``; a ``PortalUrl.query`` makes a view read the keys of a
  bound filter form), plus an unknown one;
- uploads: every file field gets a hostile name and hostile bytes, and a ``PortalUrl.files``
  adds what that upload reads (the sales import: CSV cells, a binary renamed .xlsx, nothing);
- the admin revenue screens' query parameters, as commune staff and province officer.
"""

import datetime
import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.datastructures import MultiValueDict
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from producers.revenue.models import Channel, Sale
from producers.revenue.services import sale_record
from products import gs1
from products.models import Batch, ProductCategory, ProductPage
from tests.roles_fixtures import PRODUCER_A_PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """Hundreds of expected 400s and 404s would bury the report; failures are collected."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


HOST = "tanan.localhost"

HOSTILE = [
    '"',
    "'",
    'thanh long "ruot do"',
    'lap"xuong',
    "\\",
    "\x00",
    "lap\x00xuong",
    "\x01\x08\x1b\x7f",
    "NEAR(a b) a* OR b NOT c AND",
    "title:x ^y -z +w {a b} (",
    "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "%",
    "%00%s%n",
    "<script>alert(1)</script>{{ request }}",
    "../../../../etc/passwd",
    "x" * 10_000,
    "\u202eexe.gnp\u202c",
    "thanh long مرحبا שלום",
    "9" * 400,
    "-9223372036854775809",
    "2147483648",
    "1e309",
    "NaN",
    "-1",
    "²",
    "１２３",
    "🐉",
    "e\u0301" * 200,
    " ",
    "\r\n",
]
# One value of each kind that broke something once, for a role whose requests reach the code
# another role already met with every value.
HOSTILE_CORE = [
    '"',
    "\x00",
    "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "<script>alert(1)</script>{{ request }}",
    "x" * 10_000,
    "\u202eexe.gnp\u202c",
    "9" * 400,
    "1e309",
    "-1",
    "²",
]

# Valid arguments for each public URL pattern (by name, or by route when it has none).
# Wagtail's page serving (wagtail_serve) is covered by the page tree instead.
PUBLIC_EXAMPLES: dict[str, Callable] = {
    "search": lambda w: {},
    "sitemap": lambda w: {},
    "robots_txt": lambda w: {},
    "products:qr_image": lambda w: {"code": w.product.short_code, "fmt": "png"},
    "products:short_link": lambda w: {"code": w.product.short_code},
    "products:gs1_product": lambda w: {"gtin": w.product.gtin},
    "products:gs1_batch": lambda w: {"gtin": w.product.gtin, "lot": w.batch.lot_code},
    "wagtaildocs_serve": lambda w: [1, "giay-chung-nhan.pdf"],
    "wagtaildocs_authenticate_with_password": lambda w: {"restriction_id": 1},
    "wagtailcore_authenticate_with_password": lambda w: {
        "page_view_restriction_id": 1,
        "page_id": w.product.pk,
    },
    "wagtailcore_login": lambda w: {},
    "^media/(?!documents/)(?P<path>.+)$": lambda w: {"path": "original_images/anh.jpg"},
}
PAGE_SERVING = "wagtail_serve"

ANONYMOUS, PRODUCER, STAFF_ACTING = "anonymous", "producer", "staff acting for a producer"
MEMBERS = (PRODUCER, STAFF_ACTING)


@dataclass(frozen=True)
class PortalUrl:
    """Where a portal URL's form is shown (None: it has no form) and who uses it."""

    form_on: str | None
    roles: tuple[str, ...] = MEMBERS
    # Valid values the page does not hold itself (an empty lot code, a password), or a
    # function of the values it holds.
    valid: dict = field(default_factory=dict)
    # Path arguments to GET the URL with, from the demo objects (World); also those of its
    # form page when that is the URL itself (a sale's edit page).
    kwargs: Callable = lambda world: {}
    # Valid query parameters to GET it with, so that a filter form is bound and reads its keys.
    query: dict = field(default_factory=dict)
    # Valid query parameters of its form page (the sales form shows once a product is tapped).
    form_query: Callable = lambda world: {}
    # The uploads of a hostile value for its file fields, and uploads hostile as a whole.
    upload: Callable = lambda value: [_upload(value)]
    files: tuple = ()


def _sales_csv(name, cells, *, header=True):
    rows = ["Ngày,Sản phẩm,Số lượng,Đơn vị,Đơn giá,Thành tiền,Kênh bán,Ghi chú"] if header else []
    rows += [",".join(cells)]
    return SimpleUploadedFile(name, "\r\n".join(rows).encode("utf-8", "surrogatepass"), "text/csv")


def _quoted(value):
    return '"' + value.replace('"', '""') + '"'


# Files the sales import reads, whole: rows whose cells hold the hostile values, a spreadsheet
# that is not one, nothing at all, a byte-order mark and bad bytes, a header alone.
SALES_FILES = (
    lambda: _sales_csv("ban-hang.csv", [_quoted(value) for value in HOSTILE[:8]]),
    lambda: _sales_csv("ban-hang.csv", [_quoted(value) for value in HOSTILE[8:16]]),
    lambda: _sales_csv("ban-hang.csv", [_quoted(value) for value in HOSTILE[16:24]]),
    lambda: _sales_csv("ban-hang.csv", [_quoted(value) for value in HOSTILE[24:]]),
    lambda: SimpleUploadedFile("ban-hang.xlsx", b"\x00\xff\xfe" * 300, "application/zip"),
    lambda: SimpleUploadedFile("ban-hang.xlsx", b"PK\x03\x04" + b"\x00" * 60, "application/zip"),
    lambda: SimpleUploadedFile("ban-hang.csv", b"", "text/csv"),
    lambda: SimpleUploadedFile("ban-hang.xlsx", b"", "application/zip"),
    lambda: SimpleUploadedFile("ban-hang.csv", b"\xef\xbb\xbf\xff\xfe\x00", "text/csv"),
    lambda: _sales_csv("ban-hang.csv", []),
)


def _sales_upload(value):
    """A sales file named and filled with the hostile value (read as CSV and as XLSX)."""
    safe = value[:200].replace("/", "_").replace("\x00", "_") or "x"
    return [
        _sales_csv(f"{safe}.csv", [_quoted(value)] * 8),
        SimpleUploadedFile(f"{safe}.xlsx", value.encode("utf-8", "surrogatepass"), "text/csv"),
    ]


def _valid_sales_file(_ticked):
    return _sales_csv("ban-hang.csv", ["20/11/2026", "Cam", "2", "kg", "30.000", "", "Chợ", ""])


PORTAL = {
    "portal:home": PortalUrl(None),
    "portal:login": PortalUrl(
        "portal:login",
        roles=(ANONYMOUS,),
        valid={"phone": PRODUCER_A_PHONE, "password": "khong-dung-mat-khau", "next": "/portal/"},
    ),
    "portal:logout": PortalUrl("portal:home"),
    "portal:quick_edit": PortalUrl("portal:home", kwargs=lambda w: {"pk": w.product.pk}),
    "portal:batches": PortalUrl(
        "portal:batches", valid={"lot_code": "THU-01", "produced_on": "2026-11-20"}
    ),
    # One product is enough to print; every product would make each valid post a long PDF.
    "portal:labels": PortalUrl("portal:labels", valid={"products": lambda ticked: ticked[:1]}),
    "portal:scans": PortalUrl(None),
    "portal:profile": PortalUrl("portal:profile"),
    # Its photo buttons post "photo" (main:, up:, down:, remove: an image id): read by the view.
    "portal:product_edit": PortalUrl(
        "portal:product_edit", kwargs=lambda w: {"pk": w.product.pk}
    ),
    "portal:product_new": PortalUrl(
        "portal:product_new",
        valid={
            "title": "Bánh tráng thử",
            "summary": "Một câu giới thiệu.",
            "category": lambda _shown: [str(ProductCategory.objects.first().pk)],
        },
    ),
    "portal:act_for": PortalUrl("portal:act_for", roles=(STAFF_ACTING,)),
    "portal:act_for_stop": PortalUrl("portal:act_for", roles=(STAFF_ACTING,)),
    "portal:sales": PortalUrl(
        "portal:sales", valid={"quantity": "2"}, form_query=lambda w: {"product": w.product.pk}
    ),
    "portal:sale_edit": PortalUrl("portal:sale_edit", kwargs=lambda w: {"pk": w.sale.pk}),
    # After the edit: posting it deletes the sale, so what follows answers 404.
    "portal:sale_delete": PortalUrl("portal:sale_delete", kwargs=lambda w: {"pk": w.sale.pk}),
    "portal:revenue": PortalUrl(
        None, query={"ky": "tuy-chon", "tu": "2026-01", "den": "2026-06", "danh_muc": ""}
    ),
    "portal:baseline": PortalUrl("portal:baseline", valid={"month_1": "1.000.000"}),
    "portal:sales_import": PortalUrl(
        "portal:sales_import",
        valid={"file": _valid_sales_file},
        upload=_sales_upload,
        files=SALES_FILES,
    ),
    "portal:sales_export": PortalUrl(
        None, query={"format": "csv", "date_from": "01/01/2026", "date_to": "30/11/2026"}
    ),
}
# Posting these ends the role's session; they are sent once, with every hostile value at once.
SESSION_ENDING = {"portal:logout", "portal:act_for_stop"}
UNKNOWN_PARAM = "khong-co"
TOKEN = "ZZHOSTILEZZ"


# --- Finding what to attack -------------------------------------------------------------------


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every pattern of the URLconf, names with their namespaces."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (namespace + pattern.name) if pattern.name else None


def public_patterns():
    return {
        name or route: route
        for route, name in url_patterns()
        if not route.startswith(("admin/", "portal/"))
    }


def portal_names():
    return {name or route for route, name in url_patterns() if route.startswith("portal/")}


@contextmanager
def reading_keys():
    """The keys a view reads from request.GET and request.POST while the block runs."""
    keys = set()
    own = {name: name in MultiValueDict.__dict__ for name in ("__getitem__", "get", "getlist")}
    own["__contains__"] = "__contains__" in MultiValueDict.__dict__
    originals = {name: getattr(MultiValueDict, name) for name in own}

    def spy(original):
        def method(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                keys.add(key)
            return original(self, key, *args, **kwargs)

        return method

    for name, original in originals.items():
        setattr(MultiValueDict, name, spy(original))
    try:
        yield keys
    finally:
        for name, original in originals.items():
            if own[name]:
                setattr(MultiValueDict, name, original)
            else:
                delattr(MultiValueDict, name)


@dataclass
class Form:
    """A <form method="post"> as a browser would submit it untouched."""

    action: str
    multipart: bool = False
    data: dict[str, list[str]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    radios: dict[str, list[str]] = field(default_factory=dict)

    def fields(self):
        return [*self.data, *self.files]

    def base(self, valid):
        data = {name: list(values) for name, values in self.data.items()}
        for name, values in self.radios.items():
            if not data[name]:
                data[name] = values[:1]  # a required choice left empty: take the first
        for name, value in valid.items():
            data[name] = value(data.get(name, [])) if callable(value) else [value]
        return data


class FormParser(HTMLParser):
    """Every POST form of a page, with its fields and their current values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.open: Form | None = None
        self.select = self.textarea = None
        self.options: list[tuple[str, bool]] = []
        self.multiple = False
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                enctype = a.get("enctype") == "multipart/form-data"
                self.open = Form(action=a.get("action") or "", multipart=enctype)
                self.forms.append(self.open)
            return
        if self.open is None or not a.get("name"):
            if tag == "option" and self.select:
                self.options.append((a.get("value", ""), "selected" in a))
            return
        name, kind = a["name"], (a.get("type") or "text").lower()
        form = self.open
        if tag == "input" and kind in ("submit", "button", "image", "reset"):
            return
        if tag == "input" and kind == "file":
            form.files.add(name)
        elif tag == "input" and kind in ("checkbox", "radio"):
            form.data.setdefault(name, [])
            if "checked" in a:
                form.data[name].append(a.get("value", "on"))
            if kind == "radio":
                form.radios.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "input":
            form.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select":
            self.select, self.options, self.multiple = name, [], "multiple" in a
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.open = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.multiple and self.options:
                chosen = [self.options[0][0]]
            self.open.data[self.select] = chosen
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.open.data[self.textarea] = [self.text]
            self.textarea = None


def post_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# --- Sending it and collecting failures --------------------------------------------------------


class Attack:
    """Sends requests, each in a savepoint, and keeps every answer >= 500."""

    def __init__(self, client, host=HOST, values=None):
        self.client, self.host, self.failures, self.sent = client, host, [], 0
        self.values = HOSTILE if values is None else values

    def send(self, method, path, what, value, data=None, host=None):
        self.sent += 1
        extra = {"HTTP_HOST": host or self.host}
        for value in (data or {}).values():
            if hasattr(value, "seek"):
                value.seek(0)  # a valid upload is sent again with each request
        with transaction.atomic():
            if method == "get":
                response = self.client.get(path, data, **extra)
            else:
                response = self.client.post(path, data or {}, **extra)
            if response.status_code >= 500:
                # PostgreSQL refuses every later query in a failed transaction.
                transaction.set_rollback(True)
        if response.status_code >= 500:
            error = response.exc_info[1] if response.exc_info else ""
            shown = repr(value) if len(repr(value)) < 60 else repr(value)[:40] + f"…({len(value)})"
            self.failures.append(
                f"{response.status_code} {method.upper()} {path[:80]} {what}={shown}: "
                f"{type(error).__name__}: {str(error)[:120]}"
            )
        return response

    def query(self, path, *, host=None, params=None, also=()):
        """Every hostile value in every query parameter the view reads (and in those of
        ``also``), and in an unknown one."""
        with reading_keys() as keys:
            first = self.send("get", path, "(plain)", "", data=params or {}, host=host)
        if first.status_code == 405:
            return keys
        # Keys no view reads reach only the middleware (the page cache key, for one): all at once.
        unknown = {f"{UNKNOWN_PARAM}{index}": value for index, value in enumerate(self.values)}
        self.send(
            "get",
            path,
            f"?{UNKNOWN_PARAM}*",
            "(every value)",
            data={**(params or {}), **unknown},
            host=host,
        )
        for key in sorted(keys | set(also)):
            for value in self.values:
                self.send(
                    "get", path, f"?{key}", value, data={**(params or {}), key: value}, host=host
                )
        return keys

    def path_args(self, name, args, *, method="get", data=None, host=None):
        """Every hostile value in each argument of a named URL, the others valid."""
        positional = isinstance(args, list)
        for index, key in enumerate(args):
            for token in (TOKEN, "918273645"):
                changed = list(args) if positional else dict(args)
                changed[index if positional else key] = token
                try:
                    path = (
                        reverse(name, args=changed) if positional else reverse(name, kwargs=changed)
                    )
                    break
                except NoReverseMatch:
                    continue
            else:  # a closed choice such as svg|png: swap the valid value in the path itself
                path = reverse(name, args=args) if positional else reverse(name, kwargs=args)
                valid = quote(str(args[index if positional else key]), safe="")
                head, sep, tail = path.rpartition(valid)
                assert sep, f"{name}: cannot place a value in argument {key}"
                path, token = head + TOKEN + tail, TOKEN
            for value in self.values:
                attacked = path.replace(token, quote(value, safe=""), 1)
                self.send(method, attacked, f"<{key}>", value, data=data, host=host)

    def report(self):
        assert not self.failures, f"{len(self.failures)} of {self.sent} requests failed:\n" + (
            "\n".join(self.failures)
        )


# --- The demo objects --------------------------------------------------------------------------


@dataclass
class World:
    product: ProductPage
    batch: Batch
    sale: Sale


@pytest.fixture
def world(producer_a, tanan):
    producer = producer_a.producer_account.producer
    product = ProductPage.objects.live().child_of(producer).order_by("path").first()
    if not product.gtin:
        body = "893456789012"
        product.gtin = f"0{body}{gs1.check_digit(body)}"
        product.save(update_fields=["gtin"])
    sale = sale_record(
        producer=producer, product=product, sold_on=datetime.date(2026, 11, 20),
        quantity=Decimal("2"), unit="kg", unit_price_vnd=30_000, channel=Channel.MARKET,
        entered_by=producer_a,
    )
    return World(product=product, batch=product.batches.order_by("pk").first(), sale=sale)


def test_every_public_url_has_an_example():
    missing = set(public_patterns()) - set(PUBLIC_EXAMPLES) - {PAGE_SERVING}
    assert not missing, f"Give these public URLs valid arguments in PUBLIC_EXAMPLES: {missing}"


def test_every_portal_url_says_where_its_form_is():
    missing = portal_names() - set(PORTAL)
    assert not missing, f"Add these portal URLs to PORTAL (form page and roles): {missing}"


def test_hostile_values_include_what_broke_before():
    assert {'"', "\x00", "x" * 10_000, "9" * 400} <= set(HOSTILE_CORE) <= set(HOSTILE)


def test_public_urls_answer_hostile_input_without_server_error(settings, world):
    settings.PAGE_CACHE_ENABLED = True  # as in production: hostile keys go through the cache
    attack = Attack(Client(raise_request_exception=False))
    patterns = public_patterns()
    read = {}
    for name, example in PUBLIC_EXAMPLES.items():
        args = example(world)
        route = patterns[name]
        if name == route:  # no name: the only argument is the route's whole tail
            path = "/" + route.split("<", 1)[0]
            [(key, valid)] = args.items()
            read[name] = attack.query(path + valid)
            for value in HOSTILE:
                attack.send("get", path + quote(value, safe=""), f"<{key}>", value)
            continue
        path = reverse(name, args=args) if isinstance(args, list) else reverse(name, kwargs=args)
        read[name] = attack.query(path)
        attack.path_args(name, args)

    # Wagtail's page serving: one live page of each type, with its routable sub-pages.
    pages = {}
    for page in Page.objects.live().exclude(depth=1).order_by("path").specific():
        pages.setdefault(type(page), page)
    for page in pages.values():
        _site, root, path = page.get_url_parts()
        host = urlsplit(root).hostname
        attack.query(path, host=host)
        for value in HOSTILE:
            attack.send("get", f"{path}{quote(value, safe='')}/", "<slug>", value, host=host)
        if isinstance(page, RoutablePageMixin):
            for pattern in page.get_subpage_urls():
                if not pattern.name or not pattern.pattern.converters:
                    continue
                keys = list(pattern.pattern.converters)
                sub = page.reverse_subpage(pattern.name, kwargs=dict.fromkeys(keys, TOKEN))
                attack.query(path + sub.replace(TOKEN, world.batch.lot_code), host=host)
                for value in HOSTILE:
                    attacked = path + sub.replace(TOKEN, quote(value, safe=""))
                    attack.send("get", attacked, f"<{pattern.name}>", value, host=host)

    assert ProductPage in pages and "q" in read["search"] and "size" in read["products:qr_image"]
    attack.report()


def _become(client, role, *, producer_a, staff_x):
    client.logout()
    if role == PRODUCER:
        client.force_login(producer_a)
    elif role == STAFF_ACTING:
        client.force_login(staff_x)
        producer = producer_a.producer_account.producer
        client.post(reverse("portal:act_for"), {"producer": producer.pk}, HTTP_HOST=HOST)


def _upload(value):
    safe = quote(value[:50], safe="") or "x"
    return SimpleUploadedFile(f"{safe}.jpg", value.encode("utf-8", "surrogatepass"), "image/jpeg")


# One test per portal URL and role using it, so that xdist spreads them over its workers (one
# test of every URL took over three minutes on one core while the other stood idle).
PORTAL_CASES = [
    pytest.param(name, role, id=f"{name}-{role}")
    for name, portal in PORTAL.items()
    for role in (ANONYMOUS, PRODUCER, STAFF_ACTING)
    if role in portal.roles
]


@pytest.mark.parametrize(("name", "role"), PORTAL_CASES)
def test_portal_answers_hostile_input_without_server_error(name, role, producer_a, staff_x, world):
    """Every hostile value in the query parameters of one portal URL, and in every field, file
    and path argument of its form, as one role that uses it."""
    client = Client(raise_request_exception=False)
    # Staff acting for a producer reach the producer's own code: one value of each kind.
    attack = Attack(client, values=HOSTILE_CORE if role == STAFF_ACTING else HOSTILE)
    _become(client, role, producer_a=producer_a, staff_x=staff_x)
    portal = PORTAL[name]

    # Query parameters of the page, when it answers GET.
    attack.query(reverse(name, kwargs=portal.kwargs(world)), params=portal.query)
    if portal.form_on is None:
        attack.report()
        return

    # Its form: found on its page, each field attacked in turn with the rest valid.
    page = portal.form_on
    path = reverse(page, kwargs=portal.kwargs(world) if page == name else {})
    html = client.get(path, portal.form_query(world), HTTP_HOST=HOST).content.decode()
    found = {}
    for form in post_forms(html):
        target = resolve(urlsplit(form.action).path)
        found.setdefault(target.view_name, (form, target))
    assert name in found, f"no form posting to {name} on {page}"
    form, target = found[name]
    base = form.base(portal.valid)
    if name in SESSION_ENDING:
        # Posting it ends the role's session: sent once, with every hostile value at once.
        extra = {f"x{index}": value for index, value in enumerate(attack.values)}
        attack.send("post", form.action, "(every value)", "", data={**base, **extra})
        attack.report()
        return
    with reading_keys() as keys:
        attack.send("post", form.action, "(valid)", "", data=base)
    # The test client skips the CSRF check, so its token reaches no code.
    fields = [*form.fields(), *sorted(keys - set(form.fields()))]
    for key in [key for key in fields if key != "csrfmiddlewaretoken"]:
        for value in attack.values:
            if key not in form.files:
                attack.send("post", form.action, key, value, data={**base, key: [value]})
                continue
            for upload in portal.upload(value):
                what = f"{key} ({upload.name[-5:]})"
                attack.send("post", form.action, what, value, data={**base, key: upload})
        for make in portal.files if key in form.files else ():
            upload = make()
            data = {**base, key: upload}
            attack.send("post", form.action, key, f"{upload.name} {upload.size} B", data=data)
    if target.kwargs:
        attack.path_args(name, dict(target.kwargs), method="post", data=base)
    attack.report()


# The admin revenue screens: their filters, format and table choices, as the roles who see them.
ADMIN_REVENUE = {
    "revenue_dashboard": {},
    "revenue_dashboard_export": {"format": "xlsx", "table": "products"},
    "revenue_report": {"format": "xlsx"},
    "revenue_import": {},
    "revenue_export": {"format": "csv"},
}
# Besides the keys each screen reads while answering (found, as for the portal).
ADMIN_KEYS = ("format", "commune", "from", "to", "category", "table")


@pytest.mark.parametrize("role", ["staff_x", "province"])
@pytest.mark.parametrize("name", list(ADMIN_REVENUE))
def test_admin_revenue_screens_answer_hostile_input_without_server_error(
    name, role, request, world
):
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(role))
    # The province officer reaches the same parsing as staff: one value of each kind.
    attack = Attack(client, values=HOSTILE_CORE if role == "province" else HOSTILE)
    attack.query(reverse(name), params=ADMIN_REVENUE[name], also=ADMIN_KEYS)
    attack.report()


FILTER_KEYS = ("xa", "danh-muc", "ocop", "chung-nhan", "mua-vu", "con-hang", "gia-tu", "gia-den")
FILTER_LISTS = [
    ("localhost", "/tim-kiem/"),
    (HOST, "/tim-kiem/"),
    (HOST, "/san-pham/"),
]


@pytest.mark.parametrize(("host", "path"), FILTER_LISTS)
def test_product_filters_take_every_hostile_value_at_once_calmly(client, host, path):
    """Every filter of a product list holding the same hostile value, with a query: a page
    (the bad filters named and left out), never a 500 or a 400."""
    failures = []
    for value in HOSTILE:
        data = dict.fromkeys(FILTER_KEYS, value)
        data.update(q=value, trang=value)
        response = client.get(path, data, HTTP_HOST=host)
        if response.status_code != 200:
            failures.append((repr(value)[:40], response.status_code))
    assert not failures


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"gia-tu": "-1"}, "Giá không được âm."),
        ({"gia-den": "-9223372036854775809"}, "Giá không được âm."),
        ({"gia-tu": "9" * 400}, "Giá quá lớn."),
        ({"gia-den": "1e309"}, "Giá là số đồng"),
        ({"gia-tu": "NaN"}, "Giá là số đồng"),
        ({"gia-tu": "500000", "gia-den": "1000"}, "phải lớn hơn hoặc bằng"),
        ({"xa": "9" * 400}, "Không có phường/xã này."),
        ({"ocop": "²"}, "Hạng OCOP là 3, 4 hoặc 5 sao."),
    ],
)
def test_bad_filter_values_give_a_clear_vietnamese_message(client, data, message):
    response = client.get("/tim-kiem/", {"q": "thanh long", **data}, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert message in response.content.decode()
