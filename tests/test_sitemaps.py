"""Each host's /sitemap.xml and /robots.txt name that host's own pages only; what must stay
out of search engines (admin, portal, search results, /q/) says so."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from producers.models import ProducerPage
from products.models import ProductPage
from showcase.models import CommuneHomePage, ShowcaseHomePage
from tests.showcase.test_query_counts import add_products

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
HOSTS = ["localhost", "tanan.localhost", "cangiuoc.localhost", "tamvu.localhost"]


def sitemap(client, host) -> dict[str, str]:
    """{location: lastmod} of a host's sitemap."""
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def live_urls_under(root) -> set[str]:
    return {
        page.get_full_url()
        for page in Page.objects.live().public().descendant_of(root, inclusive=True)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS[1:])
def test_commune_sitemap_lists_its_own_live_pages_with_lastmod_and_no_others(client, host):
    commune = Site.objects.get(hostname=host).root_page.specific
    assert isinstance(commune, CommuneHomePage)
    entries = sitemap(client, host)
    assert set(entries) == live_urls_under(commune)
    assert {urlsplit(url).hostname for url in entries} == {host}
    assert all(entries.values()), "every page has a lastmod"
    products = ProductPage.objects.live().descendant_of(commune)
    assert products.exists()
    assert {p.get_full_url() for p in products} <= set(entries)


@pytest.mark.django_db
def test_showcase_sitemap_lists_the_showcase_pages_only(client):
    showcase = ShowcaseHomePage.objects.get()
    entries = sitemap(client, "localhost")
    assert set(entries) == {"http://localhost/"} == live_urls_under(showcase)


@pytest.mark.django_db
def test_unknown_host_gets_the_showcase_sitemap_not_a_communes(client):
    assert set(sitemap(client, "unknown.example")) == {"http://localhost/"}


@pytest.mark.django_db
def test_sitemap_leaves_out_unpublished_private_and_draft_pages(client, tamvu):
    products = ProductPage.objects.live().descendant_of(tamvu).order_by("path")
    withdrawn = products.first()
    withdrawn.unpublish()
    private_producer = ProducerPage.objects.live().descendant_of(tamvu).order_by("path").first()
    PageViewRestriction.objects.create(
        page=private_producer, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    draft = private_producer.add_child(
        instance=ProductPage(title="Chưa đăng", slug="chua-dang", live=False)
    )
    entries = "\n".join(sitemap(client, "tamvu.localhost"))
    assert withdrawn.url_path.split("/", 2)[2] not in entries
    assert private_producer.url_path.split("/", 2)[2] not in entries
    assert "chua-dang" not in entries and draft.pk
    assert tamvu.get_full_url() in entries


@pytest.mark.django_db
def test_lastmod_is_the_last_publication(client, tamvu):
    product = ProductPage.objects.live().descendant_of(tamvu).order_by("path").first()
    product.last_published_at = timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 0))
    product.save(update_fields=["last_published_at"])
    assert sitemap(client, "tamvu.localhost")[product.get_full_url()].startswith("2026-03-04")


@pytest.mark.django_db
def test_pages_listing_a_product_change_when_it_is_published(client, tamvu):
    """The producer page, the commune's lists and home page show the product: same lastmod."""
    product = ProductPage.objects.live().descendant_of(tamvu).order_by("path").first()
    product.last_published_at = timezone.make_aware(datetime.datetime(2030, 1, 2, 9, 0))
    product.save(update_fields=["last_published_at"])
    entries = sitemap(client, "tamvu.localhost")
    listing = [
        "/",
        "/san-pham/",
        "/nha-san-xuat/",
        product.get_parent().url_path[len(tamvu.url_path) - 1 :],
    ]
    for path in listing:
        assert entries[f"http://tamvu.localhost{path}"].startswith("2030-01-02"), path


@pytest.mark.django_db
def test_sitemap_queries_do_not_grow_with_products(client, tamvu):
    producer = ProducerPage.objects.descendant_of(tamvu).get(title="HTX Thanh long Tầm Vu")

    def queries():
        with CaptureQueriesContext(connection) as context:
            sitemap(client, "tamvu.localhost")
        return len(context.captured_queries)

    sitemap(client, "tamvu.localhost")
    few = queries()
    add_products(producer, 30)
    assert queries() == few
    assert few <= 8


@pytest.mark.django_db
@pytest.mark.parametrize("host", HOSTS)
def test_robots_txt_names_its_own_hosts_sitemap_and_keeps_private_paths_out(client, host):
    response = client.get("/robots.txt", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"Sitemap: http://{host}/sitemap.xml" in text.splitlines()
    everyone = text.split("\n\n")[0].splitlines()
    assert everyone[0] == "User-agent: *"
    for path in ("/admin/", "/portal/", "/tim-kiem/", "/q/", "/Q/"):
        assert f"Disallow: {path}" in everyone
    # Link-preview bots may follow a shared /q/ link (and never the admin or the portal).
    previews = text.split("\n\n")[1].splitlines()
    assert "User-agent: facebookexternalhit" in previews
    assert "Disallow: /portal/" in previews and "Disallow: /q/" not in previews


@pytest.mark.django_db
def test_robots_txt_of_an_unknown_host_names_the_default_sites_sitemap(client):
    text = client.get("/robots.txt", HTTP_HOST="unknown.example").content.decode()
    assert "Sitemap: http://localhost/sitemap.xml" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/tim-kiem/?q=thanh+long", "/portal/dang-nhap/", "/admin/login/", "/q/ZZZZZZ"],
)
def test_paths_out_of_the_index_say_noindex(client, path):
    response = client.get(path, HTTP_HOST="tanan.localhost")
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.django_db
def test_short_link_redirect_says_noindex_and_pages_do_not(client, tanan):
    product = ProductPage.objects.live().descendant_of(tanan).order_by("path").first()
    redirect = client.get(f"/q/{product.short_code}", HTTP_HOST="tanan.localhost")
    assert redirect.status_code == 302 and redirect["X-Robots-Tag"] == "noindex"
    page = client.get(urlsplit(redirect["Location"]).path, HTTP_HOST="tanan.localhost")
    assert page.status_code == 200 and "X-Robots-Tag" not in page
