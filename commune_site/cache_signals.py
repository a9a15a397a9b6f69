"""What invalidates the page cache: each change cools the pages that show what changed.

Connected once from ``ShowcaseConfig.ready``. These are cache upkeep, not domain logic, so the
house rule against signals does not apply: an edit from any path (admin, portal, shell, a
management command) must reach the cache. Which pages show what is in
``commune_site/cache_dependents.py``.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

from . import cache_dependents as dependents
from . import cache_rewarm
from .cache import invalidate

# Saves that change nothing a visitor sees (Wagtail fills these in lazily).
IGNORED_IMAGE_FIELDS = {"file_hash", "file_size"}


def cool(cooling):
    """Bump what ``cooling`` names, now and after commit; then purge and re-render it."""
    if not cooling:
        return
    invalidate(
        hostnames=cooling.hostnames(), paths=cooling.host_paths(), everything=cooling.everything
    )
    cache_rewarm.schedule(cooling)


def _listing(instance, fields):
    return tuple(getattr(instance, name) for name in fields)


def page_about_to_save(sender, instance, update_fields=None, raw=False, **kwargs):
    """Remember how the page stood in lists before this save (one query, products and
    producers only)."""
    fields = dependents.listing_fields(sender)
    if raw or not fields or not instance.pk:
        return
    if update_fields and set(update_fields) <= dependents.INVISIBLE_PAGE_FIELDS:
        return
    instance._pagecache_listing = sender.objects.filter(pk=instance.pk).values_list(*fields).first()


def page_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if raw or not isinstance(instance, Page) or not instance.path:
        return
    if update_fields and set(update_fields) <= dependents.INVISIBLE_PAGE_FIELDS:
        return
    fields = dependents.listing_fields(type(instance))
    before = instance.__dict__.pop("_pagecache_listing", None)
    listing_changed = True
    if fields:
        after = _listing(instance, fields)
        if before is not None and update_fields:
            after = tuple(
                new if name in update_fields else old
                for name, new, old in zip(fields, after, before, strict=True)
            )
        if not instance.live and (before is None or not before[0]):
            return  # a page that is not live before or after: nobody saw it, nobody will
        listing_changed = before != after
    cool(dependents.page_changed(instance, listing_changed=listing_changed))


def page_deleted(sender, instance, **kwargs):
    # Deleting a page sends this for its Page row and again for its specific row: act once.
    if not isinstance(instance, Page) or not instance.path:
        return
    if type(instance) is Page and instance.specific_class not in (None, Page):
        return
    if dependents.listing_fields(type(instance)) and not instance.live:
        return
    cool(dependents.page_changed(instance, listing_changed=True))


def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    cool(dependents.page_moved(url_path_before=url_path_before, url_path_after=url_path_after))


def image_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= IGNORED_IMAGE_FIELDS):
        return  # a new image is shown nowhere yet
    cool(dependents.image_changed(instance))


def image_about_to_be_deleted(sender, instance, **kwargs):
    # Before the delete: afterwards the pages no longer point at it.
    cool(dependents.image_changed(instance))


def category_changed(sender, instance, **kwargs):
    cool(dependents.category_changed(instance))


def certification_changed(sender, instance, **kwargs):
    cool(dependents.certification_changed(instance))


def site_changed(sender, instance, **kwargs):
    # A host name or root page changed: every key made from the old one must go.
    cool(dependents.Cooling(everything=True))


def connect():
    """Connect the invalidation handlers; safe to call more than once."""
    from products.models import Certification, ProductCategory

    pre_save.connect(page_about_to_save, dispatch_uid="pagecache-page-pre-save")
    post_save.connect(page_saved, dispatch_uid="pagecache-page-save")
    post_delete.connect(page_deleted, dispatch_uid="pagecache-page-delete")
    post_page_move.connect(page_moved, dispatch_uid="pagecache-move")
    image = get_image_model()
    post_save.connect(image_saved, sender=image, dispatch_uid="pagecache-image-save")
    pre_delete.connect(image_about_to_be_deleted, sender=image, dispatch_uid="pagecache-image-del")
    for model, handler in (
        (ProductCategory, category_changed),
        (Certification, certification_changed),
        (Site, site_changed),
    ):
        # A category's products are found before its delete empties their field.
        for signal in (post_save, pre_delete):
            signal.connect(handler, sender=model, dispatch_uid=f"pagecache-{model}-{id(signal)}")
