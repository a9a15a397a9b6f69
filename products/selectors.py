"""Reads of products, shaped for listings with a fixed number of queries."""

from wagtail.models import Page

from .models import ProductPage


def product_cards(products):
    """Products ready for a card: image and renditions prefetched, parent producer attached.

    The producer is the product's parent page; one query fetches all of them, so a
    listing costs the same number of queries for 10 products as for 100.
    """
    if hasattr(products, "select_related"):
        products = products.select_related("image", "category").prefetch_related(
            "image__renditions"
        )
    products = list(products)
    parent_paths = {product.path[: -Page.steplen] for product in products}
    parents = {
        page.path: page
        for page in Page.objects.filter(path__in=parent_paths).only(
            "id", "title", "path", "depth", "url_path", "slug"
        )
    }
    for product in products:
        product.producer_page = parents.get(product.path[: -Page.steplen])
    return products


def live_products_in(root):
    """Live products below a page, e.g. a commune's home page."""
    return ProductPage.objects.live().descendant_of(root)


def featured_product_cards(products, chosen_ids, limit):
    """Cards for the products an editor chose, in their order; else the best OCOP-rated ones."""
    if chosen_ids:
        by_id = {p.pk: p for p in product_cards(products.filter(pk__in=chosen_ids))}
        return [by_id[pk] for pk in chosen_ids if pk in by_id]
    best = products.filter(ocop_stars__isnull=False).order_by("-ocop_stars", "title")
    return product_cards(best[:limit])
