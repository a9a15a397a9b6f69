"""The permission matrix: every URL the project serves, requested as every role.

HOW TO ADD YOUR URL (every helper adding a named URL pattern must do this)
--------------------------------------------------------------------------
1. Add a ``Row`` to ``MATRIX`` below, under the heading of your feature:
       Row("portal:quick_edit", {**PORTAL_PAGE, "producer_b": 404},
           kwargs=lambda w: {"pk": w.product_a.pk}, method="post", host=TANAN_HOST)
   - ``name``: the URL name, "namespace:name" as ``reverse()`` takes it.
   - ``kwargs``: a function of the ``World`` (the demo objects, see ``World``) giving the
     reverse() kwargs. Pick an object that belongs to producer A / commune X, so the
     other roles prove they cannot reach it.
   - ``expect``: role → status code (or a tuple of acceptable codes). Start from a preset
     (ADMIN_STAFF, PORTAL_PAGE, PUBLIC, ...) and override the roles that differ. Every role in
     ROLES must end up with an expectation; the test says which are missing.
   - ``private=True`` (the default) runs the leak check: the response must not contain
     any title of a producer or product the role has no business seeing (see
     ``forbidden_titles``). Set ``private=False`` only for public pages.
   - ``query``: a query string, e.g. "q=thanh+long" for search views.
   - ``host``: "tanan.localhost" for URLs that depend on the commune host.
2. Run ``pytest tests/test_permission_matrix.py``. ``test_every_url_pattern_is_in_the_matrix``
   fails for any named pattern that is neither in MATRIX nor covered by a Wagtail group
   in ``WAGTAIL_COVERED`` (Wagtail's own admin, covered by rows for representative
   views plus the page-view sweep ``test_wagtail_page_views_of_other_tenants_are_closed``).
3. Patterns of OUR apps (snippets and viewsets of our models included) must be listed
   one by one; only Wagtail's own patterns may be covered by group.

Roles: anonymous, buyer (logged in, no rights), producer_a and producer_b (two producers of
Phường Tân An), producer_other (a producer of Xã Tầm Vu), staff_x (Phường Tân An),
staff_y (Xã Tầm Vu), province (province officer), superuser. Wagtail answers a refused
admin request with 302 (to the login page, or to the dashboard with a message).
"""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from producers.models import ProducerAccount, ProducerPage
from products.models import Batch, Certification, ProductCategory, ProductPage
from showcase.models import CommuneHomePage

pytestmark = pytest.mark.django_db

TANAN, TAMVU = 27712, 28210
TANAN_HOST = "tanan.localhost"
ROLES = [
    "anonymous",
    "buyer",
    "producer_a",
    "producer_b",
    "producer_other",
    "staff_x",
    "staff_y",
    "province",
    "superuser",
]
PRODUCERS = ["producer_a", "producer_b", "producer_other"]
OK, REDIRECT, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED = 200, 302, 403, 404, 405
REFUSED = (302, 403, 404)  # any refusal; the leak check still runs on the body


def roles(default, **overrides):
    """An expectation for every role: ``default`` unless overridden by name."""
    expect = dict.fromkeys(ROLES, default)
    expect.update(overrides)
    return expect


# Presets. Override per row with {**PRESET, "role": status}.
PUBLIC = roles(OK)
# Wagtail admin screens open to anyone with admin access, filtered by their rights.
ADMIN_ANY = roles(OK, anonymous=REDIRECT, buyer=REDIRECT)
# Admin screens for commune staff (and superusers) only.
ADMIN_STAFF = roles(
    REDIRECT, staff_x=OK, staff_y=OK, superuser=OK
)
SUPERUSER_ONLY = roles(REDIRECT, superuser=OK)
# Producer portal pages on tanan.localhost.
PORTAL_PAGE = roles(
    FORBIDDEN, anonymous=REDIRECT, producer_a=OK, producer_b=OK, staff_x=REDIRECT,
    superuser=REDIRECT,
)
# Logged-in admin users outside commune X, for views that answer 404 before any check.
OUTSIDERS_404 = dict.fromkeys([*PRODUCERS, "staff_y", "province"], NOT_FOUND)


# Revenue admin screens: commune staff, province officers and superusers.
REVENUE_STAFF = roles(REDIRECT, staff_x=OK, staff_y=OK, province=OK, superuser=OK)
REVENUE_VIEWS = [
    ("revenue_dashboard", ""),
    ("revenue_dashboard_export", "table=months&format=csv"),
    ("revenue_dashboard_export", "table=products&format=xlsx"),
    ("revenue_report", "format=html"),
    ("revenue_report", "format=pdf"),
    ("revenue_report", "format=xlsx"),
]


def with_commune(attribute, query):
    """query builder: ``query`` with ``commune=<the World commune's pk>``."""
    return lambda world: "&".join(
        part for part in (query, f"commune={getattr(world, attribute).pk}") if part
    )


def pk_of(attribute):
    """kwargs builder: {"pk": <the World object's pk>}."""
    return lambda world: {"pk": getattr(world, attribute).pk}


@dataclass
class Row:
    name: str
    expect: dict
    kwargs: Callable | None = None
    query: str | Callable = ""
    host: str = "localhost"
    private: bool = True
    method: str = "get"
    data: dict = field(default_factory=dict)
    extra_forbidden: Callable | None = None

    def url(self, world):
        params = self.kwargs(world) if self.kwargs else None
        if isinstance(params, tuple):  # a pattern with unnamed groups, e.g. wagtail_serve
            path = reverse(self.name, args=params)
        else:
            path = reverse(self.name, kwargs=params)
        query = self.query(world) if callable(self.query) else self.query
        return f"{path}?{query}" if query else path


class World:
    """The demo objects the rows point at, looked up once per test."""

    def __init__(self):
        self.tanan = CommuneHomePage.objects.get(ward_code=TANAN)
        self.tamvu = CommuneHomePage.objects.get(ward_code=TAMVU)
        accounts = {
            account.user.username: account
            for account in ProducerAccount.objects.select_related("user", "producer")
        }
        self.account_a = accounts["0912345601"]
        self.account_b = accounts["0912345602"]
        self.account_other = accounts["0912345621"]
        self.producer_a = self.account_a.producer
        self.producer_b = self.account_b.producer
        self.producer_other = self.account_other.producer
        self.product_a = ProductPage.objects.child_of(self.producer_a).order_by("path").first()
        self.product_b = ProductPage.objects.child_of(self.producer_b).order_by("path").first()
        self.product_other = (
            ProductPage.objects.child_of(self.producer_other).order_by("path").first()
        )
        self.image_a = self.producer_a.image
        self.image_other = self.producer_other.image
        self.batch_a = Batch.objects.filter(product=self.product_a).order_by("pk").first()
        self.productcategory = ProductCategory.objects.order_by("pk").first()
        self.certification = Certification.objects.order_by("pk").first()

    @cached_property
    def sale_a(self):
        """A sale of producer A, recorded when a row asks for it (the test rolls it back)."""
        from producers.revenue.services import sale_record

        return sale_record(
            producer=self.producer_a,
            product=self.product_a,
            sold_on=datetime.date(2026, 1, 15),
            quantity=Decimal("2"),
            unit="kg",
            unit_price_vnd=35_000,
            channel="market",
            entered_by=self.account_a.user,
        )


MATRIX = [
    # --- Roles and tenant isolation (producers/wagtail_hooks.py) ---------------------
    Row("producer_accounts:index", ADMIN_STAFF),
    Row("producer_accounts:index_results", ADMIN_STAFF),
    Row("producer_accounts:add", ADMIN_STAFF),
    Row(
        "producer_accounts:edit",
        {**ADMIN_STAFF, "staff_y": NOT_FOUND},
        kwargs=lambda w: {"pk": w.account_a.pk},
    ),
    # The object is looked up among the user's own accounts before the permission check.
    Row(
        "producer_accounts:history",
        {**ADMIN_STAFF, **OUTSIDERS_404},
        kwargs=lambda w: {"pk": w.account_a.pk},
    ),
    Row(
        "producer_accounts:history_results",
        {**ADMIN_STAFF, **OUTSIDERS_404},
        kwargs=lambda w: {"pk": w.account_a.pk},
    ),
    Row(
        "producer_accounts:usage",
        {**ADMIN_STAFF, **OUTSIDERS_404},
        kwargs=lambda w: {"pk": w.account_a.pk},
    ),
    # Nobody deletes an account (deactivate instead): the policy grants no "delete".
    Row(
        "producer_accounts:delete",
        roles(REDIRECT),
        kwargs=lambda w: {"pk": w.account_a.pk},
    ),
    Row("producers_province_overview", roles(REDIRECT, province=OK, superuser=OK)),
    # --- Revenue dashboards and pilot report (producers/revenue/admin_views.py) ------------
    # Commune staff see their own commune, the province officer and superusers every one; a
    # commune id the user may not see answers 404. Producers and buyers are sent away.
    *[
        Row(name, {**REVENUE_STAFF, "staff_y": NOT_FOUND}, query=with_commune("tanan", query))
        for name, query in REVENUE_VIEWS
    ],
    *[
        Row(name, {**REVENUE_STAFF, "staff_x": NOT_FOUND}, query=with_commune("tamvu", query))
        for name, query in REVENUE_VIEWS
    ],
    # Without a commune in the query: the user's own commune, or all of them.
    *[
        Row(name, REVENUE_STAFF, query=query)
        for name, query in (REVENUE_VIEWS[0], REVENUE_VIEWS[1], REVENUE_VIEWS[3])
    ],
    # The communes side by side: only where several communes are shown.
    Row(
        "revenue_dashboard_export",
        {**REVENUE_STAFF, "staff_x": NOT_FOUND, "staff_y": NOT_FOUND},
        query="table=communes&format=xlsx",
    ),
    # --- Adding a commune (showcase/admin_views.py) ---------------------------------
    Row("showcase_add_commune", roles(REDIRECT, province=OK, superuser=OK)),
    # --- Wagtail admin, representative views per group -------------------------------
    Row("wagtailadmin_home", ADMIN_ANY),
    # Everyone but a superuser is sent on to their own explorable root.
    Row("wagtailadmin_explore_root", roles(REDIRECT, superuser=OK)),
    Row(
        "wagtailadmin_explore",
        {**ADMIN_ANY, "staff_y": REDIRECT, "producer_a": REDIRECT, "producer_b": REDIRECT,
         "producer_other": REDIRECT, "province": REDIRECT},
        kwargs=lambda w: {"parent_page_id": w.tanan.pk},
    ),
    Row("wagtailadmin_pages:search", {**ADMIN_ANY, "province": REDIRECT}, query="q=thanh+long"),
    # Outside their communes the tenant middleware answers 403 before Wagtail's own check;
    # the province officer may look (and is sent away by Wagtail: no edit right).
    Row(
        "wagtailadmin_pages:edit",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "province": REDIRECT,
         "producer_a": OK, "staff_x": OK, "superuser": OK},
        kwargs=lambda w: {"page_id": w.product_a.pk},
    ),
    Row("wagtailadmin_choose_page", ADMIN_ANY),
    Row("wagtailadmin_choose_page_search", ADMIN_ANY, query="q=thanh+long"),
    Row(
        "wagtailadmin_choose_page_child",
        {**ADMIN_ANY, "buyer": FORBIDDEN, "staff_y": FORBIDDEN, "producer_other": FORBIDDEN},
        kwargs=lambda w: {"parent_page_id": w.tanan.pk},
    ),
    Row("wagtailimages:index", {**ADMIN_ANY, "province": REDIRECT}),
    Row("wagtailimages_chooser:choose", ADMIN_ANY),
    Row(
        "wagtailimages:edit",
        {**roles(REDIRECT), "producer_a": OK, "staff_x": OK, "superuser": OK},
        kwargs=lambda w: {"image_id": w.image_a.pk},
    ),
    Row("wagtaildocs:index", {**ADMIN_ANY, "province": REDIRECT}),
    Row("wagtaildocs_chooser:choose", ADMIN_ANY),
    Row("wagtailadmin_reports:locked_pages", {**ADMIN_ANY, **dict.fromkeys(PRODUCERS, REDIRECT),
                                              "province": REDIRECT}),
    Row("wagtailadmin_reports:aging_pages", {**ADMIN_ANY, "province": REDIRECT}),
    Row("wagtailadmin_reports:site_history", ADMIN_ANY),
    Row("wagtailadmin_reports:page_types_usage",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "superuser": OK}),
    Row("wagtailadmin_reports:workflow",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "superuser": OK}),
    Row("wagtailadmin_reports:workflow_tasks",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "superuser": OK}),
    Row("wagtailsites:index", SUPERUSER_ONLY),
    Row("wagtailusers_users:index", SUPERUSER_ONLY),
    Row("wagtailusers_groups:index", SUPERUSER_ONLY),
    Row("wagtailadmin_collections:index", SUPERUSER_ONLY),
    Row("wagtailadmin_workflows:index", SUPERUSER_ONLY),
    Row("wagtailadmin_workflows:task_index", SUPERUSER_ONLY),
    Row("wagtailredirects:index", SUPERUSER_ONLY),
    # --- Producer portal (producers/portal/) -------------------------------------------
    # Staff of the commune (and superusers) are sent to pick a producer to act for.
    # Producers of this host's commune get in; staff of the commune (and superusers) are
    # sent to choose whom they enter data for; everyone else is refused.
    *[
        Row(name, PORTAL_PAGE, host=TANAN_HOST)
        for name in ("portal:home", "portal:batches", "portal:labels", "portal:scans",
                     "portal:profile")
    ],
    Row(
        "portal:login",
        {**roles(OK), "producer_a": REDIRECT, "producer_b": REDIRECT, "staff_x": REDIRECT,
         "superuser": REDIRECT},
        host=TANAN_HOST,
    ),
    Row("portal:logout", roles(405), host=TANAN_HOST),
    *[
        Row(
            name,
            {**roles(FORBIDDEN), "anonymous": REDIRECT, "producer_a": OK, "producer_b": OK,
             "staff_x": REDIRECT, "superuser": REDIRECT},
            host=TANAN_HOST,
        )
        for name in ("portal:batches", "portal:labels", "portal:scans", "portal:profile")
    ],
    Row(
        "portal:quick_edit",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "producer_a": OK, "producer_b": NOT_FOUND,
         "staff_x": REDIRECT, "superuser": REDIRECT},
        kwargs=lambda w: {"pk": w.product_a.pk},
        method="post",
        host=TANAN_HOST,
    ),
    Row(
        "portal:act_for",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "staff_x": OK, "superuser": OK},
        host=TANAN_HOST,
    ),
    Row("portal:act_for_stop", roles(405), host=TANAN_HOST),
    # --- Producer portal (producers/portal/), on the commune host ---------------------
    # GET rows prove who gets in; the portal's own tests cover each POST per role.
    # Producers of this host's commune get in; staff of the commune (and superusers) are
    # sent to choose whom they enter data for; everyone else is refused.
    *[
        Row(name, PORTAL_PAGE, host=TANAN_HOST)
        for name in ("portal:home", "portal:batches", "portal:labels", "portal:scans",
                     "portal:profile")
    ],
    Row(
        "portal:login",
        {**roles(OK), "producer_a": REDIRECT, "producer_b": REDIRECT, "staff_x": REDIRECT,
         "superuser": REDIRECT},
        host=TANAN_HOST,
    ),
    Row("portal:logout", roles(METHOD_NOT_ALLOWED), host=TANAN_HOST),
    Row(
        "portal:quick_edit",
        roles(METHOD_NOT_ALLOWED),
        kwargs=lambda w: {"pk": w.product_a.pk},
        host=TANAN_HOST,
    ),
    Row(
        "portal:act_for",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "staff_x": OK, "superuser": OK},
        host=TANAN_HOST,
    ),
    Row("portal:act_for_stop", roles(METHOD_NOT_ALLOWED), host=TANAN_HOST),
    # --- Sales import and export (producers/revenue/import_views.py) --------------------
    # The portal's import and export: the producers of this host's commune, for themselves.
    *[
        Row(name, PORTAL_PAGE, host=TANAN_HOST, query=query)
        for name, query in (("portal:sales_import", ""), ("portal:sales_export", ""),
                            ("portal:sales_export", "format=csv"))
    ],
    # A token that names no pending upload: a message and the form again, nothing imported.
    Row("portal:sales_import", PORTAL_PAGE, method="post", host=TANAN_HOST,
        data={"token": "nothing-pending"}),
    # Staff import for their own producers; a foreign producer id is not a valid choice.
    Row("revenue_import", ADMIN_STAFF),
    Row("revenue_import", {**ADMIN_STAFF, "staff_x": 400, "staff_y": 400, "superuser": 400},
        method="post", data={"producer": "0"}),
    # Staff export their communes, the province officer every commune.
    Row("revenue_export", {**ADMIN_STAFF, "province": OK}),
    Row("revenue_export", {**ADMIN_STAFF, "province": OK, "staff_y": 400},
        query=lambda w: f"format=xlsx&producer={w.producer_a.pk}"),
    Row("revenue_export", {**ADMIN_STAFF, "province": OK, "staff_x": 400},
        query=lambda w: f"format=csv&commune={w.tamvu.pk}"),
    # --- Revenue in the producer portal (producers/revenue/views.py) --------------------
    # Like every portal page; with producer A's sale id, producer B gets a 404. Acting staff
    # and each POST per role: tests/producers/revenue/test_portal_access.py.
    *[
        Row(name, PORTAL_PAGE, host=TANAN_HOST)
        for name in ("portal:sales", "portal:revenue", "portal:baseline")
    ],
    *[
        Row(
            name,
            {**PORTAL_PAGE, "producer_b": NOT_FOUND},
            kwargs=lambda w: {"pk": w.sale_a.pk},
            host=TANAN_HOST,
        )
        for name in ("portal:sale_edit", "portal:sale_delete")
    ],
    # --- QR codes and labels (products/) -------------------------------------------------
    Row(
        "products:qr_image",
        PUBLIC,
        kwargs=lambda w: {"code": w.product_a.short_code, "fmt": "svg"},
        private=False,
    ),
    Row(
        "products:short_link",
        roles(REDIRECT),
        kwargs=lambda w: {"code": w.product_a.short_code},
        private=False,
    ),
    # No demo product carries a GTIN yet: an unknown GTIN is a 404 for everyone.
    Row(
        "products:gs1_product",
        roles(NOT_FOUND),
        kwargs=lambda w: {"gtin": "08930000000019"},
        private=False,
    ),
    Row(
        "products:gs1_batch",
        roles(NOT_FOUND),
        kwargs=lambda w: {"gtin": "08930000000019", "lot": "LO1"},
        private=False,
    ),
    Row("products_label_sheet", {**ADMIN_ANY, "province": REDIRECT}),
    Row("products_scan_report", ADMIN_ANY),
    # Batches: the product's editors (its producer, its commune's staff).
    Row("wagtailsnippets_products_batch:list", {**ADMIN_ANY, "province": REDIRECT}),
    Row("wagtailsnippets_products_batch:list_results", {**ADMIN_ANY, "province": REDIRECT}),
    Row("wagtailsnippets_products_batch:add", {**ADMIN_ANY, "province": REDIRECT}),
    *[
        Row(
            f"wagtailsnippets_products_batch:{view}",
            {**roles(REDIRECT), "producer_a": OK, "staff_x": OK, "superuser": OK},
            kwargs=lambda w: {"pk": w.batch_a.pk},
        )
        for view in ("edit", "copy", "delete", "history", "history_results", "usage")
    ],
    Row("wagtailsnippetchoosers_products_batch:choose", ADMIN_ANY),
    Row("wagtailsnippetchoosers_products_batch:choose_results", ADMIN_ANY),
    Row("wagtailsnippetchoosers_products_batch:create", {**ADMIN_ANY, "province": REDIRECT}),
    Row(
        "wagtailsnippetchoosers_products_batch:chosen_multiple",
        ADMIN_ANY,
        query=lambda w: f"id={w.batch_a.pk}",
    ),
    Row(
        "wagtailsnippetchoosers_products_batch:chosen",
        # The chooser serves forms, so it hands out only batches the user may edit.
        {**ADMIN_ANY, "producer_b": NOT_FOUND, "producer_other": NOT_FOUND,
         "staff_y": NOT_FOUND, "province": NOT_FOUND},
        kwargs=lambda w: {"pk": w.batch_a.pk},
    ),
    # Shared catalogue (categories, certifications): superusers edit, every editor chooses.
    *[
        Row(f"wagtailsnippets_products_{model}:{view}", SUPERUSER_ONLY, kwargs=kwargs)
        for model in ("productcategory", "certification")
        for view, kwargs in [
            ("list", None),
            ("list_results", None),
            ("add", None),
            *[
                (view, pk_of(model))
                for view in ("edit", "copy", "delete", "history", "history_results", "usage")
            ],
        ]
    ],
    *[
        Row(f"wagtailsnippetchoosers_products_{model}:{view}", ADMIN_ANY, kwargs=kwargs)
        for model in ("productcategory", "certification")
        for view, kwargs in [
            ("choose", None),
            ("choose_results", None),
            ("chosen_multiple", None),
            ("chosen", pk_of(model)),
        ]
    ],
    Row("wagtailsnippetchoosers_products_productcategory:create", SUPERUSER_ONLY),
    Row("wagtailsnippetchoosers_products_certification:create", SUPERUSER_ONLY),
    # --- Public pages -------------------------------------------------------------------
    # A commune site's search finds its own products only, whoever asks.
    Row(
        "search",
        PUBLIC,
        query="q=thanh+long",
        host=TANAN_HOST,
        private=False,
        extra_forbidden=lambda w: titles_under(w.tamvu),
    ),
    Row(
        "wagtail_serve",
        PUBLIC,
        kwargs=lambda w: (w.product_a.url_path.split("/", 2)[2],),
        host=TANAN_HOST,
        private=False,
    ),
]

# Wagtail's own URL groups, covered by the representative rows above and the page sweep.
# Our apps' patterns may never appear here.
WAGTAIL_COVERED = [
    r"^wagtailadmin_pages:",
    r"^wagtailadmin_(choose_page|explore|home|account|login|logout|password_reset)",
    r"^wagtailadmin_(javascript_catalog|sprite|dismissibles|error_test|block_preview)$",
    r"^wagtailadmin_tag_(model_)?autocomplete$",
    r"^wagtailadmin_(reports|workflows|collections|api|editing_sessions):",
    r"^wagtailimages(_chooser)?:",
    r"^wagtaildocs(_chooser)?:",
    r"^wagtaildocs_(serve|authenticate_with_password)$",
    r"^wagtail(sites|users_users|users_groups|redirects|forms|embeds|settings):",
    r"^wagtailcore_(login|authenticate_with_password)$",
    r"^wagtail_(serve|bulk_action)$",
    r"^wagtailsnippets:",  # the snippet index; per-model snippet viewsets are listed
]


def _walk(patterns, namespace=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield ":".join(namespace + (pattern.name,)) if pattern.name else None, pattern


def all_url_names():
    return sorted({name for name, _ in _walk(get_resolver().url_patterns) if name})


def unnamed_patterns():
    return [str(p.pattern) for name, p in _walk(get_resolver().url_patterns) if not name]


def titles_under(commune):
    """Titles of every producer and product page in a commune."""
    return list(
        ProducerPage.objects.descendant_of(commune).values_list("title", flat=True)
    ) + list(ProductPage.objects.descendant_of(commune).values_list("title", flat=True))


def forbidden_titles(role, world):
    """Titles of producers and products this role must never see in a private response."""
    by_producer = {}
    for producer in ProducerPage.objects.all():
        titles = [producer.title]
        titles += list(ProductPage.objects.child_of(producer).values_list("title", flat=True))
        by_producer[producer.pk] = (producer.path, titles)
    allowed_paths = {
        "producer_a": [world.producer_a.path],
        "producer_b": [world.producer_b.path],
        "producer_other": [world.producer_other.path],
        "staff_x": [world.tanan.path],
        "staff_y": [world.tamvu.path],
        "province": [""],
        "superuser": [""],
    }.get(role, [])
    allowed, forbidden = set(), set()
    for path, titles in by_producer.values():
        if any(path.startswith(prefix) for prefix in allowed_paths):
            allowed.update(titles)
        else:
            forbidden.update(titles)
    return sorted(forbidden - allowed)


def _body(response):
    text = response.content.decode(errors="replace") if hasattr(response, "content") else ""
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _user(role):
    if role == "anonymous":
        return None
    User = get_user_model()
    if role == "buyer":
        return User.objects.get_or_create(username="nguoimua.matrix")[0]
    username = {
        "producer_a": "0912345601",
        "producer_b": "0912345602",
        "producer_other": "0912345621",
        "staff_x": "canbo.tanan",
        "staff_y": "canbo.tamvu",
        "province": "canbo.tinh",
        "superuser": "admin",
    }[role]
    return User.objects.get(username=username)


def _request(client, row, role, world):
    user = _user(role)
    if user is not None:
        client.force_login(user)
    method = getattr(client, row.method)
    return method(row.url(world), row.data or None, HTTP_HOST=row.host)


def test_every_url_pattern_is_in_the_matrix():
    listed = {row.name for row in MATRIX}
    missing = [
        name
        for name in all_url_names()
        if name not in listed and not any(re.match(rx, name) for rx in WAGTAIL_COVERED)
    ]
    assert missing == [], f"Add these URL names to MATRIX in {__file__}: {missing}"


def test_matrix_rows_name_real_urls_and_every_role():
    names = set(all_url_names())
    for row in MATRIX:
        assert row.name in names, f"{row.name} is in MATRIX but not served"
        assert set(row.expect) == set(ROLES), f"{row.name}: roles {set(ROLES) - set(row.expect)}"


def test_only_wagtail_serves_unnamed_patterns():
    # An unnamed pattern could not be listed; name yours.
    for pattern in unnamed_patterns():
        assert not pattern.startswith(("portal", "q/", "api")), pattern


# Cells that fail today, each with its owner and the bug. strict=True: once fixed, the
# cell passes, the xfail fails, and the entry must be deleted here. Do not add to this
# list to make a test pass; fix the view or report it.
# (url name, role) pairs that fail today, each with the reason; the test xfails strictly,
# so a fix shows up at once. Empty: keep it that way.
KNOWN_BROKEN: dict[tuple[str, str], str] = {}


def _cells():
    for row in MATRIX:
        for role in ROLES:
            reason = KNOWN_BROKEN.get((row.name, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(row, role, id=f"{row.name}-{role}", marks=marks)


@pytest.mark.parametrize("row,role", list(_cells()))
def test_matrix(client, row, role):
    world = World()
    response = _request(client, row, role, world)
    expected = row.expect[role]
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (
        f"{row.name} as {role}: got {response.status_code}, expected {expected}"
    )
    forbidden = forbidden_titles(role, world) if row.private else []
    if row.extra_forbidden:
        forbidden += row.extra_forbidden(world)
    body = _body(response)
    leaked = [title for title in forbidden if title in body]
    assert leaked == [], f"{row.name} as {role} shows other tenants' data: {leaked}"


# --- Wagtail's page views, swept as a group -------------------------------------------

def _page_view_names():
    """wagtailadmin_pages:* views that take only a page id: edit, history, preview, ..."""
    names = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if not name or not name.startswith("wagtailadmin_pages:"):
            continue
        converters = set(pattern.pattern.converters)
        if converters == {"page_id"}:
            names.append(name)
    return sorted(names)


SWEEP = [
    # (role, whose page): each role against a page it must not touch. Province officers
    # read everything, so they are not swept; the edit rows above prove they cannot edit.
    ("staff_x", "product_other"),
    ("staff_y", "product_a"),
    ("producer_a", "product_b"),
    ("producer_a", "product_other"),
    ("producer_other", "product_a"),
    ("buyer", "product_a"),
]


@pytest.mark.parametrize("role,target", SWEEP)
def test_wagtail_page_views_of_other_tenants_are_closed(client, role, target):
    world = World()
    page = getattr(world, target)
    client.force_login(_user(role))
    forbidden = {page.title, page.get_parent().title}
    opened = {}
    for name in _page_view_names():
        response = client.get(reverse(name, kwargs={"page_id": page.pk}))
        body = _body(response)
        if response.status_code == 200 or any(title in body for title in forbidden):
            opened[name] = response.status_code
    assert opened == {}, f"{role} reached {target} through {opened}"
