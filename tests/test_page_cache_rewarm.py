"""After an edit the cooled pages are rendered again once the editor has the response, and a CDN
in front of the sites is purged of the same URLs."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import BaseBackend

from commune_site.cache import PageCacheMiddleware
from producers.portal.services import product_quick_edit
from producers.selectors import producer_for_user
from products.models import ProductPage
from showcase.models import CommuneHomePage, ShowcaseHomePage

from .conftest import TANAN

HOST = "tanan.localhost"


class RecordingBackend(BaseBackend):
    """A CDN that only writes down what it was asked to purge."""

    purged: list[str] = []

    def purge(self, url):
        RecordingBackend.purged.append(url)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_REWARM = True


@pytest.fixture
def cdn(settings):
    RecordingBackend.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "recording": {"BACKEND": f"{__name__}.RecordingBackend", "HOSTNAMES": ["*"]}
    }
    return RecordingBackend.purged


def first_product(user):
    return ProductPage.objects.child_of(producer_for_user(user)).order_by("title").first()


def post_price(user, page, price):
    portal = Client()
    portal.force_login(user)
    prefix = f"p{page.pk}"
    return portal.post(
        reverse("portal:quick_edit", args=[page.pk]),
        {
            f"{prefix}-price_vnd": price,
            f"{prefix}-price_unit": page.price_unit,
            f"{prefix}-in_stock": "1",
            f"{prefix}-season_months": [str(m) for m in page.season_months],
        },
        HTTP_HOST=HOST,
    )


def path_of(page):
    return page.get_url_parts()[2]


@pytest.mark.django_db
def test_price_edit_leaves_its_pages_warm_with_the_new_price(client, producer_a):
    page = first_product(producer_a)
    urls = [path_of(page), path_of(page.get_parent()), "/san-pham/"]
    for url in urls:
        client.get(url, HTTP_HOST=HOST)
    post_price(producer_a, page, "77.000")
    for url in urls:
        response = client.get(url, HTTP_HOST=HOST)
        assert response["X-Page-Cache"] == "hit", url
        assert "77.000 ₫" in response.content.decode(), url


@pytest.mark.django_db
def test_rewarm_off_leaves_the_cooled_pages_cold(client, settings, producer_a):
    settings.PAGE_CACHE_REWARM = False
    page = first_product(producer_a)
    client.get(path_of(page), HTTP_HOST=HOST)
    post_price(producer_a, page, "77.000")
    response = client.get(path_of(page), HTTP_HOST=HOST)
    assert response["X-Page-Cache"] == "miss"
    assert "77.000 ₫" in response.content.decode()


@pytest.mark.django_db
def test_rerender_waits_until_the_response_is_closed(client, producer_a):
    """The editor's response is complete before any page is rendered again: the work hangs
    on the response's close, which the WSGI server calls after sending it."""
    page = first_product(producer_a)
    producer = producer_for_user(producer_a)

    def edit(request):
        product_quick_edit(
            producer=producer,
            product=page,
            user=producer_a,
            price_vnd=66000,
            price_unit=page.price_unit,
            in_stock=True,
            season_months=page.season_months,
        )
        from django.http import HttpResponse

        return HttpResponse("đã lưu")

    producer_path = path_of(page.get_parent())
    for url in (path_of(page), producer_path):
        client.get(url, HTTP_HOST=HOST)
    request = RequestFactory().post("/portal/", HTTP_HOST=HOST)
    response = PageCacheMiddleware(edit)(request)
    assert response.content.decode() == "đã lưu"
    assert client.get(path_of(page), HTTP_HOST=HOST)["X-Page-Cache"] == "miss"
    response.close()
    again = client.get(producer_path, HTTP_HOST=HOST)
    assert again["X-Page-Cache"] == "hit"
    assert "66.000 ₫" in again.content.decode()


@pytest.mark.django_db
def test_pages_nobody_asked_for_are_not_rendered_again(client, producer_a):
    page = first_product(producer_a)
    client.get(path_of(page), HTTP_HOST=HOST)
    post_price(producer_a, page, "55.000")
    assert client.get(path_of(page), HTTP_HOST=HOST)["X-Page-Cache"] == "hit"
    producer = client.get(path_of(page.get_parent()), HTTP_HOST=HOST)
    assert producer["X-Page-Cache"] == "miss"
    assert "55.000 ₫" in producer.content.decode()


@pytest.mark.django_db
def test_cdn_is_purged_of_the_pages_a_price_edit_cools(cdn, producer_a):
    page = first_product(producer_a)
    tanan = CommuneHomePage.objects.get(ward_code=TANAN)
    expected = {
        f"http://{HOST}{path_of(page)}",
        f"http://{HOST}{path_of(page.get_parent())}",
        f"http://{HOST}/san-pham/",
    }
    if page.pk in tanan.featured_product_ids():
        expected.add(f"http://{HOST}/")
    if page.pk in ShowcaseHomePage.objects.get().featured_product_ids():
        expected.add("http://localhost/")
    post_price(producer_a, page, "88.000")
    assert set(cdn) == expected


@pytest.mark.django_db
def test_cdn_is_purged_of_every_page_of_a_commune_whose_own_page_changed(cdn, tamvu):
    tamvu.introduction = "<p>Giới thiệu mới.</p>"
    tamvu.save_revision().publish()
    # Outside a request the purge runs after the commit; the test's transaction never commits.
    from commune_site import cache_dependents, cache_rewarm

    cooling = cache_dependents.page_changed(tamvu, listing_changed=True)
    _page_urls, cdn_urls = cache_rewarm.targets_for(cooling)
    cache_rewarm.rewarm_pages.call(page_urls=[], cdn_urls=cdn_urls)
    live_pages = ProductPage.objects.live().descendant_of(tamvu)
    assert {f"http://tamvu.localhost{path_of(p)}" for p in live_pages} <= set(cdn)
    assert "http://tamvu.localhost/" in cdn
    assert "http://localhost/" in cdn
    assert not [url for url in cdn if "tanan" in url]


@pytest.mark.django_db
def test_no_cdn_configured_purges_nothing(settings, producer_a):
    settings.WAGTAILFRONTENDCACHE = {}
    RecordingBackend.purged = []
    post_price(producer_a, first_product(producer_a), "12.000")
    assert RecordingBackend.purged == []
