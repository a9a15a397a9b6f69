"""Writes of the producer portal: quick edits at once; text and photo edits go to moderation."""

import re
from html import unescape

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.text import slugify
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import WorkflowState

from products.models import ProductPage, ProductPhoto
from products.search import fold

from ..models import ProducerPage
from ..roles import producer_collection
from .wagtail_hooks import (
    PRODUCT_EDIT_ACTION,
    PRODUCT_PROPOSE_ACTION,
    PROFILE_EDIT_ACTION,
    QUICK_EDIT_ACTION,
)

# The main photo and the admin gallery's twelve (ProductPage's InlinePanel max_num).
MAX_PHOTOS = 13
PACKAGING_LABEL = "Quy cách"

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
        "entered_by": _who(entered_by),
    }
    log(instance=page, action=QUICK_EDIT_ACTION, user=user, revision=revision, data=data)
    return page


def story_as_text(story_html: str) -> str:
    """A rich-text story as plain paragraphs, for a plain text box on a phone."""
    text = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n\n", story_html or "")
    paragraphs = [" ".join(strip_tags(part).split()) for part in text.split("\n\n")]
    return "\n\n".join(unescape(part) for part in paragraphs if part)


def _story_html(text: str) -> str:
    return "".join(f"<p>{escape(part)}</p>" for part in _paragraphs(text))


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
    if _story_changed(story_as_text(draft.story), story_text):
        draft.story = _story_html(story_text)
        changes.append("story")
    if photo is not None:
        draft.image = photo_store(photo, producer=page, title=page.title, user=user)
        changes.append("image")
    return _draft_submit(page, draft, user=user, action=PROFILE_EDIT_ACTION, changes=changes,
                         entered_by=entered_by)


def _draft_submit(page, draft, *, user, action: str, changes: list, entered_by):
    """Save the changed draft as a revision, log what changed, and send it to moderation."""
    if not changes:
        return None
    revision = draft.save_revision(user=user, clean=False)
    log(
        instance=page,
        action=action,
        user=user,
        revision=revision,
        data={"fields": changes, "entered_by": _who(entered_by)},
    )
    moderation_submit(page, user)
    return revision


def _who(entered_by) -> dict | None:
    return {"id": entered_by.pk, "username": entered_by.get_username()} if entered_by else None


def moderation_submit(page, user) -> None:
    """Put the page's latest revision before the commune's staff, as the admin's buttons do.

    No moderation yet: the commune's workflow starts ("Gửi duyệt"). Sent back for changes:
    it resumes on the new revision. Already waiting: it restarts on the new revision, as
    the admin's "Restart workflow" does. Wagtail publishes the latest revision on approval,
    so a reviewer who opened the previous one must not approve this one unseen: their
    click now meets a cancelled task and is refused, and the dashboard shows the new one.
    """
    state = page.current_workflow_state
    workflow = page.get_workflow()
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return
    if state is not None:
        state.cancel(user=user)
    if workflow is not None:
        workflow.start(page, user)


def photo_store(upload, *, producer: ProducerPage, title: str, user):
    """A photo from ``PhonePhotoField`` as a Wagtail image in the producer's collection
    (inside the commune's). The field's value is already upright, shrunk and without
    metadata (``photo_normalise``).
    """
    image = get_image_model()(
        title=f"{title} — {timezone.localdate():%d/%m/%Y}"[:255],
        file=upload,
        collection=producer_collection(producer),
        uploaded_by_user=user,
    )
    # As Wagtail's own image form does: size and hash, then save.
    image._set_image_file_metadata()
    image.save()
    return image


def _story_changed(current_text: str, typed: str) -> bool:
    # A text box sends CRLF and stray spaces: compare paragraphs as the page would hold them.
    return story_as_text(_story_html(typed)) != current_text


def product_photo_ids(product: ProductPage) -> list[int]:
    """The image ids of a product (a draft too): the main photo first, then the gallery's."""
    ids = [product.image_id] if product.image_id else []
    for photo in product.gallery.all():
        if photo.image_id and photo.image_id not in ids:
            ids.append(photo.image_id)
    return ids


def _photos_apply(draft: ProductPage, image_ids: list[int]) -> None:
    captions = {photo.image_id: photo.caption for photo in draft.gallery.all()}
    draft.image_id = image_ids[0] if image_ids else None
    draft.gallery = [
        ProductPhoto(image_id=image_id, caption=captions.get(image_id, ""), sort_order=order)
        for order, image_id in enumerate(image_ids[1:])
    ]


def product_texts(product: ProductPage) -> dict:
    """The portal's plain-text view of a product's description: story and packaging."""
    paragraphs, packaging = [], ""
    for block in product.description:
        if block.block_type == "paragraph":
            paragraphs.append(story_as_text(block.value.source))
        elif block.block_type == "fact" and _is_packaging(block.value):
            packaging = packaging or block.value.get("value", "")
    return {"story_text": "\n\n".join(part for part in paragraphs if part), "packaging": packaging}


def _is_packaging(fact) -> bool:
    return (fact.get("label") or "").strip().casefold() == PACKAGING_LABEL.casefold()


def _description_with(description, *, story_text=None, packaging=None) -> list:
    """The description with its paragraphs and/or "Quy cách" line replaced; the rest kept.

    ``None`` keeps that part as it is (rich text typed in the admin keeps its bold and
    links). New paragraphs take the place of the first old one, the packaging line the
    place of the old one (or follows the paragraphs); photos and other facts stay put.
    """
    story = None
    if story_text is not None:
        story = [("paragraph", _story_html(story_text))] if _paragraphs(story_text) else []
    fact = None
    if packaging is not None:
        fact = [("fact", {"label": PACKAGING_LABEL, "value": packaging})] if packaging else []
    blocks, story_placed, fact_placed = [], story is None, fact is None
    for block in description:
        if block.block_type == "paragraph" and story is not None:
            if not story_placed:
                blocks += story
                story_placed = True
            continue
        if block.block_type == "fact" and fact is not None and _is_packaging(block.value):
            if not fact_placed:
                blocks += fact
                fact_placed = True
            continue
        blocks.append((block.block_type, block.value))
    if not story_placed:
        blocks = story + blocks
    if not fact_placed:
        at = _after_last_paragraph(blocks)
        blocks[at:at] = fact
    return blocks


def _after_last_paragraph(blocks) -> int:
    last = [index for index, (kind, _value) in enumerate(blocks) if kind == "paragraph"]
    return last[-1] + 1 if last else 0


def _paragraphs(text: str) -> list[str]:
    return [
        part for part in (" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text or ""))
        if part
    ]


def _photo_order(current: list[int], keep: list[int] | None) -> list[int]:
    if keep is None:
        return list(current)
    if not set(keep) <= set(current) or len(set(keep)) != len(keep):
        # Only ids the product already shows may be kept or moved; anything else (another
        # producer's image, a made-up id) is refused before anything is written.
        raise PermissionDenied("A photo that is not this product's.")
    return list(keep)


@transaction.atomic
def product_content_submit(
    *,
    producer: ProducerPage,
    product: ProductPage,
    user,
    summary: str,
    story_text: str,
    packaging: str,
    photo_ids: list[int] | None = None,
    new_photos: list = (),
    entered_by=None,
):
    """Submit a producer's text and photo changes of one product to the commune's moderation.

    ``photo_ids`` is the new order of the product's current photos (the first is the main
    photo; a missing one is removed from the product, not deleted from the library), and
    ``new_photos`` are checked uploads added at the end. Everything goes onto a new draft
    revision on top of any pending one and the workflow starts or resumes on it
    (``moderation_submit``); the live page keeps its text and photos until staff approve.
    Returns the revision, or None when nothing changed.
    """
    page = ProductPage.objects.select_for_update().get(pk=product.pk)
    if not (page.path.startswith(producer.path) and page.depth == producer.depth + 1):
        raise PermissionDenied("This product does not belong to the producer.")
    draft = page.get_latest_revision_as_object()
    current_ids = product_photo_ids(draft)
    order = _photo_order(current_ids, photo_ids)
    if len(order) + len(new_photos) > MAX_PHOTOS:
        raise PermissionDenied("Too many photos.")  # the form stops this with a message

    changes = []
    if draft.summary != summary:
        draft.summary = summary
        changes.append("summary")
    texts = product_texts(draft)
    story_changed = _story_changed(texts["story_text"], story_text)
    packaging = " ".join(packaging.split())
    packaging_changed = packaging != texts["packaging"]
    if story_changed or packaging_changed:
        draft.description = _description_with(
            draft.description,
            story_text=story_text if story_changed else None,
            packaging=packaging if packaging_changed else None,
        )
        changes += ["story"] * story_changed + ["packaging"] * packaging_changed
    for upload in new_photos:
        order.append(photo_store(upload, producer=producer, title=page.title, user=user).pk)
    if order != current_ids:
        _photos_apply(draft, order)
        changes.append("photos")
    return _draft_submit(page, draft, user=user, action=PRODUCT_EDIT_ACTION, changes=changes,
                         entered_by=entered_by)


def _free_slug(producer: ProducerPage, title: str) -> str:
    base = slugify(fold(title))[:70].strip("-") or "san-pham"
    taken = set(
        ProductPage.objects.child_of(producer)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def product_propose(
    *,
    producer: ProducerPage,
    user,
    title: str,
    category,
    price_vnd: int | None,
    price_unit: str,
    summary: str,
    story_text: str = "",
    packaging: str = "",
    new_photos: list = (),
    entered_by=None,
) -> ProductPage:
    """A new product proposed from the portal: an unpublished page under the producer,
    submitted to the commune's moderation. Staff approving it publishes it.
    """
    producer = ProducerPage.objects.select_for_update().get(pk=producer.pk)
    page = ProductPage(
        title=title,
        slug=_free_slug(producer, title),
        category=category,
        summary=summary,
        price_vnd=price_vnd,
        price_unit=price_unit,
        live=False,
        owner=user,
    )
    page.description = _description_with([], story_text=story_text, packaging=packaging)
    images = [
        photo_store(upload, producer=producer, title=title, user=user) for upload in new_photos
    ]
    _photos_apply(page, [image.pk for image in images])
    page.full_clean(exclude=["path", "depth"])  # the tree position comes from add_child
    producer.add_child(instance=page)
    revision = page.save_revision(user=user, clean=False)
    log(
        instance=page,
        action=PRODUCT_PROPOSE_ACTION,
        user=user,
        revision=revision,
        data={"entered_by": _who(entered_by)},
    )
    moderation_submit(page, user)
    return page
