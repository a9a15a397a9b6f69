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
4. If the pattern takes an object id (a kwarg named ``pk``, ``id`` or ``*_id``), also add an
   ``ObjectRoute`` in the object-level section at the bottom (``object_routes()``), saying
   which kind of tenant object it takes; ``test_every_id_taking_url_pattern_has_an_object_route``
   fails otherwise. A tenant-owned model of your own needs a ``ScopedPermissionPolicy``
   (``commune_site/permissions.py``) so the tenant middleware knows whose rows are whose.

Roles: anonymous, buyer (logged in, no rights), producer_a and producer_b (two producers of
Phường Tân An), producer_other (a producer of Xã Tầm Vu), staff_x (Phường Tân An),
staff_y (Xã Tầm Vu), province (province officer), superuser. Wagtail answers a refused
admin request with 302 (to the login page, or to the dashboard with a message); the tenant
middleware (producers/middleware.py) answers an object id the user may not see with 403.
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
# Logged-in users who may not see an object of commune X, or of producer A: the tenant
# middleware refuses the object's id with a 403 before the view runs.
OUTSIDE_TANAN_STAFF = dict.fromkeys(["buyer", *PRODUCERS, "staff_y", "province"], FORBIDDEN)
OUTSIDE_PRODUCER_A = dict.fromkeys(
    ["buyer", "producer_b", "producer_other", "staff_y", "province"], FORBIDDEN
)


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
    *[
        Row(
            f"producer_accounts:{view}",
            {**ADMIN_STAFF, **OUTSIDE_TANAN_STAFF},
            kwargs=lambda w: {"pk": w.account_a.pk},
        )
        for view in ("edit", "history", "history_results", "usage")
    ],
    # Nobody deletes an account (deactivate instead): the policy grants no "delete".
    Row(
        "producer_accounts:delete",
        {**roles(REDIRECT), **OUTSIDE_TANAN_STAFF},
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
        {**ADMIN_ANY, "staff_y": FORBIDDEN, "producer_a": REDIRECT, "producer_b": REDIRECT,
         "producer_other": FORBIDDEN, "province": REDIRECT, "buyer": FORBIDDEN},
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
        {**roles(REDIRECT), **OUTSIDE_PRODUCER_A, "producer_a": OK, "staff_x": OK,
         "superuser": OK},
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
    # A GET (the address bar after a form error) leads back to the product on the portal.
    Row(
        "portal:quick_edit",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "producer_a": REDIRECT,
         "producer_b": NOT_FOUND, "staff_x": REDIRECT, "superuser": REDIRECT},
        kwargs=lambda w: {"pk": w.product_a.pk},
        host=TANAN_HOST,
    ),
    Row(
        "portal:act_for",
        {**roles(FORBIDDEN), "anonymous": REDIRECT, "staff_x": OK, "superuser": OK},
        host=TANAN_HOST,
    ),
    Row("portal:act_for_stop", roles(METHOD_NOT_ALLOWED), host=TANAN_HOST),
    # --- A product's texts and photos, and new products, from the portal ----------------
    # Producer B asking for A's product gets a 404; a photo id the product does not hold is
    # a form error (400), never a change. Each role and acting staff:
    # tests/producers/test_portal_listing.py.
    Row("portal:product_edit", {**PORTAL_PAGE, "producer_b": NOT_FOUND},
        kwargs=pk_of("product_a"), host=TANAN_HOST),
    Row("portal:product_edit", {**PORTAL_PAGE, "producer_a": 400, "producer_b": NOT_FOUND},
        kwargs=pk_of("product_a"), method="post", data={"photo": "remove:0"}, host=TANAN_HOST),
    Row("portal:product_new", PORTAL_PAGE, host=TANAN_HOST),
    Row("portal:product_new", {**PORTAL_PAGE, "producer_a": 400, "producer_b": 400},
        method="post", host=TANAN_HOST),
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
            {**roles(REDIRECT), **OUTSIDE_PRODUCER_A, "producer_a": OK, "staff_x": OK,
             "superuser": OK},
            kwargs=lambda w: {"pk": w.batch_a.pk},
        )
        for view in ("edit", "copy", "delete", "history", "history_results", "usage")
    ],
    Row("wagtailsnippetchoosers_products_batch:choose", ADMIN_ANY),
    Row("wagtailsnippetchoosers_products_batch:choose_results", ADMIN_ANY),
    Row("wagtailsnippetchoosers_products_batch:create", {**ADMIN_ANY, "province": REDIRECT}),
    Row(
        "wagtailsnippetchoosers_products_batch:chosen_multiple",
        {**ADMIN_ANY, **OUTSIDE_PRODUCER_A},
        query=lambda w: f"id={w.batch_a.pk}",
    ),
    Row(
        "wagtailsnippetchoosers_products_batch:chosen",
        # The chooser serves forms, so it hands out only batches the user may edit.
        {**ADMIN_ANY, **OUTSIDE_PRODUCER_A},
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
    # Each host names its own pages only, whoever asks (tests/test_sitemaps.py in detail).
    *[
        Row(
            name,
            PUBLIC,
            host=TANAN_HOST,
            private=False,
            extra_forbidden=lambda w: [
                "tamvu.localhost",
                "cangiuoc.localhost",
                "http://localhost/",
                w.product_other.slug,
            ],
        )
        for name in ("sitemap", "robots_txt")
    ],
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


# --- Object level: every id-taking URL, every role, own and every other tenant's id ------
#
# Each tenant (Phường Tân An itself, its producers A and B, Xã Tầm Vu itself and its
# producer) gets private objects with marker titles: an unpublished page in moderation,
# an image, a document, a batch of that page. Every URL pattern that takes an object id is
# listed in OBJECT_ROUTES (or, with the reason, in NOT_TENANT_ROUTES); each role requests it
# with an object of its own tenant and with the object of every tenant it may not see (GET,
# and POST where the view writes). A response may not contain any marker (or published
# producer/product name) the role may not see, and nothing in the database may change.
# A new id-taking pattern fails test_every_id_taking_url_pattern_has_an_object_route.

from types import SimpleNamespace  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from taggit.models import TaggedItem  # noqa: E402
from wagtail.admin.views.bulk_action.registry import bulk_action_registry  # noqa: E402
from wagtail.contrib.redirects.models import Redirect  # noqa: E402
from wagtail.documents import get_document_model  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import (  # noqa: E402
    Collection,
    CollectionViewRestriction,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Revision,
    Site,
    TaskState,
    WorkflowState,
)

from producers.revenue.models import Sale  # noqa: E402
from producers.revenue.services import sale_record  # noqa: E402
from producers.roles import commune_collection, producer_collection  # noqa: E402

TENANTS = ["tanan", "producer_a", "producer_b", "tamvu", "producer_other"]
# Which tenants' private objects a role may see (pages, images, documents, batches).
OWN_TENANTS = {
    "anonymous": [],
    "buyer": [],
    "producer_a": ["producer_a"],
    "producer_b": ["producer_b"],
    "producer_other": ["producer_other"],
    "staff_x": ["tanan", "producer_a", "producer_b"],
    "staff_y": ["tamvu", "producer_other"],
    "province": [],
    "superuser": TENANTS,
}
# Objects only superusers manage (Wagtail model permissions nobody else holds).
SUPERUSER_KINDS = {"user", "group", "site", "collection", "workflow", "task", "redirect"}
KINDS = ["page", "image", "document", "batch", "account", "sale", *sorted(SUPERUSER_KINDS)]


def may_see(role, tenant, kind):
    if role == "superuser":
        return True
    if kind in SUPERUSER_KINDS:
        return False
    if kind == "page" and role == "province":
        return True  # province officers read every commune
    if kind == "account":  # producer accounts: their commune's staff, and the producer
        return role == tenant or (role.startswith("staff") and tenant in OWN_TENANTS[role])
    return tenant in OWN_TENANTS[role]


def _marker(tenant, kind):
    return f"ZQ{kind}{tenant.replace('_', '')}"


class ObjectWorld(World):
    """World plus, per tenant, private objects carrying marker titles (see _marker)."""

    def __init__(self):
        super().__init__()
        Image, Document = get_image_model(), get_document_model()
        superuser = _user("superuser")
        self.objects = {}
        for tenant in TENANTS:
            commune = self.tanan if tenant in ("tanan", *PRODUCERS[:2]) else self.tamvu
            producer = getattr(self, tenant) if tenant in PRODUCERS else None
            if producer is None:  # the commune's own: a draft producer page, its collection
                source = ProducerPage.objects.descendant_of(commune).first()
                collection = commune_collection(commune)
            else:
                source = ProductPage.objects.child_of(producer).first()
                collection = producer_collection(producer)
            page = source.copy(
                update_attrs={"title": _marker(tenant, "page"), "slug": f"zq-{tenant}"},
                keep_live=False,
                user=superuser,
                log_action=None,
            ).specific
            page.title = _marker(tenant, "page")
            revision = page.save_revision(user=superuser)
            workflow_state = page.get_workflow().start(page, superuser)
            image = Image.objects.create(
                title=_marker(tenant, "image"), file=self.image_a.file.name,
                width=self.image_a.width, height=self.image_a.height, collection=collection,
            )
            document = Document(title=_marker(tenant, "document"), collection=collection)
            document.file.save(f"{_marker(tenant, 'file')}.txt", ContentFile(b"bi mat"))
            site = Site.objects.get(root_page=commune)
            objects = SimpleNamespace(
                page=page,
                parent=page.get_parent(),
                revision=revision,
                workflow_state=workflow_state,
                task_state=workflow_state.current_task_state,
                image=image,
                document=document,
                collection=collection,
                site=site,
                workflow=page.get_workflow(),
                task=workflow_state.current_task_state.task,
                group=GroupPagePermission.objects.filter(page=commune).first().group,
                redirect=Redirect.objects.create(
                    old_path=f"/zq-{tenant}", site=site, redirect_page=page
                ),
                batch=None,
                account=None,
                user=None,
                sale=None,
            )
            if producer is not None:
                objects.batch = Batch.objects.create(
                    product=page, lot_code=_marker(tenant, "batch"), produced_on="2026-01-02"
                )
                objects.account = getattr(self, f"account_{tenant.removeprefix('producer_')}")
                objects.user = objects.account.user
                objects.user.last_name = _marker(tenant, "account")
                objects.user.save(update_fields=["last_name"])
                objects.sale = sale_record(
                    producer=producer, product_name=_marker(tenant, "sale"),
                    sold_on=datetime.date(2026, 1, 2), quantity=Decimal("3"), unit="kg",
                    unit_price_vnd=41_000, channel="market", entered_by=objects.user,
                )
            self.objects[tenant] = objects

    def markers_hidden_from(self, role):
        hidden = []
        for tenant in TENANTS:
            for kind in ("page", "image", "document", "batch", "account", "sale"):
                if not may_see(role, tenant, kind):
                    hidden.append(_marker(tenant, kind))
            if not may_see(role, tenant, "document"):
                hidden.append(self.objects[tenant].document.filename)
        return hidden


# Views that only show: tried with GET alone.
READ_ONLY_VIEWS = {
    "history", "history_results", "usage", "usage_results", "image_usage", "document_usage",
    "view_draft", "revisions_index", "revisions_view", "revisions_compare", "workflow_history",
    "workflow_history_detail", "workflow_preview", "preview_on_edit", "preview_on_add",
    "url_generator", "url_generator_output", "preview", "chosen", "chosen_multiple",
    "select_format", "list_submissions", "list_submissions_results", "move", "detail",
}


@dataclass
class ObjectRoute:
    """An id-taking URL: ``kwargs``/``query`` build it from one tenant's objects."""

    name: str
    kind: str
    kwargs: Callable | None = None
    query: Callable | None = None
    writes: bool = True  # also POSTed with a foreign id (empty form), nothing may change
    host: str = "localhost"

    def __post_init__(self):
        if self.name.rpartition(":")[2] in READ_ONLY_VIEWS:
            self.writes = False

    def url(self, objects):
        params = self.kwargs(objects) if self.kwargs else None
        if isinstance(params, tuple):  # unnamed groups, e.g. wagtaildocs_serve
            path = reverse(self.name, args=params)
        else:
            path = reverse(self.name, kwargs=params)
        return f"{path}?{self.query(objects)}" if self.query else path


def _page_id(o):
    return {"page_id": o.page.pk}


def _pk(attribute):
    return lambda o: {"pk": getattr(o, attribute).pk}


def _ids(attribute):
    return lambda o: f"id={getattr(o, attribute).pk}"


def _page_routes():
    routes = [ObjectRoute(name, "page", _page_id) for name in _page_view_names()]
    routes += [
        ObjectRoute("wagtailadmin_pages:add_subpage", "page",
                    lambda o: {"parent_page_id": o.page.pk}),
        *[
            ObjectRoute(name, "page", lambda o: {
                "content_type_app_name": "products", "content_type_model_name": "productpage",
                "parent_page_id": o.parent.pk})
            for name in ("wagtailadmin_pages:add", "wagtailadmin_pages:preview_on_add")
        ],
        ObjectRoute("wagtailadmin_pages:move", "page", lambda o: {"page_to_move_id": o.page.pk}),
        ObjectRoute("wagtailadmin_pages:set_page_position", "page",
                    lambda o: {"page_to_move_id": o.page.pk}, query=lambda o: "position=0"),
        ObjectRoute("wagtailadmin_pages:move_confirm", "page", lambda o: {
            "page_to_move_id": o.page.pk, "destination_id": o.parent.pk}),
        *[
            ObjectRoute(f"wagtailadmin_pages:revisions_{view}", "page", lambda o: {
                "page_id": o.page.pk, "revision_id": o.revision.pk})
            for view in ("view", "revert", "unschedule")
        ],
        ObjectRoute("wagtailadmin_pages:revisions_compare", "page", lambda o: {
            "pk": o.page.pk, "revision_id_a": "earliest", "revision_id_b": "latest"}),
        *[
            ObjectRoute(f"wagtailadmin_pages:{view}", "page", lambda o: {
                "page_id": o.page.pk, "action_name": "approve",
                "task_state_id": o.task_state.pk})
            for view in ("workflow_action", "collect_workflow_action_data")
        ],
        ObjectRoute("wagtailadmin_pages:workflow_preview", "page", lambda o: {
            "page_id": o.page.pk, "task_id": o.task.pk}),
        ObjectRoute("wagtailadmin_pages:workflow_history_detail", "page", lambda o: {
            "page_id": o.page.pk, "workflow_state_id": o.workflow_state.pk}),
        *[
            ObjectRoute(name, "page", lambda o: {"parent_page_id": o.page.pk}, writes=False)
            for name in ("wagtailadmin_explore", "wagtailadmin_explore_results",
                         "wagtailadmin_choose_page_child")
        ],
        *[
            ObjectRoute(f"wagtailforms:{view}", "page", _page_id)
            for view in ("list_submissions", "list_submissions_results", "delete_submissions")
        ],
        ObjectRoute("wagtailadmin_workflows:remove", "page", lambda o: {"page_pk": o.page.pk}),
        ObjectRoute("wagtailadmin_workflows:remove", "page", lambda o: {
            "page_pk": o.page.pk, "workflow_pk": o.workflow.pk}),
        ObjectRoute("wagtailadmin_choose_page_chosen_multiple", "page", query=_ids("page"),
                    writes=False),
        ObjectRoute("wagtailadmin_api:pages:detail", "page", _pk("page"), writes=False),
        ObjectRoute("wagtailadmin_api:pages:find", "page", query=_ids("page"), writes=False),
        ObjectRoute("wagtailadmin_api:pages:action", "page", lambda o: {
            "pk": o.page.pk, "action_name": "copy"}),
        ObjectRoute("wagtailadmin_editing_sessions:ping", "page", lambda o: {
            "app_label": "wagtailcore", "model_name": "page", "object_id": o.page.pk,
            "session_id": 0}),
        ObjectRoute("portal:quick_edit", "page", _pk("page"), host=TANAN_HOST),
        ObjectRoute("portal:product_edit", "page", _pk("page"), host=TANAN_HOST),
        # A sale is its producer's alone: in the portal, only they (or staff acting for
        # them) reach it; province officers see sums, never sales.
        *[
            ObjectRoute(name, "sale", _pk("sale"), host=TANAN_HOST)
            for name in ("portal:sale_edit", "portal:sale_delete")
        ],
    ]
    return routes


def _media_routes():
    image_id = lambda o: {"image_id": o.image.pk}  # noqa: E731
    document_id = lambda o: {"document_id": o.document.pk}  # noqa: E731
    doc_id = lambda o: {"doc_id": o.document.pk}  # noqa: E731
    return [
        *[
            ObjectRoute(f"wagtailimages:{view}", "image", image_id)
            for view in ("edit", "delete", "url_generator", "url_generator_output",
                         "image_usage", "edit_multiple", "delete_multiple")
        ],
        ObjectRoute("wagtailimages:preview", "image", lambda o: {
            "image_id": o.image.pk, "filter_spec": "original"}),
        ObjectRoute("wagtailimages_chooser:chosen", "image", _pk("image")),
        ObjectRoute("wagtailimages_chooser:select_format", "image", image_id),
        ObjectRoute("wagtailimages_chooser:chosen_multiple", "image", query=_ids("image")),
        ObjectRoute("wagtailadmin_api:images:detail", "image", _pk("image"), writes=False),
        ObjectRoute("wagtailadmin_api:images:find", "image", query=_ids("image"), writes=False),
        *[
            ObjectRoute(f"wagtaildocs:{view}", "document", document_id)
            for view in ("edit", "delete", "document_usage")
        ],
        *[
            ObjectRoute(f"wagtaildocs:{view}", "document", doc_id)
            for view in ("edit_multiple", "delete_multiple")
        ],
        ObjectRoute("wagtaildocs_chooser:chosen", "document", _pk("document")),
        ObjectRoute("wagtaildocs_chooser:chosen_multiple", "document", query=_ids("document")),
        ObjectRoute("wagtailadmin_api:documents:detail", "document", _pk("document"),
                    writes=False),
        ObjectRoute("wagtailadmin_api:documents:find", "document", query=_ids("document"),
                    writes=False),
        ObjectRoute("wagtaildocs_serve", "document",
                    lambda o: (o.document.pk, o.document.filename), writes=False),
    ]


def _model_routes():
    batch = "wagtailsnippets_products_batch"
    routes = [
        *[
            ObjectRoute(f"{batch}:{view}", "batch", _pk("batch"))
            for view in ("edit", "delete", "usage", "history", "history_results", "copy")
        ],
        ObjectRoute("wagtailsnippetchoosers_products_batch:chosen", "batch", _pk("batch")),
        ObjectRoute("wagtailsnippetchoosers_products_batch:chosen_multiple", "batch",
                    query=_ids("batch")),
        *[
            ObjectRoute(f"producer_accounts:{view}", "account", _pk("account"))
            for view in ("edit", "delete", "history", "history_results", "usage")
        ],
        *[
            ObjectRoute(f"wagtailusers_users:{view}", "user", _pk("user"))
            for view in ("edit", "delete", "history", "history_results", "usage", "copy")
        ],
        *[
            ObjectRoute(f"wagtailusers_groups:{view}", "group", _pk("group"))
            for view in ("edit", "delete", "history", "history_results", "usage")
        ],
        *[
            ObjectRoute(f"wagtailsites:{view}", "site", _pk("site"))
            for view in ("edit", "delete", "history", "history_results", "usage", "copy")
        ],
        *[
            ObjectRoute(f"wagtailadmin_collections:{view}", "collection", _pk("collection"))
            for view in ("edit", "delete")
        ],
        ObjectRoute("wagtailadmin_collections:set_privacy", "collection",
                    lambda o: {"collection_id": o.collection.pk}),
        *[
            ObjectRoute(f"wagtailadmin_workflows:{view}", "workflow", _pk("workflow"))
            for view in ("enable", "disable", "edit", "usage", "usage_results")
        ],
        *[
            ObjectRoute(f"wagtailadmin_workflows:{view}", "task", _pk("task"))
            for view in ("edit_task", "disable_task", "enable_task")
        ],
        ObjectRoute("wagtailadmin_workflows:task_chosen", "task", lambda o: {"task_id": o.task.pk}),
        *[
            ObjectRoute(f"wagtailredirects:{view}", "redirect",
                        lambda o: {"redirect_id": o.redirect.pk})
            for view in ("edit", "delete")
        ],
    ]
    return routes


BULK_KINDS = {
    "wagtailcore.page": "page",
    "wagtailimages.image": "image",
    "wagtaildocs.document": "document",
    "products.batch": "batch",
    "auth.user": "user",
}
# Bulk actions on shared rows (the catalogue every commune uses); MATRIX covers who may act.
SHARED_BULK_MODELS = {"products.productcategory", "products.certification"}


def _registered_bulk_actions():
    bulk_action_registry._scan_for_bulk_actions()
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            for action in actions:
                yield app_label, model_name, action


def _bulk_routes():
    routes = []
    for app_label, model_name, action in _registered_bulk_actions():
        kind = BULK_KINDS.get(f"{app_label}.{model_name}")
        if kind is None:
            continue  # shared or unknown: test_every_bulk_action_has_a_kind says which
        kwargs = {"app_label": app_label, "model_name": model_name, "action": action}
        routes.append(ObjectRoute("wagtail_bulk_action", kind, lambda o, k=kwargs: k,
                                  query=_ids(kind)))
        if kind == "page" and action == "publish":  # "all the children of this page"
            routes.append(ObjectRoute("wagtail_bulk_action", kind, lambda o, k=kwargs: k,
                                      query=lambda o: f"id=all&childOf={o.page.pk}"))
    return routes


def object_routes():
    return [*_page_routes(), *_media_routes(), *_model_routes(), *_bulk_routes()]


# Id-taking patterns that name no tenant's object, with the reason.
NOT_TENANT_ROUTES = {
    r"^wagtailsnippet(s|choosers)_products_(productcategory|certification):":
        "the shared catalogue: every commune uses the same categories and certifications",
    r"^wagtail(images|docs):(create_multiple_from_uploaded_(image|document)|"
    r"delete_upload_multiple)$":
        "an upload in progress, looked up among the requesting user's own uploads",
    r"^wagtailadmin_editing_sessions:release$": "a session id, looked up for the user only",
    r"^wagtailadmin_password_reset_confirm$": "a password-reset token",
    r"^wagtailcore_authenticate_with_password$":
        "the public password form of a page view restriction (none in the demo)",
    r"^wagtaildocs_authenticate_with_password$":
        "the public password form of a collection view restriction",
    r"^products:": "public QR codes and GS1 links (MATRIX rows)",
    r"^wagtailsettings:": "site settings: superusers only (MATRIX), no tenant content",
    r"^wagtailadmin_(pages:(type_use|type_use_results|choose_parent)|tag_model_autocomplete|"
    r"workflows:add_task)$": "a model name, not an object id",
}
ID_PARAMETER = re.compile(r"(^|_)(id|pk)$")


def _id_taking_url_names():
    names = set()
    for name, pattern in _walk(get_resolver().url_patterns):
        if not name:
            continue
        parameters = set(pattern.pattern.converters) or set(pattern.pattern.regex.groupindex)
        if any(ID_PARAMETER.search(p) for p in parameters) or name.endswith("chosen_multiple"):
            names.add(name)
    # Unnamed groups: Wagtail's document download takes the document id first.
    return names | {"wagtail_bulk_action", "wagtaildocs_serve"}


def test_every_id_taking_url_pattern_has_an_object_route():
    routed = {route.name for route in object_routes()}
    missing = sorted(
        name
        for name in _id_taking_url_names()
        if name not in routed and not any(re.match(rx, name) for rx in NOT_TENANT_ROUTES)
    )
    assert missing == [], f"Add OBJECT_ROUTES entries (or NOT_TENANT_ROUTES) for: {missing}"


def test_every_bulk_action_has_a_kind():
    unknown = {
        f"{app}.{model}"
        for app, model, _ in _registered_bulk_actions()
        if f"{app}.{model}" not in BULK_KINDS and f"{app}.{model}" not in SHARED_BULK_MODELS
    }
    assert unknown == set()


def _fingerprint():
    """Everything a refused request could have changed, as plain data."""
    Image, Document = get_image_model(), get_document_model()
    User = get_user_model()
    return {
        "pages": list(Page.objects.order_by("pk").values_list(
            "pk", "path", "title", "live", "locked", "has_unpublished_changes",
            "latest_revision_id", "alias_of_id")),
        "revisions": Revision.objects.count(),
        "images": list(Image.objects.order_by("pk").values_list("pk", "title", "collection")),
        "documents": list(Document.objects.order_by("pk").values_list(
            "pk", "title", "collection", "file")),
        "batches": list(Batch.objects.order_by("pk").values_list(
            "pk", "lot_code", "product", "quantity")),
        "sales": list(Sale.objects.order_by("pk").values_list(
            "pk", "product_name", "quantity", "amount_vnd", "sold_on")),
        "users": list(User.objects.order_by("pk").values_list(
            "pk", "is_active", "last_name", "password")),
        "accounts": list(ProducerAccount.objects.order_by("pk").values_list("pk", "producer")),
        "groups": Group.objects.count(),
        "page_permissions": GroupPagePermission.objects.count(),
        "collections": list(Collection.objects.order_by("pk").values_list("pk", "name", "path")),
        "workflow_states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        "task_states": list(TaskState.objects.order_by("pk").values_list("pk", "status")),
        "view_restrictions": PageViewRestriction.objects.count()
        + CollectionViewRestriction.objects.count(),
        "redirects": list(Redirect.objects.order_by("pk").values_list("pk", "old_path")),
        "sites": list(Site.objects.order_by("pk").values_list("pk", "hostname", "root_page")),
        "tags": TaggedItem.objects.count(),
        "content_types": ContentType.objects.count(),
    }


def _leaks(response, hidden):
    body = _body(response)
    return [marker for marker in hidden if marker in body]


def listing_urls():
    """Screens that list objects of several tenants: each must leave out the foreign ones."""
    search = "q=ZQ"
    urls = [
        reverse(name) for name in (
            "wagtailadmin_home", "wagtailadmin_api:pages:listing",
            "wagtailadmin_api:images:listing", "wagtailadmin_api:documents:listing",
            "wagtailimages:index", "wagtaildocs:index", "wagtailimages_chooser:choose",
            "wagtaildocs_chooser:choose", "wagtailsnippets_products_batch:list",
            "wagtailsnippetchoosers_products_batch:choose", "producer_accounts:index",
            "wagtailadmin_reports:locked_pages", "wagtailadmin_reports:aging_pages",
            "wagtailadmin_reports:site_history", "products_scan_report",
            "products_label_sheet", "wagtailadmin_choose_page",
        )
    ]
    urls += [
        f"{reverse(name)}?{search}" for name in (
            "wagtailadmin_pages:search", "wagtailadmin_choose_page_search",
            "wagtailimages_chooser:choose_results", "wagtaildocs_chooser:choose_results",
            "wagtailadmin_api:pages:listing",
        )
    ]
    # "Select all" in a listing: Wagtail would take every row of the model.
    urls += [
        reverse("wagtail_bulk_action", args=(app_label, model_name, action)) + "?id=all"
        for app_label, model_name, action in _registered_bulk_actions()
    ]
    return urls


def _foreign_tenants(role, route):
    """The tenants whose object of this kind the role may not see, one by one.

    Objects only superusers manage are tried with one tenant's (all are equally foreign),
    and so is every admin view for anonymous visitors, who are sent to the login page.
    """
    tenants = [t for t in TENANTS if not may_see(role, t, route.kind)]
    if route.kind in SUPERUSER_KINDS or (role == "anonymous" and route.host == "localhost"
                                         and route.name != "wagtaildocs_serve"):
        return tenants[-1:]
    return tenants


# Superusers may see everything, so they have nothing to leak; MATRIX rows cover them.
@pytest.mark.parametrize("role", [role for role in ROLES if role != "superuser"])
def test_objects_of_other_tenants_stay_hidden_and_unchanged(client, role):
    world = ObjectWorld()
    hidden = world.markers_hidden_from(role) + forbidden_titles(role, world)
    user = _user(role)
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False  # a crash is reported like any other status
    problems = []
    before = _fingerprint()
    routes = object_routes()
    for route in routes:
        for tenant in _foreign_tenants(role, route):
            objects = world.objects[tenant]
            if getattr(objects, route.kind) is None:
                continue
            url = route.url(objects)
            for method in ("get", "post") if route.writes else ("get",):
                response = getattr(client, method)(url, HTTP_HOST=route.host)
                if response.status_code not in (*REFUSED, 400, 405):
                    problems.append(f"{method} {url} ({tenant}): {response.status_code}")
                if leaked := _leaks(response, hidden):
                    problems.append(f"{method} {url} ({tenant}) shows {leaked}")
    for url in listing_urls():
        if leaked := _leaks(client.get(url), hidden):
            problems.append(f"get {url} shows {leaked}")
    after = _fingerprint()
    changed = [key for key in before if before[key] != after[key]]
    assert changed == [], f"{role}: foreign ids changed {changed}"
    # Own objects: whatever the view answers, it shows no other tenant's data.
    for route in routes:
        own = [t for t in OWN_TENANTS[role]
               if getattr(world.objects[t], route.kind) is not None
               and may_see(role, t, route.kind)]
        if own:
            url = route.url(world.objects[own[0]])
            if leaked := _leaks(client.get(url, HTTP_HOST=route.host), hidden):
                problems.append(f"get {url} (own) shows {leaked}")
    assert problems == [], f"{role}:\n" + "\n".join(problems)


# Forms refused for a foreign object in their data must not redraw it: (role, own, foreign).
CROSS_TENANTS = [
    ("producer_a", "producer_a", "producer_b"),
    ("producer_a", "producer_a", "producer_other"),
    ("staff_x", "producer_a", "tamvu"),
    ("staff_x", "producer_a", "producer_other"),
    ("staff_y", "producer_other", "producer_b"),
]


def _cross_requests(own, foreign):
    """(method, url, data): own object in the URL, the foreign one in the form."""
    batch_fields = {"lot_code": "ZQ-LO-MOI", "produced_on": "2026-02-03", "unit": "kg"}
    return [
        ("post", reverse("wagtailadmin_pages:copy", kwargs={"page_id": own.page.pk}),
         {"new_title": "Bản sao", "new_slug": "ban-sao", "new_parent_page": foreign.page.pk}),
        ("post", reverse("wagtailadmin_pages:copy", kwargs={"page_id": own.page.pk}),
         {"new_title": "Bản sao", "new_slug": "ban-sao", "new_parent_page": foreign.parent.pk}),
        ("get", reverse("wagtailadmin_pages:move_confirm", kwargs={
            "page_to_move_id": own.page.pk, "destination_id": foreign.parent.pk}), {}),
        ("post", reverse("wagtail_bulk_action", args=("wagtailcore", "page", "move"))
         + f"?id={own.page.pk}", {"chooser": foreign.parent.pk}),
        *[
            ("post", reverse("wagtailadmin_api:pages:action", kwargs={
                "pk": own.page.pk, "action_name": action}),
             {"destination_page_id": foreign.parent.pk})
            for action in ("copy", "move")
        ],
        ("post", reverse("wagtailsnippets_products_batch:add"),
         {**batch_fields, "product": foreign.page.pk}),
        ("post", reverse("wagtailsnippets_products_batch:edit", kwargs={"pk": own.batch.pk}),
         {**batch_fields, "product": foreign.page.pk}),
        ("post", reverse("wagtailsnippetchoosers_products_batch:create"),
         {**batch_fields, "product": foreign.page.pk}),
    ]


@pytest.mark.parametrize("role,own,foreign", CROSS_TENANTS)
def test_refused_forms_do_not_redraw_foreign_objects(client, role, own, foreign):
    world = ObjectWorld()
    hidden = world.markers_hidden_from(role) + forbidden_titles(role, world)
    client.force_login(_user(role))
    client.raise_request_exception = False  # the batch chooser's create view is not ours
    before = _fingerprint()
    problems = []
    for method, url, data in _cross_requests(world.objects[own], world.objects[foreign]):
        response = getattr(client, method)(url, data)
        if leaked := _leaks(response, hidden):
            problems.append(f"{method} {url} {data} shows {leaked}")
    assert problems == [], "\n".join(problems)
    after = _fingerprint()
    assert [key for key in before if before[key] != after[key]] == []


def test_a_private_document_is_served_once_a_public_page_links_to_it(client):
    world = ObjectWorld()
    document = world.objects["producer_a"].document
    url = reverse("wagtaildocs_serve", args=(document.pk, document.filename))
    assert client.get(url).status_code == NOT_FOUND
    client.force_login(_user("producer_a"))
    assert client.get(url).status_code == OK
    client.logout()
    # A draft linking to it does not publish it; publishing the page does.
    product = world.product_a
    product.summary = "Xem tài liệu"
    link = f'<p><a linktype="document" id="{document.pk}">Hồ sơ</a></p>'
    product.description = [("paragraph", link)]
    revision = product.save_revision(user=_user("superuser"))
    assert client.get(url).status_code == NOT_FOUND
    revision.publish()
    assert client.get(url).status_code == OK


def test_another_communes_page_linking_a_private_document_does_not_publish_it(client):
    world = ObjectWorld()
    document = world.objects["producer_a"].document
    product = world.product_other  # a live product of Xã Tầm Vu
    link = f'<p><a linktype="document" id="{document.pk}">Hồ sơ</a></p>'
    product.description = [("paragraph", link)]
    product.save_revision(user=_user("superuser")).publish()
    url = reverse("wagtaildocs_serve", args=(document.pk, document.filename))
    assert client.get(url).status_code == NOT_FOUND


def test_document_files_are_not_served_from_media(client):
    world = ObjectWorld()
    document = world.objects["producer_a"].document
    assert client.get(document.file.url).status_code == NOT_FOUND
    assert client.get(world.image_a.file.url).status_code == OK


def test_a_redrawn_form_shows_a_placeholder_for_a_foreign_object(client):
    world = ObjectWorld()
    foreign = world.objects["producer_b"].page
    client.force_login(_user("producer_a"))
    response = client.post(
        reverse("wagtailsnippets_products_batch:add"),
        {"lot_code": "ZQ-LO-MOI", "produced_on": "2026-02-03", "unit": "kg",
         "product": foreign.pk},
    )
    body = _body(response)
    assert response.status_code == OK  # the form again, with its error
    assert "(không có quyền xem)" in body
    assert foreign.title not in body
    assert not Batch.objects.filter(lot_code="ZQ-LO-MOI").exists()
