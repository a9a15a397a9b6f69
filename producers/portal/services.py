"""Writes of the producer portal: quick edits of price, unit, stock and season, applied at once."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.log_actions import log

from products.models import ProductPage

from ..models import ProducerPage
from .wagtail_hooks import QUICK_EDIT_ACTION

QUICK_FIELDS = ("price_vnd", "price_unit", "in_stock", "season_months")


class _PublishBesideModeration(PublishPageRevisionAction):
    """Publish a revision and leave a moderation in progress alone.

    Wagtail cancels a page's workflow whenever it publishes. A quick edit publishes
    only price, unit, stock and season, while the text edit under review must stay
    under review; an empty workflow prefetch tells Wagtail there is nothing to cancel.
    """

    def _after_publish(self):
        self.object._current_workflow_states = []
        super()._after_publish()


def _apply(page: ProductPage, values: dict) -> None:
    for field, value in values.items():
        setattr(page, field, value)


def _changes(page: ProductPage, values: dict) -> dict:
    return {
        field: {"old": getattr(page, field), "new": value}
        for field, value in values.items()
        if getattr(page, field) != value
    }


@transaction.atomic
def product_quick_edit(
    *,
    producer: ProducerPage,
    product: ProductPage,
    user,
    price_vnd: int | None,
    price_unit: str,
    in_stock: bool,
    season_months: list[int],
    entered_by=None,
) -> ProductPage:
    """Apply a producer's price, unit, stock and season to their product now, beside moderation.

    A live product gets a new published revision. If a text edit waits as a draft or in
    moderation, the same values also go onto a new draft revision on top of it, so
    approving the text later does not bring the old price back. A product that was never
    published only gets a new draft revision. ``entered_by`` is the staff member acting
    for the producer; every edit is recorded in Wagtail's audit log.
    """
    page = ProductPage.objects.select_for_update().get(pk=product.pk)
    if not (page.path.startswith(producer.path) and page.depth == producer.depth + 1):
        raise PermissionDenied("This product does not belong to the producer.")

    values = {
        "price_vnd": price_vnd,
        "price_unit": price_unit,
        "in_stock": in_stock,
        "season_months": sorted(set(season_months)),
    }
    pending = page.get_latest_revision() if page.has_unpublished_changes else None
    draft = pending.as_object() if pending else page
    changes = _changes(page, values) or _changes(draft, values)
    if not changes:
        return page

    applied_to = []
    revision = None
    if page.live:
        # The page row holds the live version; a pending draft lives only in revisions.
        _apply(page, values)
        page.full_clean()
        revision = page.save_revision(user=user, clean=False)
        _PublishBesideModeration(revision, user=user, log_action=False).execute(
            skip_permission_checks=True  # ownership was checked above; producers cannot publish
        )
        applied_to.append("live")
    if pending or not page.live:
        _apply(draft, values)
        if not page.live:
            draft.full_clean()
            draft.save()
        # A draft may be incomplete (Wagtail defers draft validation); the quick values
        # themselves were validated above or by the form.
        revision = draft.save_revision(user=user, clean=False)
        applied_to.append("draft")

    page.refresh_from_db()
    data = {
        "changes": changes,
        "applied_to": applied_to,
        "producer": {"id": producer.pk, "title": producer.title},
        "entered_by": (
            {"id": entered_by.pk, "username": entered_by.get_username()} if entered_by else None
        ),
    }
    log(instance=page, action=QUICK_EDIT_ACTION, user=user, revision=revision, data=data)
    return page
