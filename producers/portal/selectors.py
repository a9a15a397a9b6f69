"""Reads of the producer portal, with a fixed number of queries however many products."""

from products.models import ProductPage

from ..models import ProducerPage


def portal_products(producer: ProducerPage):
    """The producer's own products, live and draft, with their moderation state prefetched."""
    return ProductPage.objects.child_of(producer).prefetch_workflow_states().order_by("title", "pk")


def portal_product(producer: ProducerPage, pk: int) -> ProductPage | None:
    """One product of this producer, or None: another producer's id finds nothing."""
    return ProductPage.objects.child_of(producer).filter(pk=pk).first()
