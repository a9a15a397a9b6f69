"""Product filters: they combine, every count is what its choice gives, queries stay fixed."""

import datetime
from urllib.parse import parse_qsl

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from products.models import Certification, ProductCertification, ProductPage
from showcase.models import CommuneHomePage
from tests.showcase.test_query_counts import add_products, producer, queries_for  # noqa: F401


def titles(response):
    return {product.title for product in response.context["products"]}


def list_page(response):
    """The paginator page of a list: the search page's or the product index's."""
    context = response.context
    return context["results_page"] if "results_page" in context else context["products_page"]


def all_titles(client, path, host, data=None):
    """Titles over every page of a list (12 a page)."""
    found, number = set(), 1
    while True:
        response = client.get(path, {**(data or {}), "trang": number}, HTTP_HOST=host)
        found |= titles(response)
        if not list_page(response).has_next():
            return found
        number += 1


def live_in(commune):
    return ProductPage.objects.live().descendant_of(commune)


@pytest.mark.django_db
def test_filters_combine_on_the_commune_product_index(client, tamvu):
    response = client.get("/san-pham/?danh-muc=trai-cay&ocop=4", HTTP_HOST="tamvu.localhost")
    expected = set(
        live_in(tamvu)
        .filter(category__slug="trai-cay", ocop_stars=4)
        .values_list("title", flat=True)
    )
    assert expected and titles(response) == expected
    assert "Thanh long ruột trắng" not in titles(response)  # fruit, but no OCOP stars


@pytest.mark.django_db
def test_price_range_includes_both_ends_and_leaves_out_price_on_request(client, tamvu):
    product = live_in(tamvu).get(title="Thanh long ruột trắng")
    ask = live_in(tamvu).get(title="Thanh long ruột đỏ")
    ask.price_vnd = None
    ask.save_revision().publish()
    price = product.price_vnd
    response = client.get(
        "/san-pham/", {"gia-tu": f"{price:,}".replace(",", "."), "gia-den": price},
        HTTP_HOST="tamvu.localhost",
    )
    assert titles(response) == set(
        live_in(tamvu).filter(price_vnd=price).values_list("title", flat=True)
    )
    from_zero = all_titles(client, "/san-pham/", "tamvu.localhost", {"gia-tu": "0"})
    assert "Thanh long ruột đỏ" not in from_zero  # "giá liên hệ" has no price to compare
    assert "Thanh long ruột trắng" in from_zero


@pytest.mark.django_db
def test_in_season_keeps_products_of_this_month_and_all_year_ones(client, tamvu):
    month = timezone.localdate().month
    other = month % 12 + 1
    out_of_season = live_in(tamvu).get(title="Thanh long ruột trắng")
    out_of_season.season_months = [other]
    out_of_season.save_revision().publish()
    all_year = live_in(tamvu).get(title="Thanh long ruột đỏ")
    all_year.season_months = []
    all_year.save_revision().publish()
    found = all_titles(client, "/san-pham/", "tamvu.localhost", {"mua-vu": "1"})
    assert "Thanh long ruột đỏ" in found
    assert "Thanh long ruột trắng" not in found
    assert found == {p.title for p in live_in(tamvu) if p.in_season_now}


@pytest.mark.django_db
def test_in_stock_and_certification_filters(client, tamvu):
    sold_out = live_in(tamvu).get(title="Thanh long ruột đỏ")
    sold_out.in_stock = False
    sold_out.save_revision().publish()
    vietgap = Certification.objects.get(short_name="VietGAP")
    found = all_titles(
        client, "/san-pham/", "tamvu.localhost", {"con-hang": "1", "chung-nhan": vietgap.pk}
    )
    holders = ProductCertification.objects.filter(certification=vietgap).values("page_id")
    expected = set(
        live_in(tamvu).filter(in_stock=True, pk__in=holders).values_list("title", flat=True)
    )
    assert expected and found == expected
    assert "Thanh long ruột đỏ" not in found


@pytest.mark.django_db
def test_expired_certificates_and_ocop_ranks_do_not_count(client, tamvu):
    product = live_in(tamvu).get(title="Thanh long ruột đỏ")
    product.ocop_issued_on = datetime.date(2020, 1, 1)
    product.ocop_expires_on = datetime.date(2023, 1, 1)
    product.save_revision().publish()
    ProductCertification.objects.filter(page=product).update(expires_on=datetime.date(2024, 1, 1))
    vietgap = Certification.objects.get(short_name="VietGAP")
    assert "Thanh long ruột đỏ" not in all_titles(
        client, "/san-pham/", "tamvu.localhost", {"ocop": "4"}
    )
    assert "Thanh long ruột đỏ" not in all_titles(
        client, "/san-pham/", "tamvu.localhost", {"chung-nhan": vietgap.pk}
    )


def facet_choices(response):
    filters = response.context["filters"]
    return [choice for choices in filters.facets.values() for choice in choices]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "path", "data"),
    [
        ("localhost", "/tim-kiem/", {}),
        ("localhost", "/tim-kiem/", {"q": "thanh long", "con-hang": "1"}),
        ("localhost", "/tim-kiem/", {"danh-muc": "trai-cay", "mua-vu": "1"}),
        ("tamvu.localhost", "/san-pham/", {"ocop": "4"}),
        ("tanan.localhost", "/tim-kiem/", {"q": "lap xuong", "gia-tu": "100000"}),
    ],
)
def test_every_choice_count_is_what_its_link_gives(client, host, path, data):
    response = client.get(path, data, HTTP_HOST=host)
    choices = facet_choices(response)
    assert any(choice.count for choice in choices)
    for choice in choices:
        followed = client.get(path, dict(parse_qsl(choice.href[1:])), HTTP_HOST=host)
        assert list_page(followed).paginator.count == choice.count, (choice.label, choice.href)


@pytest.mark.django_db
def test_showcase_filters_by_commune_and_a_commune_host_ignores_it(client, tamvu, tanan):
    response = client.get("/tim-kiem/", {"xa": tamvu.ward_code}, HTTP_HOST="localhost")
    assert response.context["results_page"].paginator.count == live_in(tamvu).count()
    communes = {choice.label for choice in response.context["filters"].facets["xa"]}
    assert {tamvu.title, tanan.title} <= communes
    # On Tân An's own site the commune filter does not exist: its list stays its own.
    response = client.get("/tim-kiem/", {"xa": tamvu.ward_code}, HTTP_HOST="tanan.localhost")
    assert "xa" not in response.context["filters"].facets
    assert response.context["results_page"].paginator.count == live_in(tanan).count()


@pytest.mark.django_db
def test_commune_facets_count_only_that_communes_public_live_products(client, tamvu):
    hidden = live_in(tamvu).get(title="Mứt thanh long")
    hidden.unpublish()
    private = live_in(tamvu).get(title="Thanh long ruột trắng")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = client.get("/san-pham/", HTTP_HOST="tamvu.localhost")
    visible = live_in(tamvu).exclude(pk=private.pk)
    by_category = {c.value: c.count for c in response.context["filters"].facets["danh-muc"]}
    assert by_category == {
        slug: visible.filter(category__slug=slug).count()
        for slug in set(visible.values_list("category__slug", flat=True))
    }
    assert response.context["products_page"].paginator.count == visible.count()
    listed = all_titles(client, "/san-pham/", "tamvu.localhost")
    assert "Mứt thanh long" not in listed and "Thanh long ruột trắng" not in listed
    search = all_titles(client, "/tim-kiem/", "localhost", {"q": "thanh long"})
    assert "Mứt thanh long" not in search and "Thanh long ruột trắng" not in search


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"gia-tu": "-5000"}, "Giá không được âm."),
        ({"gia-den": "9" * 400}, "Giá quá lớn."),
        ({"gia-tu": "rẻ"}, "Giá là số đồng"),
        ({"gia-tu": "200000", "gia-den": "100000"}, "phải lớn hơn hoặc bằng"),
        ({"danh-muc": "khong-co"}, "Không có danh mục này."),
        ({"ocop": "7"}, "Hạng OCOP là 3, 4 hoặc 5 sao."),
        ({"chung-nhan": "99999999999999999999999"}, "Không có chứng nhận này."),
    ],
)
def test_bad_filter_values_are_named_and_left_out(client, tamvu, data, message):
    response = client.get("/san-pham/", data, HTTP_HOST="tamvu.localhost")
    assert response.status_code == 200
    assert message in response.content.decode()
    kept = response.context["filters"].values
    assert not ({"gia-tu", "gia-den", "danh-muc", "ocop", "chung-nhan"} & set(kept)) or (
        data == {"gia-tu": "200000", "gia-den": "100000"} and kept == {"gia-tu": 200000}
    )


@pytest.mark.django_db
def test_filters_work_without_javascript_as_a_get_form(client):
    html = client.get("/san-pham/", HTTP_HOST="tamvu.localhost").content.decode()
    assert '<form class="filters__form" method="get"' in html
    assert '<button class="button" type="submit">Lọc</button>' in html
    for name in ("danh-muc", "ocop", "chung-nhan", "mua-vu", "con-hang", "gia-tu", "gia-den"):
        assert f'name="{name}"' in html


@pytest.mark.django_db
def test_filtered_list_queries_do_not_grow_with_products(client, producer):  # noqa: F811
    paths = [
        ("tamvu.localhost", "/san-pham/?danh-muc=trai-cay&ocop=3&mua-vu=1&gia-tu=10000"),
        ("tamvu.localhost", "/tim-kiem/?q=san+pham&con-hang=1&chung-nhan=1"),
        ("localhost", "/tim-kiem/?q=san+pham&xa=28567&gia-den=90000"),
        ("localhost", "/tim-kiem/"),
        ("localhost", "/tim-kiem/?q=san+pham+thme"),  # misspelt: the suggestion path
    ]
    add_products(producer, 8)
    few = {path: queries_for(client, path, host) for host, path in paths}
    add_products(producer, 90)
    many = {path: queries_for(client, path, host) for host, path in paths}
    assert many == few
    assert CommuneHomePage.objects.count() >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"q": "thanh long"}, {"q": "lap xuong"}])
def test_commune_search_counts_only_its_own_products(client, tanan, data):
    response = client.get("/tim-kiem/", data, HTTP_HOST="tanan.localhost")
    listed = all_titles(client, "/tim-kiem/", "tanan.localhost", data)
    own = set(live_in(tanan).values_list("title", flat=True))
    assert listed <= own
    counts = response.context["filters"].facets["danh-muc"]
    assert sum(choice.count for choice in counts) == list_page(response).paginator.count
    assert list_page(response).paginator.count == len(listed)
