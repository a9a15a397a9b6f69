"""Keep the site's search index (products/search_indexing.py) in step with the pages.

Publishing saves the page row, so ``post_save`` covers publish and edit; deleting a page
deletes its entry by cascade; unpublishing and view restrictions need nothing, as every search
asks the page tables for live, public pages. A move or a producer's new name changes the text
of the pages below it; a category's new name that of its products.
"""

from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from wagtail.signals import post_page_move

# Fields whose change changes what a page is found by; a save limited to others (Wagtail's
# bookkeeping of revisions and locks) leaves the entry alone.
INDEXED_FIELDS = {
    "title",
    "summary",
    "category",
    "category_id",
    "representative",
    "path",
}


def _touches_text(update_fields):
    return update_fields is None or bool(INDEXED_FIELDS & set(update_fields))


def product_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    from .search_indexing import index_pages

    if not raw and _touches_text(update_fields):
        index_pages([instance.pk])


def producer_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    from .search_indexing import index_subtree

    if not raw and _touches_text(update_fields):
        index_subtree(instance.path)


def page_was_moved(sender, instance, **kwargs):
    from wagtail.models import Page

    from .search_indexing import index_subtree

    path = Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    if path:
        index_subtree(path)


def category_saved(sender, instance, created=False, raw=False, **kwargs):
    from .search_indexing import index_category

    if not raw and not created:
        index_category(instance.pk)


def category_deleting(sender, instance, **kwargs):
    from .models import ProductPage

    instance._search_product_ids = list(
        ProductPage.objects.filter(category=instance).values_list("pk", flat=True)
    )


def category_deleted(sender, instance, **kwargs):
    from .search_indexing import index_pages

    index_pages(getattr(instance, "_search_product_ids", []))


def fill_empty_index(sender, using="default", **kwargs):
    """After ``migrate``: an installation upgraded to the site's own index gets it filled."""
    from .models import ProductPage, SearchEntry
    from .search_indexing import rebuild

    if not SearchEntry.objects.using(using).exists() and ProductPage.objects.using(using).exists():
        rebuild()


def connect(app_config):
    from django.apps import apps

    from .models import ProductCategory, ProductPage

    producer_model = apps.get_model("producers", "ProducerPage")
    post_save.connect(product_saved, sender=ProductPage, dispatch_uid="search-product")
    post_save.connect(producer_saved, sender=producer_model, dispatch_uid="search-producer")
    post_save.connect(category_saved, sender=ProductCategory, dispatch_uid="search-category")
    pre_delete.connect(category_deleting, sender=ProductCategory, dispatch_uid="search-cat-del")
    post_delete.connect(category_deleted, sender=ProductCategory, dispatch_uid="search-cat-gone")
    post_page_move.connect(page_was_moved, dispatch_uid="search-moved")
    post_migrate.connect(fill_empty_index, sender=app_config, dispatch_uid="search-fill")
