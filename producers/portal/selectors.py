"""Reads of the producer portal, with a fixed number of queries however many products."""

import datetime

from django.utils import timezone

from products.models import Batch, ProductPage
from products.selectors import scan_counts, weekly_scan_table

from ..models import ProducerPage


def portal_products(producer: ProducerPage):
    """The producer's own products, live and draft, with their moderation state prefetched."""
    return ProductPage.objects.child_of(producer).prefetch_workflow_states().order_by("title", "pk")


def portal_product(producer: ProducerPage, pk: int) -> ProductPage | None:
    """One product of this producer, or None: another producer's id finds nothing."""
    return ProductPage.objects.child_of(producer).filter(pk=pk).first()


def portal_batches(producer: ProducerPage):
    """Batches of the producer's own products, newest first."""
    return (
        Batch.objects.filter(product__in=ProductPage.objects.child_of(producer).values("pk"))
        .select_related("product")
        .order_by("-produced_on", "lot_code")
    )


def portal_scan_table(producer: ProducerPage, *, period: str, today=None):
    """(period starts, rows) of scans of the producer's live products: 14 days or 8 weeks."""
    today = today or timezone.localdate()
    products = list(ProductPage.objects.child_of(producer).live().order_by("title", "pk"))
    if period == "week":
        starts, rows = weekly_scan_table(products, weeks=8, today=today)
        return starts, [
            {"product": row["product"], "counts": row["weeks"], "total": row["total"]}
            for row in rows
        ]
    starts = [today - datetime.timedelta(days=offset) for offset in range(13, -1, -1)]
    counts = {
        (row["product_id"], row["period_start"]): row["scans"]
        for row in scan_counts(products=products, period="day", since=starts[0])
    }
    rows = []
    for product in products:
        cells = [counts.get((product.pk, start), 0) for start in starts]
        rows.append({"product": product, "counts": cells, "total": sum(cells)})
    return starts, rows
