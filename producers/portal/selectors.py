"""Reads of the producer portal, with a fixed number of queries however many products."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from commune_site.ids import parse_id
from products.models import Batch, ProductPage
from products.selectors import scan_table

from ..models import ProducerPage

# The size of a product's photo in the portal's lists and its photo editor.
THUMBNAIL = "fill-160x160"


def portal_products(producer: ProducerPage):
    """The producer's own products, live and draft, with their moderation state and the
    live main photo's renditions prefetched (a fixed number of queries for any number)."""
    return (
        ProductPage.objects.child_of(producer)
        .select_related("image")
        .prefetch_related(
            "image__renditions",
            # Wagtail's prefetch_workflow_states() looks states up by the base (Page) content
            # type unless the queryset came from .specific(); on ProductPage.objects it finds
            # none. The specific relation matches the product's own content type.
            Prefetch(
                "_specific_workflow_states",
                queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
                to_attr="_current_workflow_states",
            ),
        )
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class Moderation:
    """Where a product's last change stands with the commune's staff."""

    status: str  # "waiting", "rejected", "draft" (saved, not sent) or "" (nothing pending)
    label: str = ""
    comment: str = ""
    by: str = ""


def product_moderation(product: ProductPage) -> Moderation:
    """The moderation state of a product from ``portal_products`` (no further query)."""
    state = product.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task_state = state.current_task_state
        return Moderation(
            "rejected",
            _("Xã yêu cầu sửa"),
            comment=(task_state.comment if task_state else "") or "",
        )
    if state is not None:
        return Moderation("waiting", _("Đang chờ xã duyệt"))
    if product.has_unpublished_changes:
        return Moderation("draft", _("Có thay đổi chưa gửi duyệt"))
    return Moderation("")


def portal_photos(image_ids: list[int]) -> list:
    """The images of these ids, in this order, with their portal thumbnail prefetched."""
    images = get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(THUMBNAIL)
    by_id = {image.pk: image for image in images}
    return [by_id[image_id] for image_id in image_ids if image_id in by_id]


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
