"""What invalidates the page cache: page changes bump their site, shared things bump everything.

Connected once from ``ShowcaseConfig.ready``. These are cache upkeep, not domain logic, so the
house rule against signals does not apply: an edit from any path (admin, portal, shell, a
management command) must reach the cache.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import invalidate

# Shown on pages of every site: a category or certification name, an image's focal point.
DEFAULT_GLOBAL_MODELS = (
    "products.ProductCategory",
    "products.Certification",
    "wagtailimages.Image",
    "wagtailcore.Site",
)
# Saves that change nothing a visitor sees (Wagtail fills these in lazily).
IGNORED_IMAGE_FIELDS = {"file_hash", "file_size"}


def hostnames_showing(page):
    """Hostnames of the sites whose pages can show this page: its own site and the default one.

    The default site is the province showcase, which lists products and counts of every commune.
    """
    steplen = Page.steplen
    prefixes = [page.path[:length] for length in range(steplen, len(page.path) + 1, steplen)]
    return set(
        Site.objects.filter(root_page__path__in=prefixes).values_list("hostname", flat=True)
    ) | set(Site.objects.filter(is_default_site=True).values_list("hostname", flat=True))


def page_changed(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.path:
        invalidate(hostnames=hostnames_showing(instance))


def page_moved(sender, instance, **kwargs):
    # A move can cross sites and changes URLs: start over everywhere.
    invalidate(everything=True)


def shared_object_changed(sender, instance, **kwargs):
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= IGNORED_IMAGE_FIELDS:
        return
    invalidate(everything=True)


def connect():
    """Connect the invalidation handlers; safe to call more than once."""
    for signal in (post_save, post_delete, page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"pagecache-page-{id(signal)}")
    post_page_move.connect(page_moved, dispatch_uid="pagecache-move")
    for label in getattr(settings, "PAGE_CACHE_GLOBAL_MODELS", DEFAULT_GLOBAL_MODELS):
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(
                shared_object_changed, sender=model, dispatch_uid=f"pagecache-{label}-{id(signal)}"
            )
