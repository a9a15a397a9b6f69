"""Each host's own sitemap: the live, public pages of the site that answers to that host.

Wagtail's sitemap (wagtail.contrib.sitemaps) already lists the requesting site's pages; this
one reads them in one query with the indexed path range (commune_site/page_tree.py) instead of
``path LIKE``, as plain pages (no query per page type), and gives every page a lastmod: a page
that lists others (a commune's home page, its product list, a producer's page) changes when
one of them is published, and index pages made by ``add_commune`` have no publication date of
their own (they take the newest date of their commune).
"""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .page_tree import subtree_q


class SiteSitemap(Sitemap):
    """The pages of the site found for the request (an unknown host gets the default site's)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        pages = list(
            Page.objects.live()
            .public()
            .filter(subtree_q(root.path), depth__gte=root.depth)
            .order_by("path")
            .only(
                "id",
                "path",
                "depth",
                "url_path",
                "first_published_at",
                "last_published_at",
                "latest_revision_created_at",
            )
        )
        # In path order a page's descendants follow it: walking backwards, each page's newest
        # date is its own or the newest of the pages below it.
        newest_below: dict[str, object] = {}
        for page in reversed(pages):
            own = (
                page.last_published_at
                or page.latest_revision_created_at
                or page.first_published_at
            )
            below = newest_below.pop(page.path, None)
            page.sitemap_lastmod = max(filter(None, (own, below)), default=None)
            parent = page.path[: -Page.steplen]
            if page.sitemap_lastmod and (
                newest_below.get(parent) is None or newest_below[parent] < page.sitemap_lastmod
            ):
                newest_below[parent] = page.sitemap_lastmod
        # A list with no date and nothing below it (the product list, whose products live
        # under their producers) changes with its parent's pages: it takes the parent's date.
        by_path = {}
        for page in pages:
            if page.sitemap_lastmod is None:
                page.sitemap_lastmod = by_path.get(page.path[: -Page.steplen])
            by_path[page.path] = page.sitemap_lastmod
        return pages

    def lastmod(self, obj):
        return obj.sitemap_lastmod

    def _urls(self, page, protocol, domain):
        urls = [
            {"item": item, "location": self.location(item), "lastmod": self.lastmod(item)}
            for item in self.paginator.page(page).object_list
        ]
        dates = [url["lastmod"] for url in urls if url["lastmod"]]
        if dates:
            self.latest_lastmod = max(dates)
        return urls
