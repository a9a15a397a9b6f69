"""Each host's own sitemap: the live, public pages of the site that answers to that host.

Wagtail's sitemap (wagtail.contrib.sitemaps) already lists the requesting site's pages; this
one reads them with the indexed path range (commune_site/page_tree.py) instead of
``path LIKE``, and as plain pages (no per-type queries), since only the address and the date
of the last publication are written.
"""

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .page_tree import subtree_q


class SiteSitemap(Sitemap):
    """The pages of the site found for the request (an unknown host gets the default site's)."""

    def items(self):
        root = self.get_wagtail_site().root_page
        return (
            Page.objects.live()
            .public()
            .filter(subtree_q(root.path), depth__gte=root.depth)
            .order_by("path")
            .only(
                "id",
                "path",
                "depth",
                "url_path",
                "last_published_at",
                "latest_revision_created_at",
            )
        )
