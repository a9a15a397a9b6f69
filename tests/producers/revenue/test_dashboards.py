"""Revenue dashboards: who may open them, exact sums, small-group hiding, constant query counts."""

import csv
import datetime
import io
import random
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from producers.models import ProducerPage
from producers.revenue.dashboards import SUPPRESSED, hidden
from producers.revenue.models import DIGITAL_CHANNELS, Channel, Sale
from producers.revenue.services import baseline_set, sale_record
from products.templatetags.products_tags import vnd

pytestmark = pytest.mark.django_db

YEAR = {"period": "custom", "from": "01/2025", "to": "12/2025"}
MONEY = "Thành tiền (đ)"


def producers_of(commune, count):
    return list(ProducerPage.objects.descendant_of(commune).order_by("path")[:count])


def record(producer, user, rng, count, *, channels=None, names=("Rau muống", "Mít", "Bưởi")):
    for _ in range(count):
        sale_record(
            producer=producer,
            product=None,
            product_name=rng.choice(names),
            sold_on=datetime.date(2025, rng.randint(1, 12), rng.randint(1, 28)),
            quantity=Decimal(rng.randint(1, 400)) / 4,
            unit="kg",
            unit_price_vnd=rng.randint(1, 90) * 1_000 + rng.randint(0, 999),
            channel=rng.choice(channels or Channel.values),
            entered_by=user,
        )


@pytest.fixture
def province_sales(tanan, cangiuoc, tamvu, superuser):
    """Sales in 2025: two producers of Tân An, three of Cần Giuộc, four of Tầm Vu."""
    rng = random.Random(2025)
    for commune, count in ((tanan, 2), (cangiuoc, 3), (tamvu, 4)):
        for producer in producers_of(commune, count):
            record(producer, superuser, rng, 6)
    return Sale.objects.all()


def get(client, user, name, **query):
    client.force_login(user)
    return client.get(reverse(name), query)


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def by_first_cell(rows):
    return {row[0]: row for row in rows[1:]}


# --- Who may open what ----------------------------------------------------------------

VIEWS = [
    ("revenue_dashboard", {}),
    ("revenue_dashboard_export", {"table": "months", "format": "csv"}),
    ("revenue_report", {"format": "html"}),
]
OWN_ONLY = {"staff_x": ("tanan",), "staff_y": ("tamvu",)}


@pytest.mark.parametrize(
    "role_user",
    ["anonymous", "buyer", "producer_a", "producer_b", "producer_other", "staff_x", "staff_y",
     "province", "superuser"],
    indirect=True,
)
def test_each_role_opens_only_the_communes_it_may_see(client, role_user, request, tanan, tamvu):
    role = request.node.callspec.params["role_user"]
    if role_user is not None:
        client.force_login(role_user)
    statuses = {}
    for name, query in VIEWS:
        for commune in (tanan, tamvu):
            response = client.get(reverse(name), {**query, "commune": commune.pk})
            statuses[name, commune.ward_code] = response.status_code
            if response.status_code == 200:
                assert "private" in response["Cache-Control"]
                assert "no-store" in response["Cache-Control"]
    if role in ("anonymous", "buyer", "producer_a", "producer_b", "producer_other"):
        # Wagtail sends refused admin requests away (to the login or the dashboard).
        assert set(statuses.values()) == {302}
    elif role in OWN_ONLY:
        own = {"staff_x": tanan.ward_code, "staff_y": tamvu.ward_code}[role]
        for (_name, ward), status in statuses.items():
            assert status == (200 if ward == own else 404)
    else:
        assert set(statuses.values()) == {200}


def test_a_foreign_commune_id_answers_like_a_missing_one(client, staff_x, tamvu):
    foreign = get(client, staff_x, "revenue_dashboard", commune=tamvu.pk)
    missing = get(client, staff_x, "revenue_dashboard", commune=999999)
    assert foreign.status_code == missing.status_code == 404
    assert tamvu.title not in foreign.content.decode()


def test_staff_see_their_commune_without_a_commune_in_the_query(client, staff_x, tanan, tamvu):
    body = get(client, staff_x, "revenue_dashboard").content.decode()
    assert tanan.title in body
    assert tamvu.title not in body
    assert "Nhà sản xuất chưa ghi bán hàng trong 30 ngày" in body


def test_the_menu_is_shown_to_staff_and_not_to_producers(client, staff_x, producer_a):
    url = reverse("revenue_dashboard")
    assert url in get(client, staff_x, "wagtailadmin_home").content.decode()
    assert url not in get(client, producer_a, "wagtailadmin_home").content.decode()


# --- Exact sums --------------------------------------------------------------------------

def test_commune_tables_equal_sums_computed_from_the_sales(client, staff_x, tanan,
                                                           province_sales):
    rows = list(province_sales.filter(commune=tanan))
    query = {**YEAR, "format": "xlsx"}
    months = xlsx_rows(get(client, staff_x, "revenue_dashboard_export", table="months", **query))
    money = months[0].index(MONEY)
    for month_label, row in by_first_cell(months).items():
        month = int(month_label[:2])
        assert row[money] == sum(s.amount_vnd for s in rows if s.sold_on.month == month)
    channels = by_first_cell(
        xlsx_rows(get(client, staff_x, "revenue_dashboard_export", table="channels", **query))
    )
    labels = dict(Channel.choices)
    for channel in {s.channel for s in rows}:
        assert channels[str(labels[channel])][2] == sum(
            s.amount_vnd for s in rows if s.channel == channel
        )
    products = by_first_cell(
        xlsx_rows(get(client, staff_x, "revenue_dashboard_export", table="products", **query))
    )
    for name, row in products.items():
        assert row[1] == sum(s.amount_vnd for s in rows if s.product_name == name)


def test_province_table_equals_sums_per_commune_and_hides_small_groups(
    client, province, superuser, tanan, cangiuoc, tamvu, province_sales
):
    expected = {
        commune.title: [s for s in province_sales if s.commune_id == commune.pk]
        for commune in (tanan, cangiuoc, tamvu)
    }
    total = sum(s.amount_vnd for s in province_sales)
    digital = sum(s.amount_vnd for s in province_sales if s.channel in DIGITAL_CHANNELS)

    # A superuser is staff of every commune: nothing hidden.
    rows = xlsx_rows(get(client, superuser, "revenue_dashboard_export", table="communes",
                         format="xlsx", **YEAR))
    money = rows[0].index(MONEY)
    table = by_first_cell(rows)
    for title, sales in expected.items():
        assert table[title][money] == sum(s.amount_vnd for s in sales)
        assert table[title][2] == len({s.producer_id for s in sales})
    assert table["Tổng cộng"][money] == total
    assert table["Tổng cộng"][money + 2] == round(digital * 100 / total, 1)

    # The province officer: Tân An (two producers) hidden, and Cần Giuộc with it, so the
    # total minus Tầm Vu covers five producers, not two.
    rows = xlsx_rows(get(client, province, "revenue_dashboard_export", table="communes",
                         format="xlsx", **YEAR))
    table = by_first_cell(rows)
    assert table[tanan.title][money] == SUPPRESSED
    assert table[cangiuoc.title][money] == SUPPRESSED
    assert table[tamvu.title][money] == sum(s.amount_vnd for s in expected[tamvu.title])
    assert table["Tổng cộng"][money] == total


def test_province_hides_a_product_sold_by_fewer_than_three_producers(
    client, province, superuser, tanan, cangiuoc, tamvu
):
    rng = random.Random(7)
    for producer in producers_of(cangiuoc, 3):
        record(producer, superuser, rng, 2, names=["Rau má"])
    for producer in producers_of(tamvu, 4):
        record(producer, superuser, rng, 2, names=["Thanh long"])
    record(producers_of(tamvu, 1)[0], superuser, rng, 2, names=["Thanh long sấy"])
    rows = by_first_cell(xlsx_rows(get(client, province, "revenue_dashboard_export",
                                       table="products", format="xlsx", **YEAR)))
    assert rows["Thanh long sấy"][1:] == [SUPPRESSED, SUPPRESSED, SUPPRESSED]
    # With the period's total on the page, one more product is hidden with it (Rau má, the
    # smaller group), so the total minus the rest shows four producers' revenue, not one's.
    assert rows["Rau má"][1] == SUPPRESSED
    assert rows["Thanh long"][1] == sum(
        s.amount_vnd for s in Sale.objects.filter(product_name="Thanh long")
    )
    assert rows["Thanh long"][3] == 4


def test_commune_staff_see_two_producers_unhidden(client, staff_x, tanan, province_sales):
    body = get(client, staff_x, "revenue_dashboard", **YEAR).content.decode()
    assert "&lt;3" not in body
    assert vnd(sum(s.amount_vnd for s in province_sales.filter(commune=tanan))) in body


def test_province_officer_sees_a_small_commune_hidden_on_its_own_page(
    client, province, tanan, province_sales
):
    body = get(client, province, "revenue_dashboard", commune=tanan.pk, **YEAR).content.decode()
    assert "&lt;3" in body
    # Names and last sale dates of households are for the commune's own staff.
    assert "Nhà sản xuất chưa ghi bán hàng trong 30 ngày" not in body


def test_growth_is_against_the_same_months_before_the_pilot(client, staff_x, farm_a, tanan,
                                                             province_sales):
    baseline_set(producer=farm_a, reference_year=2020, yearly_vnd=12_000_000, user=staff_x)
    revenue = sum(s.amount_vnd for s in province_sales.filter(producer=farm_a))
    rows = by_first_cell(xlsx_rows(get(
        client, staff_x, "revenue_dashboard_export", table="months", format="xlsx", **YEAR
    )))
    assert sum(row[2] for row in rows.values()) == 12_000_000
    body = get(client, staff_x, "revenue_dashboard", **YEAR).content.decode()
    expected = round((revenue - 12_000_000) * 100 / 12_000_000, 1)
    assert f"{expected:.1f} %".replace(".", ",") in body


def test_csv_export_has_a_bom_and_whole_dong(client, staff_x, province_sales, tanan):
    response = get(client, staff_x, "revenue_dashboard_export", table="channels", format="csv",
                   **YEAR)
    assert response.content.startswith("\ufeff".encode())
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2] == MONEY
    assert sum(int(row[2]) for row in rows[1:]) == sum(
        s.amount_vnd for s in province_sales.filter(commune=tanan)
    )


def test_unknown_table_or_format_is_not_found(client, staff_x):
    assert get(client, staff_x, "revenue_dashboard_export", table="nope").status_code == 404
    assert get(client, staff_x, "revenue_dashboard_export", table="months",
               format="pdf").status_code == 404


def test_category_filter_keeps_that_category_only(client, staff_x, farm_a, product_a,
                                                  producer_a, tanan):
    sale_record(producer=farm_a, product=product_a, product_name=product_a.title,
                sold_on=datetime.date(2025, 3, 3), quantity=Decimal(1), unit="kg",
                unit_price_vnd=50_000, channel=Channel.FARM, entered_by=producer_a)
    sale_record(producer=farm_a, product=None, product_name="Khác", sold_on=datetime.date(
        2025, 3, 4), quantity=Decimal(1), unit="kg", unit_price_vnd=7_000,
        channel=Channel.FARM, entered_by=producer_a)
    rows = by_first_cell(xlsx_rows(get(
        client, staff_x, "revenue_dashboard_export", table="months", format="xlsx",
        category=product_a.category_id, **YEAR,
    )))
    assert rows["03/2025"][1] == 50_000


def test_a_bad_month_gets_a_vietnamese_error_and_the_page_still_opens(client, staff_x):
    response = get(client, staff_x, "revenue_dashboard", period="custom", **{"from": "13/2025"})
    assert response.status_code == 200
    assert "Nhập tháng dạng MM/YYYY, ví dụ 03/2026." in response.content.decode()


def test_producers_without_a_sale_for_30_days_are_listed(client, staff_x, farm_a, farm_b,
                                                         producer_a, superuser):
    today = datetime.date.today()
    for farm, days in ((farm_a, 3), (farm_b, 45)):
        sale_record(producer=farm, product=None, product_name="Mít",
                    sold_on=today - datetime.timedelta(days=days), quantity=Decimal(1),
                    unit="kg", unit_price_vnd=1_000, channel=Channel.FARM,
                    entered_by=superuser)
    rows = by_first_cell(xlsx_rows(get(client, staff_x, "revenue_dashboard_export",
                                       table="inactive", format="xlsx")))
    assert farm_a.title not in rows
    assert rows[farm_b.title][1].date() == today - datetime.timedelta(days=45)


# --- Hiding rule ----------------------------------------------------------------------

def test_hiding_rule():
    assert hidden([5, 2, 0, 4]) == [False, True, False, True]
    assert hidden([5, 0, 4]) == [False, False, False]
    assert hidden([1, 1, 1, 9]) == [True, True, True, False]
    assert hidden([2, 9], with_total=False) == [True, False]


# --- Query counts -----------------------------------------------------------------------

def _queries(client, user, name, query):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), {**YEAR, **query})
    assert response.status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_producers_or_sales(
    client, staff_x, province, superuser, tanan, cangiuoc, tamvu
):
    cases = [
        (user, name, query)
        for user in (staff_x, province)
        for name, query in (
            ("revenue_dashboard", {}),
            ("revenue_dashboard_export", {"table": "products", "format": "xlsx"}),
            ("revenue_report", {}),
            ("revenue_report", {"format": "pdf"}),
        )
    ]
    rng = random.Random(3)
    record(producers_of(tanan, 1)[0], superuser, rng, 2)
    small = [_queries(client, *case) for case in cases]
    for commune in (tanan, cangiuoc, tamvu):
        for producer in producers_of(commune, 5):
            record(producer, superuser, rng, 4)
    assert Sale.objects.count() > 50
    assert [_queries(client, *case) for case in cases] == small


def test_chart_is_svg_with_a_bar_per_month_and_plain_numbers(client, staff_x, province_sales):
    body = get(client, staff_x, "revenue_dashboard", **YEAR).content.decode()
    start = body.index('<figure class="revenue-chart">')
    svg = body[start:body.index("</svg>", start)]
    heights = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)
    assert len(heights) == 12 and any(float(h) > 0 for h in heights)
    assert not re.search(r'="\d+,\d', svg)  # no decimal commas from the Vietnamese locale


def test_other_screens_join_the_revenue_menu_through_its_hook(rf, staff_x, producer_a):
    from wagtail import hooks
    from wagtail.admin.menu import MenuItem

    from producers.revenue.wagtail_hooks_dashboards import REVENUE_MENU_HOOK, revenue_menu

    def entry_item():
        return MenuItem("Nhập bán hàng", "/admin/revenue/entry/", name="revenue-entry", order=275)

    def names(user):
        request = rf.get("/admin/")
        request.user = user
        items = revenue_menu.menu_items_for_request(request)
        return [item.name for item in sorted(items, key=lambda item: item.order)]

    revenue_menu.__dict__.pop("registered_menu_items", None)
    try:
        with hooks.register_temporarily(REVENUE_MENU_HOOK, entry_item):
            assert names(staff_x) == [
                "revenue-dashboard", "revenue-import", "revenue-export", "revenue-entry",
                "revenue-report",
            ]
            assert names(producer_a) == ["revenue-entry"]  # each item decides who sees it
    finally:
        revenue_menu.__dict__.pop("registered_menu_items", None)
