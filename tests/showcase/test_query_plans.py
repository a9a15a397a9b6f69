"""Public pages read the page tree through its indexes, so a page's cost does not grow with the
number of pages of every commune in the database (commune_site/page_tree.py)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commune_site.page_tree import subtree_q
from products.models import ProductPage
from showcase.models import CommuneHomePage
from tests.showcase.test_query_counts import COMMUNE_PATHS

# The province showcase is left out: it counts and ranks the products of every commune, which
# reads them all by design (it is one page, and the page cache keeps it).
PAGES = [("tamvu.localhost", path) for path in [*COMMUNE_PATHS, "/tim-kiem/?q=thanh+long"]]
# Tables that grow with the country: a read of every row of one of them is what must not happen.
TREE_TABLES = ("wagtailcore_page", "products_productpage", "producers_producerpage")


def selects(client, host, path):
    client.get(path, HTTP_HOST=host)  # the first render creates image renditions
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return [q["sql"] for q in context.captured_queries if q["sql"].startswith("SELECT")]


def full_scans(sql):
    """The plan's steps that read a whole tree table, in the database's own words."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            steps = [row[-1] for row in cursor.fetchall()]
            # The whole table name: "SCAN wagtailcore_pageviewrestriction" (the few private
            # sections, read by Wagtail's public()) is not a scan of wagtailcore_page.
            return [s for s in steps if s.startswith("SCAN ") and s.split()[1] in TREE_TABLES]
        # PostgreSQL: forbid sequential scans; one that remains has no index to use instead.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        steps = [row[0] for row in cursor.fetchall()]
        return [s for s in steps if any(re.search(rf"Seq Scan on {t}\b", s) for t in TREE_TABLES)]


@pytest.mark.parametrize("host,path", PAGES)
def test_public_page_filters_the_tree_by_index(client, db, host, path):
    scans = {sql: steps for sql in selects(client, host, path) if (steps := full_scans(sql))}
    assert not scans, "\n".join(f"{steps} in {sql}" for sql, steps in scans.items())


def test_subtree_range_selects_what_wagtail_startswith_does(tamvu):
    for page in [tamvu, *tamvu.get_descendants()[:8]]:
        by_range = set(ProductPage.objects.descendant_of(page, inclusive=True))
        by_prefix = set(ProductPage.objects.filter(path__startswith=page.path))
        assert by_range == by_prefix
        assert set(CommuneHomePage.objects.filter(subtree_q(page.path))) == (
            {tamvu} if page == tamvu else set()
        )
    assert len(ProductPage.objects.descendant_of(tamvu)) >= 10
