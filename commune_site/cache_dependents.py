"""Which cached pages show a changed object: worked out at the edit, from what each page shows.

A change is turned into a ``Cooling``: single paths of a site (every query string of a path
goes with it), whole sites, or everything. The page cache bumps the generations of exactly
these (commune_site/cache.py), the CDN is purged of the same URLs and they are rendered again
after the response (commune_site/cache_rewarm.py). What each page type shows:

- a product page: the product, its producer, its commune's name and nav, its category and
  certifications, its images;
- a producer page: the producer and the cards of its products;
- the product index (every page and filter of it): the cards of the commune's products, and
  filters that name categories and certifications; the producer index: the commune's
  producers;
- a commune home: the commune, the cards it features (chosen, else the best OCOP-rated),
  the counts of products and producers;
- the province showcase: every commune's card with its product count, and the featured cards
  of the whole province.

A card shows a product's title, image, price, OCOP stars, stock and its producer's name.
``tests/test_page_cache_staleness.py`` renders every page of the demo, makes each kind of
edit and compares every cached page with a fresh render; a page type that shows something new
must be described here, or that test fails.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from wagtail.models import Page, ReferenceIndex

from .site_root_paths import site_root_paths

# Page saves that change nothing a visitor sees: a draft revision, a lock, comments.
INVISIBLE_PAGE_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "wagtail_admin_comments",
    "comments",
    "locked",
    "locked_at",
    "locked_by",
    "numchild",
    "approved_go_live_at",
}


def listing_fields(model):
    """Fields that decide whether, where and how often a page appears in lists and counts."""
    from producers.models import ProducerPage
    from products.models import ProductPage

    if issubclass(model, ProductPage):
        return ("live", "title", "slug", "ocop_stars")
    if issubclass(model, ProducerPage):
        return ("live", "title", "slug")
    return ()


@dataclass
class Cooling:
    """What one change makes stale: paths of sites, whole sites, or everything."""

    paths: set = field(default_factory=set)  # (site_id, path)
    sites: set = field(default_factory=set)  # site ids
    everything: bool = False

    def __bool__(self):
        return bool(self.paths or self.sites or self.everything)

    def __or__(self, other):
        return Cooling(
            self.paths | other.paths, self.sites | other.sites, self.everything or other.everything
        )

    def add_url_path(self, url_path):
        self.paths.update(site_paths(url_path))

    def add_page(self, page):
        if page is not None:
            self.add_url_path(page.url_path)

    def add_site_of(self, url_path):
        self.sites.update(site_id for site_id, _path in site_paths(url_path))

    def hostnames(self):
        names = site_hostnames()
        return {names[site_id] for site_id in self.sites if site_id in names}

    def host_paths(self):
        """(hostname, path) pairs, leaving out paths of sites that are cooled whole."""
        names = site_hostnames()
        return {
            (names[site_id], path)
            for site_id, path in self.paths
            if site_id in names and site_id not in self.sites
        }


def site_paths(url_path):
    """(site id, path on that site) of a page's ``url_path``, for every site that serves it."""
    return {
        (root.site_id, "/" + url_path[len(root.root_path) :])
        for root in site_root_paths()
        if url_path and url_path.startswith(root.root_path)
    }


def site_hostnames():
    return {root.site_id: urlsplit(root.root_url).hostname for root in site_root_paths()}


def _showcase():
    from showcase.models import ShowcaseHomePage

    return ShowcaseHomePage.objects.first()


def _commune(path):
    from showcase.models import CommuneHomePage

    return CommuneHomePage.objects.filter(path=path[: 2 * Page.steplen]).first()


def _product_index(commune):
    from products.models import ProductIndexPage

    return ProductIndexPage.objects.child_of(commune).first() if commune else None


def _homes_showing(cooling, product_ids, listing_changed, commune):
    """The commune home and the showcase, when they show one of these products or their
    lists and counts changed."""
    for home in (commune, _showcase()):
        if home is not None and (listing_changed or home.featured_product_ids() & product_ids):
            cooling.add_page(home)


def product_changed(page, *, listing_changed) -> Cooling:
    """A product page, its producer, its commune's product index; the homes that show it."""
    cooling = Cooling()
    cooling.add_page(page)
    cooling.add_page(Page.objects.filter(path=page.path[: -Page.steplen]).first())
    commune = _commune(page.path)
    cooling.add_page(_product_index(commune))
    _homes_showing(cooling, {page.pk}, listing_changed, commune)
    return cooling


def producer_changed(page, *, listing_changed) -> Cooling:
    """A producer's page, its products' pages (they show the producer), both indexes (the
    product cards carry its name); the homes that show one of its products."""
    from products.models import ProductPage

    cooling = Cooling()
    cooling.add_page(page)
    products = dict(ProductPage.objects.child_of(page).values_list("pk", "url_path"))
    for url_path in products.values():
        cooling.add_url_path(url_path)
    cooling.add_page(Page.objects.filter(path=page.path[: -Page.steplen]).first())
    commune = _commune(page.path)
    cooling.add_page(_product_index(commune))
    _homes_showing(cooling, set(products), listing_changed, commune)
    return cooling


def page_changed(page, *, listing_changed) -> Cooling:
    """What a saved, published, unpublished or deleted page cools.

    ``page`` may be a plain ``Page`` of a deleted row; only its path, url_path and type are
    read then.
    """
    from producers.models import ProducerPage
    from products.models import ProductPage
    from showcase.models import CommuneHomePage

    model = page.specific_class or type(page)
    if issubclass(model, ProductPage):
        return product_changed(page, listing_changed=listing_changed)
    if issubclass(model, ProducerPage) and isinstance(page, ProducerPage):
        return producer_changed(page, listing_changed=listing_changed)
    cooling = Cooling()
    # Anything else is in the header, the nav or every page of its site: a commune's name
    # shows on all its product pages, an index's title in the nav.
    cooling.add_site_of(page.url_path)
    if issubclass(model, (CommuneHomePage, ProducerPage)):
        cooling.add_page(_showcase())  # the commune's card, or its counts
    return cooling


def page_moved(*, url_path_before, url_path_after) -> Cooling:
    """A move changes the URLs of a whole subtree and two lists: both sites and the showcase."""
    cooling = Cooling()
    cooling.add_site_of(url_path_before)
    cooling.add_site_of(url_path_after)
    cooling.add_page(_showcase())
    return cooling


def image_changed(image) -> Cooling:
    """The pages that show this image: every page referring to it, as if it had been edited.

    Wagtail's reference index knows every page that uses an image, in a field, a gallery,
    rich text or a StreamField block.
    """
    from django.contrib.contenttypes.models import ContentType

    page_ids = (
        ReferenceIndex.get_references_to(image)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    cooling = Cooling()
    for page in Page.objects.filter(pk__in=[int(pk) for pk in page_ids]).specific():
        cooling |= page_changed(page, listing_changed=False)
    return cooling


def _every_product_index(cooling):
    """Every commune's product index: the filters there name categories and certifications
    (those of its products, and any a visitor chose in the address, even with no product)."""
    from products.models import ProductIndexPage

    for url_path in ProductIndexPage.objects.values_list("url_path", flat=True):
        cooling.add_url_path(url_path)
    return cooling


def category_changed(category) -> Cooling:
    """A category's name shows on its products' pages and in the product indexes' filters."""
    from products.models import ProductPage

    cooling = Cooling()
    for url_path in ProductPage.objects.filter(category=category).values_list(
        "url_path", flat=True
    ):
        cooling.add_url_path(url_path)
    return _every_product_index(cooling)


def certification_changed(certification) -> Cooling:
    """A certification's name shows on the pages of the products and producers holding it,
    and in the product indexes' filters."""
    from producers.models import ProducerCertification
    from products.models import ProductCertification

    cooling = Cooling()
    for model in (ProductCertification, ProducerCertification):
        for url_path in model.objects.filter(certification=certification).values_list(
            "page__url_path", flat=True
        ):
            cooling.add_url_path(url_path)
    return _every_product_index(cooling)
