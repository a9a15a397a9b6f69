"""Reads of products, shaped for listings with a fixed number of queries."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone
from wagtail.models import Page

from commune_site.prepared import PreparedQuery

from .models import ProductPage, Scan, ShortCode


def product_cards(products):
    """Products ready for a card: image and renditions prefetched, parent producer attached.

    Takes a queryset, or any sequence of products (e.g. search results), whose order it
    keeps. The producer is the product's parent page; one query fetches all of them, so a
    listing costs the same number of queries for 10 products as for 100.
    """
    order = None
    if not hasattr(products, "select_related"):
        order = [product.pk for product in products]
        products = ProductPage.objects.filter(pk__in=order)
    products = list(
        products.select_related("image", "category")
        .prefetch_related("image__renditions")
        .defer("description", "where_to_buy")  # a card shows neither; both are parsed JSON
    )
    if order is not None:
        products.sort(key=lambda product: order.index(product.pk))
    parent_paths = {product.path[: -Page.steplen] for product in products}
    parents = {
        page.path: page
        for page in Page.objects.filter(path__in=parent_paths).only(
            "id", "title", "path", "depth", "url_path", "slug"
        )
    }
    for product in products:
        product.producer_page = parents.get(product.path[: -Page.steplen])
    return products


def live_products_in(root):
    """Live products below a page, e.g. a commune's home page."""
    return ProductPage.objects.live().descendant_of(root)


def _best_rated(products, limit):
    return products.filter(ocop_stars__isnull=False).order_by("-ocop_stars", "title")[:limit]


def featured_product_cards(products, chosen_ids, limit):
    """Cards for the products an editor chose, in their order; else the best OCOP-rated ones."""
    if chosen_ids:
        by_id = {p.pk: p for p in product_cards(products.filter(pk__in=chosen_ids))}
        return [by_id[pk] for pk in chosen_ids if pk in by_id]
    return product_cards(_best_rated(products, limit))


def featured_product_ids(products, chosen_ids, limit) -> set[int]:
    """Ids of the products ``featured_product_cards`` shows (the chosen ones, live or not)."""
    if chosen_ids:
        return set(chosen_ids)
    return set(_best_rated(products, limit).values_list("pk", flat=True))


def products_visible_to(user):
    """Products the user may edit or publish through Wagtail page permissions (any group)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if user is None or not user.is_authenticated or not user.is_active:
        return ProductPage.objects.none()
    if user.is_superuser:
        return ProductPage.objects.all()
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change", "publish"]
    )
    return ProductPage.objects.filter(pk__in=pages.values("pk"))


def scans_visible_to(user):
    """Scans of products the user can edit: commune staff see their commune's, producers theirs."""
    return Scan.objects.filter(product__in=products_visible_to(user).values("pk"))


def scan_counts(*, products, period="day", since) -> list[dict]:
    """Scans per product per day or week (weeks start on Monday, Vietnam time) since a date.

    ``products`` is a queryset or an iterable of products or ids. Returns plain dicts
    ``{"product_id", "period_start" (date), "scans"}`` ordered by product and period.
    """
    if period not in ("day", "week"):
        raise ValueError(f"period must be 'day' or 'week', not {period!r}")
    if hasattr(products, "values"):
        product_ids = products.values("pk")
    else:
        product_ids = [getattr(product, "pk", product) for product in products]
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    trunc = TruncDate if period == "day" else TruncWeek
    rows = (
        Scan.objects.filter(product_id__in=product_ids, scanned_at__gte=start)
        .annotate(period_start=trunc("scanned_at"))
        .values("product_id", "period_start")
        .annotate(scans=Count("pk"))
        .order_by("product_id", "period_start")
    )
    return [
        {
            "product_id": row["product_id"],
            "period_start": _as_date(row["period_start"]),
            "scans": row["scans"],
        }
        for row in rows
    ]


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def scan_table(products, *, period="week", count=8, today=None) -> tuple[list, list[dict]]:
    """(period starts, rows) for the last ``count`` days or weeks, zeros filled in."""
    today = today or timezone.localdate()
    step = datetime.timedelta(weeks=1) if period == "week" else datetime.timedelta(days=1)
    last = week_start(today) if period == "week" else today
    starts = [last - step * (count - 1 - i) for i in range(count)]
    products = list(products)
    counts = {
        (row["product_id"], row["period_start"]): row["scans"]
        for row in scan_counts(products=products, period=period, since=starts[0])
    }
    rows = []
    for product in products:
        periods = [counts.get((product.pk, start), 0) for start in starts]
        rows.append({"product": product, "periods": periods, "total": sum(periods)})
    return starts, rows


def weekly_scan_table(products, *, weeks=8, today=None) -> tuple[list, list[dict]]:
    """(week starts, rows) for the last ``weeks`` weeks, for admin tables."""
    return scan_table(products, period="week", count=weeks, today=today)


def qr_panel_data(product, *, request=None) -> dict:
    """What the product edit view's QR panel shows; empty before the page's first save."""
    from .qr import PNG_PRINT, qr_text, short_link

    if not product.pk or not product.short_code:
        return {"has_code": False}
    starts, rows = weekly_scan_table([product])
    return {
        "has_code": True,
        "short_code": product.short_code,
        "short_link": short_link(product, request),
        "qr_text": qr_text(product, request),
        "gtin": product.gtin,
        "digital_link": qr_text(product, request, digital_link=True) if product.gtin else "",
        "png_size": PNG_PRINT,
        "week_starts": starts,
        "weeks": list(zip(starts, rows[0]["periods"], strict=True)),
        "batches": list(product.batches.all()),
    }


def code_lookup(code: str):
    """The issued code row with its product and batch, in one query; None if never issued."""
    return ShortCode.objects.select_related("product", "batch").filter(code=code).first()


# The redirect's lookup, compiled to SQL once per process (see code_target).
_CODE_TARGET = PreparedQuery(
    lambda code: ShortCode.objects.filter(code=code).values_list(
        "product_id", "product__live", "product__url_path", "batch_id", "batch__lot_code"
    )[:1]
)


def code_target(code: str) -> dict | None:
    """Only what the redirect needs about an issued code, in one query; None if never issued.

    ``{"product_id", "live", "url_path", "batch_id", "lot_code"}``: no page or batch object
    is built, which was most of what ``code_lookup`` costs. ``product_id`` is None once the
    product was deleted; ``batch_id`` and ``lot_code`` are None when there is no batch.

    Every scan runs this, so the query (the short code joined with its product's page and its
    batch) is prepared (commune_site/prepared.py), and its row read as the database gives it:
    compiling the query cost three times as much as running it.
    """
    found = _CODE_TARGET.rows(code)
    if not found:
        return None
    [row] = found
    product_id, live, url_path, batch_id, lot_code = row
    return {
        "product_id": product_id,
        "live": bool(live),
        "url_path": url_path,
        "batch_id": batch_id if lot_code is not None else None,
        "lot_code": lot_code,
    }


def listable_products():
    """Products a buyer may be shown in any list or search: live and not behind a view
    restriction (Wagtail's private pages), one query for the restrictions."""
    return ProductPage.objects.live().public()
