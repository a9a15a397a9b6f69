"""/q/<CODE>: 302 to the product's current page on its own commune host, 410 when gone, 404 else."""

import pytest
from wagtail.models import Page, Site

from commune_site import site_directory, site_root_paths

pytest_plugins = ["tests.products.qr_fixtures"]


def _get(client, path, host="tanan.localhost", **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def test_short_link_redirects_to_product_page(client, product):
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 302
    assert response["Location"] == product.get_full_url()
    assert response["Location"].startswith("http://tanan.localhost/")


def test_short_link_works_from_another_host(client, product):
    response = _get(client, f"/q/{product.short_code}", host="tamvu.localhost")
    assert response["Location"].startswith("http://tanan.localhost/")


def test_upper_case_q_path_and_lower_case_code_redirect(client, product):
    response = _get(client, f"/Q/{product.short_code.lower()}")
    assert response.status_code == 302
    assert response["Location"] == product.get_full_url()


def test_trailing_slash_is_accepted(client, product):
    assert _get(client, f"/q/{product.short_code}/").status_code == 302


def test_redirect_follows_slug_change(client, product):
    product.slug = "ten-moi-hoan-toan"
    product.save_revision().publish()
    response = _get(client, f"/q/{product.short_code}")
    assert response["Location"].endswith("/ten-moi-hoan-toan/")


def test_redirect_follows_title_change(client, product):
    product.title = "Tên sản phẩm khác"
    product.save_revision().publish()
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 302
    assert response["Location"] == Page.objects.get(pk=product.pk).get_full_url()


def test_redirect_follows_move_to_another_producer(client, product):
    producer = product.get_parent()
    other_producer = producer.get_siblings(inclusive=False).live().first()
    product.move(other_producer, pos="last-child")
    response = _get(client, f"/q/{product.short_code}")
    assert response["Location"].startswith(Page.objects.get(pk=other_producer.pk).get_full_url())
    assert response["Location"].endswith(f"/{product.slug}/")


def test_redirect_follows_hostname_change(client, product, tanan):
    _get(client, f"/q/{product.short_code}")  # the site root paths are now in memory
    site = Site.objects.get(root_page=tanan)
    site.hostname = "tanan-moi.localhost"
    site.save()
    # The printed code still names the old host; /q/ answers on any host.
    response = _get(client, f"/q/{product.short_code}", host="tanan.localhost")
    assert response["Location"].startswith("http://tanan-moi.localhost/")


def test_redirect_follows_commune_home_slug_change(client, product, tanan):
    # The site's root path changes with its root page's slug; the copy kept in memory too.
    _get(client, f"/q/{product.short_code}")
    tanan.slug = "tan-an-moi"
    tanan.save_revision().publish()
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 302
    assert response["Location"] == Page.objects.get(pk=product.pk).get_full_url()


def test_page_under_two_sites_is_sent_to_the_site_asked(client, product, tanan):
    """Wagtail chooses when a second site has the same root (an alias host name)."""
    Site.objects.create(hostname="tanan-alias.localhost", port=80, root_page=tanan)
    for host in ("tanan-alias.localhost", "tanan.localhost"):
        response = _get(client, f"/q/{product.short_code}", host=host)
        assert response.status_code == 302
        assert response["Location"] == f"http://{host}{product.get_url_parts()[2]}"


def test_wagtail_decides_urls_without_a_trailing_slash(client, product, batch, monkeypatch):
    # WAGTAIL_APPEND_SLASH is read once, when Wagtail is imported.
    monkeypatch.setattr("wagtail.models.pages.WAGTAIL_APPEND_SLASH", False)
    monkeypatch.setattr("products.views.WAGTAIL_APPEND_SLASH", False)
    response = _get(client, f"/q/{product.short_code}")
    assert response["Location"] == product.get_full_url()
    assert not response["Location"].endswith("/")
    response = _get(client, f"/q/{batch.short_code}")
    assert response["Location"] == product.batch_url(batch)


def test_hostname_change_in_another_worker_is_seen_within_the_memory_bound(
    client, product, tanan, monkeypatch
):
    """Another worker's Site save reaches this worker's copy at most SECONDS later."""
    _get(client, f"/q/{product.short_code}")
    # What a save in another process leaves behind: the new row and a new version of the site
    # directory in the shared cache (commune_site/site_directory.py), but no signal here.
    Site.objects.filter(root_page=tanan).update(hostname="tanan-moi.localhost")
    site_directory._new_version()
    response = _get(client, f"/q/{product.short_code}")
    assert response["Location"].startswith("http://tanan.localhost/")
    now = site_root_paths.time.monotonic()
    monkeypatch.setattr(
        site_root_paths.time, "monotonic", lambda: now + site_root_paths.SECONDS
    )
    response = _get(client, f"/q/{product.short_code}")
    assert response["Location"].startswith("http://tanan-moi.localhost/")


def test_site_missing_from_the_copy_in_memory_is_read_again(client, product, tanan, monkeypatch):
    """A commune created in another worker since this worker's copy was taken still redirects."""
    paths = tuple(p for p in Site.get_site_root_paths() if p.root_path != tanan.url_path)
    monkeypatch.setattr(site_root_paths, "_cached", (float("inf"), paths))
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 302
    assert response["Location"] == product.get_full_url()


def test_unpublished_product_answers_gone_with_producer_contact(client, product):
    producer = product.get_parent().specific
    product.unpublish()
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 410
    body = response.content.decode()
    assert "Sản phẩm không còn được giới thiệu" in body
    assert producer.title in body
    assert f"tel:{producer.phone}" in body
    assert "/san-pham/" in body


def test_deleted_product_answers_gone(client, product):
    code = product.short_code
    Page.objects.get(pk=product.pk).delete()
    response = _get(client, f"/q/{code}")
    assert response.status_code == 410
    assert "/san-pham/" in response.content.decode()


def test_gone_page_omits_unpublished_producer(client, product):
    producer = product.get_parent().specific
    product.unpublish()
    producer.unpublish()
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 410
    assert f"tel:{producer.phone}" not in response.content.decode()


def test_unknown_code_answers_friendly_not_found(client, db):
    response = _get(client, "/q/ZZZZZZ")
    assert response.status_code == 404
    assert "Không tìm thấy mã" in response.content.decode()


@pytest.mark.parametrize(
    "code", ["ABC", "ABCDEFGH", "AB%20CD", "ÀBCDEF", "ABCDE!", ".....", "U00000"]
)
def test_malformed_code_answers_not_found(client, db, code):
    response = _get(client, f"/q/{code}")
    assert response.status_code == 404


def test_redirect_costs_the_code_lookup_and_the_scan_insert(
    client, product, django_assert_num_queries
):
    _get(client, f"/q/{product.short_code}")  # this worker reads the site root paths once
    with django_assert_num_queries(2):
        response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 302
    assert response["Location"] == product.get_full_url()


def test_redirect_is_answered_before_sessions_language_and_csrf(client, product):
    """ShortLinkMiddleware answers first: nothing a redirect does not need has run."""
    client.cookies["sessionid"] = "x" * 32
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 302
    assert "Content-Language" not in response  # the language middleware did not run
    assert "Vary" not in response
    assert response.cookies == {}
    assert response["Cache-Control"] == "no-store"


def test_codes_that_lead_nowhere_go_through_the_whole_stack(client, product):
    product.unpublish()
    gone = _get(client, f"/q/{product.short_code}")
    assert gone.status_code == 410
    assert gone["Content-Language"] == "vi"
    unknown = _get(client, "/q/ZZZZZZ")
    assert unknown.status_code == 404
    assert unknown["Content-Language"] == "vi"


@pytest.mark.parametrize("unpublish", [False, True])
def test_code_that_leads_nowhere_is_looked_up_once_by_the_middleware_and_once_for_its_page(
    client, product, unpublish
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if unpublish:
        product.unpublish()
    code = product.short_code if unpublish else "ZZZZZZ"
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, f"/q/{code}")
    assert response.status_code == (410 if unpublish else 404)
    # The redirect's small lookup, then the full row for the page; not the redirect's again.
    code_queries = [q for q in queries.captured_queries if '"products_shortcode"' in q["sql"]]
    assert len(code_queries) == 2


def test_plain_http_short_link_is_sent_to_https_first(client, product, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = _get(client, f"/q/{product.short_code}")
    assert response.status_code == 301
    assert response["Location"] == f"https://tanan.localhost/q/{product.short_code}"
    secure = _get(client, f"/q/{product.short_code}", secure=True)
    assert secure.status_code == 302


def test_short_link_on_a_host_outside_allowed_hosts_is_refused(client, product, settings):
    settings.ALLOWED_HOSTS = [".localhost"]
    response = _get(client, f"/q/{product.short_code}", host="evil.example.com")
    assert response.status_code == 400


def test_post_to_short_link_is_not_allowed(client, product):
    response = client.post(f"/q/{product.short_code}", HTTP_HOST="tanan.localhost")
    assert response.status_code == 405


def test_product_page_carries_shortlink_in_head_and_as_text(client, product):
    response = client.get(product.get_url(), HTTP_HOST="tanan.localhost")
    body = response.content.decode()
    link = f"https://tanan.localhost/q/{product.short_code}"
    head = body.split("</head>")[0]
    assert f'<link rel="shortlink" href="{link}">' in head
    assert f">{link}</a>" in body.split("</head>")[1]


def test_batch_redirect_costs_the_code_lookup_and_the_scan_insert(
    client, batch, django_assert_num_queries
):
    _get(client, f"/q/{batch.short_code}")
    with django_assert_num_queries(2):
        response = _get(client, f"/q/{batch.short_code}")
    assert response.status_code == 302
    assert response["Location"] == batch.product.batch_url(batch)


def test_deleted_product_after_admin_move_shows_its_new_producer(client, superuser, product):
    from django.urls import reverse

    producer = product.get_parent()
    new_producer = producer.get_siblings(inclusive=False).live().first().specific
    client.force_login(superuser)
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[product.pk, new_producer.pk]))
    code = product.short_code
    Page.objects.get(pk=product.pk).delete()
    client.logout()
    response = _get(client, f"/q/{code}")
    assert response.status_code == 410
    assert f"tel:{new_producer.phone}" in response.content.decode()
