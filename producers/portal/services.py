"""Writes of the producer portal: quick edits at once; text and photo edits go to moderation."""

import re
from html import unescape

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.images import get_image_model
from wagtail.log_actions import log

from products.models import ProductPage

from ..models import ProducerPage
from ..roles import producer_collection
from .wagtail_hooks import PROFILE_EDIT_ACTION, QUICK_EDIT_ACTION

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


def story_as_text(story_html: str) -> str:
    """A rich-text story as plain paragraphs, for a plain text box on a phone."""
    text = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n\n", story_html or "")
    paragraphs = [" ".join(strip_tags(part).split()) for part in text.split("\n\n")]
    return "\n\n".join(unescape(part) for part in paragraphs if part)


def _story_html(text: str) -> str:
    paragraphs = [" ".join(part.split()) for part in re.split(r"\n\s*\n", text or "")]
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs if part)


@transaction.atomic
def producer_profile_submit(
    *,
    producer: ProducerPage,
    user,
    summary: str,
    story_text: str,
    photo=None,
    entered_by=None,
):
    """Submit a producer's new introduction and photo to the commune's moderation; not published.

    The changes become a new draft revision; if no moderation is running yet, the
    commune's workflow starts on it, and commune staff approve or reject it in the admin.
    Returns the revision.
    """
    page = ProducerPage.objects.select_for_update().get(pk=producer.pk)
    draft = page.get_latest_revision_as_object()
    changes = []
    if draft.summary != summary:
        draft.summary = summary
        changes.append("summary")
    if story_text.strip() != story_as_text(draft.story):
        draft.story = _story_html(story_text)
        changes.append("story")
    if photo is not None:
        image = get_image_model()(
            title=f"{page.title} — {timezone.localdate():%d/%m/%Y}",
            file=photo,
            collection=producer_collection(page),
            uploaded_by_user=user,
        )
        # As Wagtail's own image form does: size and hash, then save.
        image._set_image_file_metadata()
        image.save()
        draft.image = image
        changes.append("image")
    if not changes:
        return None
    revision = draft.save_revision(user=user, clean=False)
    log(
        instance=page,
        action=PROFILE_EDIT_ACTION,
        user=user,
        revision=revision,
        data={
            "fields": changes,
            "entered_by": (
                {"id": entered_by.pk, "username": entered_by.get_username()} if entered_by else None
            ),
        },
    )
    workflow = page.get_workflow()
    if workflow is not None and page.current_workflow_state is None:
        workflow.start(page, user)
    return revision
