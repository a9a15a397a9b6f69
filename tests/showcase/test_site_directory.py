"""The site directory answers as Wagtail would, and a change to the sites takes effect at once.

commune_site/site_directory.py keeps sites by hostname and their root paths in each worker's
memory; commune_site/page_tree.py routes a URL in one query and reads view restrictions in
one. These tests hold their answers to Wagtail's own (kept in ``site_directory.ORIGINALS``).
"""

import re

import pytest
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from commune_site import site_directory
from producers.models import ProducerPage
from products.models import ProductPage
from showcase.models import CommuneHomePage

PRODUCT_PATH = "/nha-san-xuat/htx-thanh-long-tam-vu/thanh-long-ruot-do/"


def request_for(host):
    """A request to ``host``, arriving on the port it names (as behind no proxy)."""
    port = host.rpartition(":")[2] if ":" in host else "80"
    return RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port)


def wagtail_site(host):
    return site_directory.ORIGINALS["_find_for_request"](request_for(host))


def directory_site(host):
    return Site.find_for_request(request_for(host))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "host",
    [
        "tanan.localhost",
        "tanan.localhost:8080",  # a known host on another port: the site of that host
        "localhost",
        "localhost:8000",
        "unknown.localhost",  # no such site: the default one (the showcase)
        "127.0.0.1",
    ],
)
def test_site_for_host_is_the_one_wagtail_finds(host):
    assert directory_site(host).pk == wagtail_site(host).pk


@pytest.mark.django_db
def test_two_sites_on_one_hostname_are_told_apart_by_port_as_wagtail_does(tanan, cangiuoc):
    Site.objects.filter(root_page=cangiuoc).update(hostname="tanan.localhost", port=8080)
    site_directory.changed()
    for host in ("tanan.localhost", "tanan.localhost:8080", "tanan.localhost:9000"):
        assert directory_site(host).pk == wagtail_site(host).pk, host
    assert directory_site("tanan.localhost:8080").root_page_id == cangiuoc.pk


@pytest.mark.django_db
def test_renamed_site_is_served_at_its_new_host_and_not_at_the_old_one(client, tamvu):
    assert client.get(PRODUCT_PATH, HTTP_HOST="tamvu.localhost").status_code == 200
    site = Site.objects.get(root_page=tamvu)
    site.hostname = "tamvu-moi.localhost"
    site.save()
    assert client.get(PRODUCT_PATH, HTTP_HOST="tamvu-moi.localhost").status_code == 200
    # The old name is now an unknown host: the default site, which has no such page.
    assert client.get(PRODUCT_PATH, HTTP_HOST="tamvu.localhost").status_code == 404
    home = client.get("/", HTTP_HOST="tamvu.localhost").content.decode()
    assert "<h1>Sản phẩm chủ lực Tây Ninh</h1>" in home


@pytest.mark.django_db
def test_new_site_is_served_from_the_next_request(client, tamvu):
    client.get("/", HTTP_HOST="tamvu2.localhost")  # the directory is built without it
    Site.objects.create(hostname="tamvu2.localhost", port=80, root_page=tamvu)
    assert client.get(PRODUCT_PATH, HTTP_HOST="tamvu2.localhost").status_code == 200


@pytest.mark.django_db
def test_deleted_site_falls_back_to_the_default_site(client, tamvu):
    client.get("/", HTTP_HOST="tamvu.localhost")
    Site.objects.get(root_page=tamvu).delete()
    assert client.get(PRODUCT_PATH, HTTP_HOST="tamvu.localhost").status_code == 404
    home = client.get("/", HTTP_HOST="tamvu.localhost").content.decode()
    assert "<h1>Sản phẩm chủ lực Tây Ninh</h1>" in home


@pytest.mark.django_db
def test_change_made_by_another_worker_is_seen_on_the_next_request(client, tamvu):
    client.get("/", HTTP_HOST="tamvu.localhost")
    # Another process saved it: the row changed and the shared version moved, no signal here.
    Site.objects.filter(root_page=tamvu).update(hostname="tamvu-khac.localhost")
    site_directory._new_version()
    assert client.get(PRODUCT_PATH, HTTP_HOST="tamvu-khac.localhost").status_code == 200


@pytest.mark.django_db
def test_published_edit_of_a_commune_home_page_shows_on_the_next_render(client, tamvu):
    client.get("/", HTTP_HOST="tamvu.localhost")  # the root page is now kept in memory
    tamvu.introduction = "<p>Giới thiệu mới của xã</p>"
    tamvu.save_revision().publish()
    assert "Giới thiệu mới của xã" in client.get("/", HTTP_HOST="tamvu.localhost").content.decode()


@pytest.mark.django_db
def test_request_gets_its_own_site_and_root_page_objects(tamvu):
    first, second = directory_site("tamvu.localhost"), directory_site("tamvu.localhost")
    assert first is not second and first.root_page is not second.root_page
    assert isinstance(first.root_page, CommuneHomePage) and first.root_page.pk == tamvu.pk


@pytest.mark.django_db
def test_page_urls_are_the_ones_wagtail_builds(tamvu):
    originals = site_directory.ORIGINALS
    site_directory.changed()
    for host in ("tamvu.localhost", "localhost", "tanan.localhost"):
        request = RequestFactory().get("/", HTTP_HOST=host)
        pages = list(Page.objects.filter(depth__gte=2).order_by("path")[:200])
        for page in pages:
            wagtail_paths = originals["get_site_root_paths"]()
            theirs = [p for p in wagtail_paths if page.url_path.startswith(p.root_path)]
            assert list(page._get_relevant_site_root_paths(request)) == theirs
            fresh = RequestFactory().get("/", HTTP_HOST=host)
            fresh._wagtail_site = originals["_find_for_request"](fresh)
            fresh._wagtail_cached_site_root_paths = wagtail_paths
            assert page.get_url(request) == originals["get_url"](page, fresh), page.url_path
            assert page.get_url_parts(request) == originals["get_url_parts"](page, fresh)


@pytest.mark.django_db
def test_routing_finds_every_page_of_the_commune_and_nothing_else(client, tamvu):
    site = Site.objects.get(root_page=tamvu)
    for page in Page.objects.descendant_of(tamvu).live().specific():
        path = page.url_path[len(tamvu.url_path) - 1 :]
        response = client.get(path, HTTP_HOST=site.hostname)
        assert response.status_code == 200, path
        assert response.context["page"].pk == page.pk
    assert client.get("/khong-co/", HTTP_HOST=site.hostname).status_code == 404
    assert client.get(PRODUCT_PATH + "khong-co/", HTTP_HOST=site.hostname).status_code == 404


@pytest.mark.django_db
def test_page_that_is_not_live_is_not_found(client):
    ProductPage.objects.get(slug="thanh-long-ruot-do").unpublish()
    assert client.get(PRODUCT_PATH, HTTP_HOST="tamvu.localhost").status_code == 404


@pytest.mark.django_db
def test_routed_product_page_knows_its_parents_as_wagtails_walk_does(
    tamvu, django_assert_num_queries
):
    request = RequestFactory().get(PRODUCT_PATH, HTTP_HOST="tamvu.localhost")
    page, _, _ = Page.route_for_request(request, PRODUCT_PATH)
    assert isinstance(page, ProductPage) and page.slug == "thanh-long-ruot-do"
    with django_assert_num_queries(1):  # the producer's own row; the parents are known
        producer = page.producer
        commune = producer.get_parent().get_parent()
    assert isinstance(producer, ProducerPage) and producer.slug == "htx-thanh-long-tam-vu"
    assert commune.pk == tamvu.pk


@pytest.mark.django_db
def test_view_restriction_above_a_page_still_applies(client, tamvu):
    producer = ProducerPage.objects.get(slug="htx-thanh-long-tam-vu")
    restriction = PageViewRestriction.objects.create(
        page=producer, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )
    page = ProductPage.objects.get(slug="thanh-long-ruot-do")
    assert list(page.get_view_restrictions()) == [restriction]
    response = client.get(PRODUCT_PATH, HTTP_HOST="tamvu.localhost")
    assert response.status_code == 200
    assert "mat-khau" not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def python_calls(client, host, path):
    """Python function calls of one render, after the renders that build the caches."""
    import cProfile
    import pstats

    for _ in range(3):
        assert client.get(path, HTTP_HOST=host).status_code == 200
    profile = cProfile.Profile()
    profile.enable()
    client.get(path, HTTP_HOST=host)
    profile.disable()
    return pstats.Stats(profile).total_calls


@pytest.mark.django_db
def test_render_does_the_same_work_with_3300_sites_as_with_4(client):
    """What grew with the sites (the site-table scan, the pass over every root path per link)
    would show as more Python calls per render; counted, not timed, so other jobs on the
    machine do not matter. The sites are added by the bench's own seeder (bare communes)."""
    import importlib.util

    from django.conf import settings
    from django.core.cache import caches

    spec = importlib.util.spec_from_file_location("bench", settings.BASE_DIR / "scripts/bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    pages = [
        ("tamvu.localhost", PRODUCT_PATH),
        ("tamvu.localhost", "/"),
        ("tamvu.localhost", "/san-pham/"),
    ]
    few = {page: python_calls(client, *page) for page in pages}
    bench.seed_sites(3300, 80)
    assert Site.objects.count() >= 3300
    # Bulk inserts send no signal: empty the caches, as a server started on this data has them.
    for alias in settings.CACHES:
        caches[alias].clear()
    site_directory.changed()
    many = {page: python_calls(client, *page) for page in pages}
    grown = {page: (few[page], many[page]) for page in pages if many[page] > few[page] * 1.01}
    assert not grown, grown


# --- The menu and the private sections, kept with the directory -----------------------------

MENU = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.S)


def menu_of(client, host="tamvu.localhost", path="/"):
    """The (href, text) links of the site menu on a rendered page."""
    html = client.get(path, HTTP_HOST=host).content.decode()
    found = MENU.search(html)
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', found.group(1)) if found else []


def menu_from_database(tamvu):
    pages = tamvu.get_children().live().in_menu().order_by("path")
    return [(page.url_path[len(tamvu.url_path) - 1 :], page.title) for page in pages]


def publish(page):
    page.save_revision().publish()


@pytest.mark.django_db
def test_menu_is_the_live_pages_shown_in_menus(client, tamvu):
    assert menu_of(client) == menu_from_database(tamvu)
    assert ("/san-pham/", "Sản phẩm") in menu_of(client, path=PRODUCT_PATH)


@pytest.mark.django_db
@pytest.mark.parametrize("edit", ["rename", "hide", "unpublish", "add", "delete", "move"])
def test_menu_follows_every_edit_of_a_sites_top_pages(client, tamvu, edit):
    menu_of(client)  # the directory now keeps this site's menu
    index = tamvu.get_children().get(slug="san-pham").specific
    if edit == "rename":
        index.title = "Đặc sản"
        publish(index)
    elif edit == "hide":
        index.show_in_menus = False
        publish(index)
    elif edit == "unpublish":
        index.unpublish()
    elif edit == "add":
        tamvu.add_child(instance=Page(title="Giới thiệu", slug="gioi-thieu", show_in_menus=True))
    elif edit == "delete":
        index.delete()
    else:
        index.move(Page.objects.get(pk=tamvu.pk).get_children().get(slug="nha-san-xuat"))
    fresh = menu_from_database(CommuneHomePage.objects.get(pk=tamvu.pk))
    assert menu_of(client) == fresh
    assert menu_of(client, path="/nha-san-xuat/") == fresh


@pytest.mark.django_db
def test_menu_changed_by_another_worker_shows_on_the_next_request(client, tamvu):
    menu_of(client)
    # Another process saved it: the row changed and the shared version moved, no signal here.
    Page.objects.filter(pk=tamvu.get_children().get(slug="san-pham").pk).update(title="Đặc sản")
    site_directory._new_version()
    assert ("/san-pham/", "Đặc sản") in menu_of(client)


def private(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )


def asks_password(client, path, host="tamvu.localhost"):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return 'name="password"' in response.content.decode()


@pytest.mark.django_db
def test_page_made_private_after_a_render_asks_for_the_password_at_once(client, tamvu):
    assert not asks_password(client, PRODUCT_PATH)
    restriction = private(ProducerPage.objects.get(slug="htx-thanh-long-tam-vu"))
    assert asks_password(client, PRODUCT_PATH)
    assert asks_password(client, "/nha-san-xuat/htx-thanh-long-tam-vu/")
    assert not asks_password(client, "/san-pham/")
    restriction.delete()
    assert not asks_password(client, PRODUCT_PATH)


@pytest.mark.django_db
def test_private_section_made_by_another_worker_is_private_on_the_next_request(client, tamvu):
    assert not asks_password(client, PRODUCT_PATH)
    producer = ProducerPage.objects.get(slug="htx-thanh-long-tam-vu")
    # Another process saved it: the row is there and the shared version moved, no signal here.
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=producer, restriction_type="password", password="mat-khau")]
    )
    site_directory._new_version()
    assert asks_password(client, PRODUCT_PATH)


@pytest.mark.django_db
@pytest.mark.parametrize("order", ["alias first", "restriction first"])
def test_alias_of_a_private_page_is_private(client, tamvu, order):
    producer = ProducerPage.objects.get(slug="htx-thanh-long-tam-vu")
    alias_path = "/nha-san-xuat/htx-thanh-long-ban-sao/"
    assert not asks_password(client, "/nha-san-xuat/htx-thanh-long-tam-vu/")
    if order == "restriction first":
        private(producer)
        assert asks_password(client, "/nha-san-xuat/htx-thanh-long-tam-vu/")
    alias = producer.create_alias(update_slug="htx-thanh-long-ban-sao")
    if order == "alias first":
        assert not asks_password(client, alias_path)
        private(producer)
    assert asks_password(client, alias_path)
    assert list(alias.get_view_restrictions()) == list(producer.get_view_restrictions())


@pytest.mark.django_db
def test_lists_leave_out_a_section_made_private_after_a_render(client, tamvu):
    card = f'>{ProductPage.objects.get(slug="thanh-long-ruot-do").title}</span>'
    assert card in client.get("/san-pham/", HTTP_HOST="tamvu.localhost").content.decode()
    private(ProducerPage.objects.get(slug="htx-thanh-long-tam-vu"))
    assert card not in client.get("/san-pham/", HTTP_HOST="tamvu.localhost").content.decode()
    public = ProductPage.objects.live().public().descendant_of(tamvu)
    assert not public.filter(slug="thanh-long-ruot-do").exists()
