"""The producer's revenue dashboard and baseline form, and the SVG chart they draw."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from producers.revenue.charts import (
    Series,
    bar_chart,
    format_growth,
    nice_ceiling,
    short_amount,
)
from producers.revenue.models import Baseline, Channel, local_today
from producers.revenue.services import baseline_set
from products.models import ProductPage, Scan

from .conftest import TANAN_HOST

pytestmark = pytest.mark.django_db

REVENUE = reverse("portal:revenue")
BASELINE = reverse("portal:baseline")


def last_month_day(today):
    return today.replace(day=1) - datetime.timedelta(days=1)


def card(html, label):
    start = html.index(f'<p class="revenue-card__label">{label}</p>')
    return html[start: html.index("</li>", start)]


def test_cards_show_this_month_last_month_and_year_to_date(
    portal_client, producer_a, farm_a, record
):
    today = local_today()
    record(farm_a, producer_a, sold_on=today, quantity=Decimal("1"), unit_price_vnd=112_500)
    record(farm_a, producer_a, sold_on=last_month_day(today), quantity=Decimal("1"),
           unit_price_vnd=40_000)
    html = portal_client(producer_a).get(REVENUE, HTTP_HOST=TANAN_HOST).content.decode()
    assert "112.500 ₫" in card(html, "Tháng này")
    assert "40.000 ₫" in card(html, "Tháng trước")
    year_to_date = 112_500 + (40_000 if today.month > 1 else 0)
    assert f"{year_to_date:,} ₫".replace(",", ".") in card(html, "Từ đầu năm")
    assert "Nhập doanh thu trước thí điểm" in html


def test_growth_is_against_the_same_months_of_the_baseline(
    portal_client, producer_a, farm_a, record
):
    today = local_today()
    monthly = {m: 100_000 * m for m in range(1, 13)}
    baseline_set(producer=farm_a, reference_year=2023, monthly_vnd=monthly, user=producer_a)
    this_month = monthly[today.month]
    record(farm_a, producer_a, sold_on=today, quantity=Decimal("1.125"),
           unit_price_vnd=this_month)
    html = portal_client(producer_a).get(REVENUE, HTTP_HOST=TANAN_HOST).content.decode()
    assert "+12,5 %" in card(html, "Tháng này")
    assert f"{this_month:,} ₫".replace(",", ".") in card(html, "Tháng này")
    # The chart's table sets each month beside the same calendar month before the pilot.
    assert "Trước thí điểm (2023)" in html


def test_growth_formatting():
    assert format_growth(0.125) == "+12,5 %"
    assert format_growth(-0.03) == "−3,0 %"
    assert format_growth(None) == ""


def test_category_filter_and_custom_period(portal_client, producer_a, farm_a, product_a, record):
    record(farm_a, producer_a, product=product_a, sold_on=datetime.date(2026, 2, 3),
           quantity=Decimal("1"), unit_price_vnd=70_000, channel=Channel.SHOPEE)
    record(farm_a, producer_a, product_name="Rau muống", sold_on=datetime.date(2026, 2, 4),
           quantity=Decimal("1"), unit_price_vnd=30_000, channel=Channel.MARKET)
    record(farm_a, producer_a, product_name="Bưởi", sold_on=datetime.date(2025, 6, 4),
           quantity=Decimal("1"), unit_price_vnd=5_000)
    client = portal_client(producer_a)
    both = client.get(REVENUE, {"ky": "tuy-chon", "tu": "2026-01", "den": "2026-02"},
                      HTTP_HOST=TANAN_HOST).content.decode()
    assert "Tổng doanh thu: <strong>100.000 ₫</strong>" in both
    assert "qua kênh số: 70.000 ₫ (70,0 %)" in both
    assert "Rau muống" in both and "Bưởi" not in both
    one = client.get(
        REVENUE,
        {"ky": "tuy-chon", "tu": "2026-01", "den": "2026-02", "danh_muc": product_a.category_id},
        HTTP_HOST=TANAN_HOST,
    ).content.decode()
    assert "Tổng doanh thu: <strong>70.000 ₫</strong>" in one
    assert "Rau muống" not in one


def test_a_period_the_wrong_way_round_says_so(portal_client, producer_a):
    response = portal_client(producer_a).get(
        REVENUE, {"ky": "tuy-chon", "tu": "2026-05", "den": "2026-01"}, HTTP_HOST=TANAN_HOST
    )
    assert response.status_code == 200
    assert "Tháng bắt đầu phải trước tháng kết thúc." in response.content.decode()


def test_qr_scans_stand_beside_the_months_sales(portal_client, producer_a, product_a):
    for _ in range(3):
        Scan.objects.create(product=product_a, device="mobile", in_app="zalo",
                            scanned_at=timezone.now())
    html = portal_client(producer_a).get(REVENUE, HTTP_HOST=TANAN_HOST).content.decode()
    month = local_today().strftime("%m/%Y")
    row = html[html.index(f'<th scope="row">{month}</th>'):]
    row = row[: row.index("</tr>")]
    assert row.endswith('<td class="portal-table__number">3</td>')
    assert "Lượt quét QR" in html


def _dashboard_queries(client):
    # A worker's first request also loads the site directory (commune_site/site_directory.py).
    client.get(REVENUE, {"ky": "12-thang"}, HTTP_HOST=TANAN_HOST)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(REVENUE, {"ky": "12-thang"}, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_sales_or_products(
    portal_client, producer_a, farm_a, product_a, record
):
    baseline_set(producer=farm_a, reference_year=2024, yearly_vnd=1_200_000, user=producer_a)
    client = portal_client(producer_a)
    record(farm_a, producer_a, product=product_a, sold_on=local_today())
    few = _dashboard_queries(client)
    for index in range(30):
        record(farm_a, producer_a, product_name=f"Sản phẩm {index}",
               sold_on=local_today() - datetime.timedelta(days=index * 9),
               channel=Channel.values[index % len(Channel.values)])
    assert _dashboard_queries(client) == few


def test_baseline_by_month(portal_client, producer_a, farm_a):
    data = {"reference_year": "2024", "joined_on": "2025-03-01", "mode": "thang",
            "month_1": "1.200.000", "month_2": "800000"}
    response = portal_client(producer_a).post(BASELINE, data, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 302 and response["Location"] == REVENUE
    baseline = Baseline.objects.get(producer=farm_a)
    months = dict(baseline.months.values_list("month", "amount_vnd"))
    assert months[1] == 1_200_000 and months[2] == 800_000 and months[3] == 0
    assert baseline.joined_on == datetime.date(2025, 3, 1)
    # Shown again as typed, ready to correct.
    html = portal_client(producer_a).get(BASELINE, HTTP_HOST=TANAN_HOST).content.decode()
    assert 'name="month_1" id="id_month_1" value="1.200.000"' in html


def test_baseline_for_a_year_is_spread_by_month_entered_by_staff(
    portal_client, staff_x, farm_a
):
    data = {"reference_year": "2024", "mode": "nam", "yearly_vnd": "120.000.005",
            "month_1": "999"}  # ignored: the year was chosen
    portal_client(staff_x, acting_for=farm_a).post(BASELINE, data, HTTP_HOST=TANAN_HOST)
    baseline = Baseline.objects.get(producer=farm_a)
    months = dict(baseline.months.values_list("month", "amount_vnd"))
    assert sum(months.values()) == 120_000_005 and months[1] == 10_000_001
    assert baseline.entered_by == staff_x


@pytest.mark.parametrize(
    "data,message",
    [
        ({"reference_year": "2024", "mode": "thang"}, "Nhập doanh thu ít nhất một tháng."),
        ({"reference_year": "2024", "mode": "nam"}, "Nhập doanh thu cả năm."),
        ({"reference_year": "2999", "mode": "nam", "yearly_vnd": "1"},
         "Năm đối chiếu không được ở tương lai."),
        ({"reference_year": "2024", "mode": "thang", "month_3": "10.000.000.001"},
         "Số tiền tối đa 10.000.000.000 đ."),
        ({"reference_year": "2024", "mode": "thang", "month_3": "-5"},
         "Số tiền không được là số âm."),
    ],
)
def test_baseline_refusals(portal_client, producer_a, farm_a, data, message):
    response = portal_client(producer_a).post(BASELINE, data, HTTP_HOST=TANAN_HOST)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Baseline.objects.filter(producer=farm_a).exists()


# --- The chart component --------------------------------------------------------------------


def test_bar_heights_are_proportional_and_the_axis_ends_on_a_round_figure():
    chart = bar_chart(
        title="T", categories=["01", "02"],
        series=[Series("A", [100, 250]), Series("B", [0, 50], tone="muted")],
    )
    assert nice_ceiling(250) == 250 and nice_ceiling(251) == 500 and nice_ceiling(0) == 1
    plot = chart.baseline_y - 12
    heights = [bar.height for bar in chart.bars]
    assert heights == [round(plot * 100 / 250, 1), 0, plot, round(plot * 50 / 250, 1)]
    assert [bar.tone for bar in chart.bars] == ["primary", "muted", "primary", "muted"]
    assert all(bar.y + bar.height == pytest.approx(chart.baseline_y, abs=0.11)
               for bar in chart.bars)
    assert chart.rows[1].cells == ["250 ₫", "50 ₫"]


def test_axis_labels_are_short_vietnamese_amounts():
    assert short_amount(500_000) == "500k"
    assert short_amount(1_500_000) == "1,5tr"
    assert short_amount(2_000_000_000) == "2 tỷ"


def test_chart_template_draws_every_bar_and_the_data_table_beneath():
    chart = bar_chart(
        title="Doanh thu", categories=["01/2026", "02/2026", "03/2026"],
        series=[Series("Doanh thu", [1_250_000, 0, 3])],
        table_only=[Series("Lượt quét QR", [4, 5, 6], unit="count")],
    )
    html = render_to_string("components/chart_bars.html", {"chart": chart})
    assert html.count("<rect ") == 3
    assert "<title>01/2026 — Doanh thu: 1.250.000 ₫</title>" in html
    assert html.index("<svg") < html.index("<table")
    assert "<td class=\"portal-table__number\">1.250.000 ₫</td>" in html
    assert "Lượt quét QR" in html
    # Coordinates keep a dot as decimal mark whatever the language.
    coordinates = re.findall(r' (?:x|y|width|height)="([^"]*)"', html)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates)


def test_an_empty_chart_says_so_and_keeps_its_table():
    chart = bar_chart(title="Doanh thu", categories=["01/2026"], series=[Series("A", [0])])
    html = render_to_string("components/chart_bars.html", {"chart": chart})
    assert "<svg" not in html and "Chưa có số liệu" in html and "<table" in html


def test_products_are_untouched_by_the_dashboard(portal_client, producer_a, farm_a):
    before = list(ProductPage.objects.child_of(farm_a).values_list("pk", "price_vnd"))
    portal_client(producer_a).get(REVENUE, HTTP_HOST=TANAN_HOST)
    assert list(ProductPage.objects.child_of(farm_a).values_list("pk", "price_vnd")) == before


def test_chart_draws_baseline_marks_and_hidden_figures_without_bars():
    chart = bar_chart(
        title="Doanh thu", categories=["01/2026", "02/2026"], width=640,
        series=[Series("Doanh thu", [1_000, "<3"]), Series("Trước", [800, 900], mark=True)],
    )
    html = render_to_string("components/chart_bars.html", {"chart": chart, "data_table": False})
    assert html.count("<rect ") == 1 and html.count('class="chart__mark') == 2
    assert '>&lt;3</text>' in html and "<table" not in html
    assert chart.view_box == "0 0 640 220"
