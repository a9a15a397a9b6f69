"""Reads of the producer portal, with a fixed number of queries however many products."""

from commune_site.ids import parse_id
from products.models import Batch, ProductPage
from products.selectors import scan_table

from ..models import ProducerPage


def portal_products(producer: ProducerPage):
    """The producer's own products, live and draft, with their moderation state prefetched."""
    return ProductPage.objects.child_of(producer).prefetch_workflow_states().order_by("title", "pk")


def portal_product(producer: ProducerPage, pk: int) -> ProductPage | None:
    """One product of this producer, or None: another producer's id finds nothing."""
    if parse_id(pk) is None:
        return None  # an id no table can hold, which SQLite would answer with OverflowError
    return ProductPage.objects.child_of(producer).filter(pk=pk).first()


def portal_batches(producer: ProducerPage):
    """Batches of the producer's own products, newest first."""
    return (
        Batch.objects.filter(product__in=ProductPage.objects.child_of(producer).values("pk"))
        .select_related("product")
        .order_by("-produced_on", "lot_code")
    )


def portal_scan_table(producer: ProducerPage, *, period: str, today=None):
    """(period starts, rows) of scans of the producer's live products: 8 weeks or 14 days."""
    products = ProductPage.objects.child_of(producer).live().order_by("title", "pk")
    count = 8 if period == "week" else 14
    return scan_table(products, period=period, count=count, today=today)
