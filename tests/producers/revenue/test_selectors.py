"""Dashboard figures from the roll-ups, checked against sums computed here from the sales."""

import datetime
import random
from decimal import Decimal

import pytest

from commune_site.page_tree import subtree_q
from producers.models import ProducerPage
from producers.revenue.models import DIGITAL_CHANNELS, Baseline, Channel, Sale, month_start
from producers.revenue.selectors import (
    Period,
    active_producer_count,
    baseline_by_month,
    digital_share,
    growth,
    revenue_by_channel,
    revenue_by_month,
    revenue_by_month_counted,
    revenue_scope,
    revenue_summary_by_commune,
    revenue_total,
    top_products,
)
from producers.revenue.services import (
    baseline_set,
    product_key,
    sale_delete,
    sale_record,
    sale_update,
)
from products.models import ProductCategory, ProductPage
from showcase.models import CommuneHomePage

pytestmark = pytest.mark.django_db

YEAR = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))


@pytest.fixture
def sales(farm_a, farm_b, product_a, producer_a, producer_b):
    """Sixty seeded sales of two producers over 2025, through every channel."""
    rng = random.Random(20250101)
    recorded = []
    for _ in range(60):
        farm, user = rng.choice([(farm_a, producer_a), (farm_b, producer_b)])
        recorded.append(sale_record(
            producer=farm,
            product=product_a if farm == farm_a and rng.random() < 0.5 else None,
            product_name=rng.choice(["Rau muống", "Mít", "Bưởi"]),
            sold_on=datetime.date(2025, rng.randint(1, 12), rng.randint(1, 28)),
            quantity=Decimal(rng.randint(1, 400)) / 4,
            unit="kg",
            unit_price_vnd=rng.randint(1, 90) * 1_000 + rng.randint(0, 999),
            channel=rng.choice(Channel.values),
            entered_by=user,
        ))
    sale_delete(sale=recorded[0], producer=recorded[0].producer, user=producer_a)
    return Sale.objects.all()


def test_commune_figures_equal_the_sum_of_its_sales(sales, tanan):
    scope = revenue_scope(communes=[tanan])
    rows = list(sales.filter(commune=tanan))
    assert revenue_total(scope=scope, period=YEAR) == sum(s.amount_vnd for s in rows)
    by_month = revenue_by_month(scope=scope, period=YEAR)
    assert len(by_month) == 12
    for month, amount in by_month.items():
        assert amount == sum(s.amount_vnd for s in rows if s.sold_on.month == month.month)
    digital, total = digital_share(scope=scope, period=YEAR)
    assert digital == sum(s.amount_vnd for s in rows if s.channel in DIGITAL_CHANNELS)
    assert total == sum(s.amount_vnd for s in rows)
    by_channel = {row["channel"]: row["amount"] for row in revenue_by_channel(scope=scope,
                                                                              period=YEAR)}
    for channel in Channel.values:
        expected = sum(s.amount_vnd for s in rows if s.channel == channel)
        assert by_channel.get(channel, 0) == expected
    assert active_producer_count(scope=scope, period=YEAR) == len({s.producer_id for s in rows})


def test_producer_scope_sees_only_that_producer(sales, farm_a):
    scope = revenue_scope(producer=farm_a)
    expected = sum(s.amount_vnd for s in sales.filter(producer=farm_a))
    assert revenue_total(scope=scope, period=YEAR) == expected
    products = top_products(scope=scope, period=YEAR, limit=50)
    assert sum(row["amount"] for row in products) == expected
    assert all(row["product_name"] for row in products)


def test_growth_compares_the_same_calendar_months(sales, farm_a, staff_x):
    baseline_set(producer=farm_a, reference_year=2020,
                 monthly_vnd={m: m * 1_000_000 for m in range(1, 13)}, user=staff_x)
    spring = Period(datetime.date(2025, 3, 1), datetime.date(2025, 5, 1))
    scope = revenue_scope(producer=farm_a)
    assert sum(baseline_by_month(scope=scope, period=spring).values()) == 12_000_000
    result = growth(scope=scope, period=spring)
    assert result.baseline == 12_000_000
    assert result.revenue == sum(
        s.amount_vnd for s in sales.filter(producer=farm_a, sold_on__month__in=[3, 4, 5])
    )


def test_growth_leaves_out_producers_without_a_baseline(sales, farm_a, tanan, staff_x):
    baseline_set(producer=farm_a, reference_year=2020, yearly_vnd=12_000_000, user=staff_x)
    result = growth(scope=revenue_scope(communes=[tanan]), period=YEAR)
    assert result.revenue == sum(s.amount_vnd for s in sales.filter(producer=farm_a))
    assert result.baseline == 12_000_000


def test_periods_are_whole_months():
    today = datetime.date(2026, 1, 15)
    december = datetime.date(2025, 12, 1)
    assert Period.last_month(today) == Period(december, december)
    assert Period.year_to_date(today).months() == [datetime.date(2026, 1, 1)]
    assert len(Period.last_12_months(today).months()) == 12
    assert Period.last_12_months(today).first == datetime.date(2025, 2, 1)


@pytest.fixture
def spread_sales(staff_x):
    """120 seeded sales of six producers of the three demo communes over 2025 and 2026, listed
    and unlisted products, every channel; one of them deleted, one moved to 2024."""
    rng = random.Random(20261130)
    producers = []
    for commune in CommuneHomePage.objects.order_by("path"):
        producers += list(ProducerPage.objects.live().filter(subtree_q(commune.path))[:2])
    products = {p.pk: list(ProductPage.objects.child_of(p)) for p in producers}
    recorded = []
    for _ in range(120):
        farm = rng.choice(producers)
        listed = products[farm.pk] and rng.random() < 0.7
        recorded.append(sale_record(
            producer=farm,
            product=rng.choice(products[farm.pk]) if listed else None,
            product_name=rng.choice(["Rau muống", "Mít", "Bưởi"]),
            sold_on=datetime.date(rng.choice([2025, 2026]), rng.randint(1, 11),
                                  rng.randint(1, 28)),
            quantity=Decimal(rng.randint(1, 400)) / 4,
            unit="kg",
            unit_price_vnd=rng.randint(1, 90) * 1_000 + rng.randint(0, 999),
            channel=rng.choice(Channel.values),
            entered_by=staff_x,
        ))
    sale_delete(sale=recorded[0], producer=recorded[0].producer, user=staff_x)
    moved = recorded[1]
    sale_update(sale=moved, producer=moved.producer, user=staff_x,
                sold_on=datetime.date(2024, 12, 31), channel=Channel.SHOPEE)
    baseline_set(producer=producers[0], reference_year=2020, yearly_vnd=24_000_000,
                 user=staff_x)
    return list(Sale.objects.all())


ACROSS_YEARS = Period(datetime.date(2025, 7, 1), datetime.date(2026, 3, 1))


def test_every_figure_equals_the_sales_summed_here(spread_sales):
    """Each selector against a computation from the sale rows, for every kind of scope and
    periods that span two years (the yearly roll-ups' month columns)."""
    for period in [YEAR, ACROSS_YEARS, Period.month(datetime.date(2026, 2, 1))]:
        for scope_of in ["province", "commune", "producer", "category"]:
            check_figures(spread_sales, period, scope_of)


def check_figures(spread_sales, period, scope_of):
    communes = list(CommuneHomePage.objects.order_by("path"))
    first = spread_sales[0]
    scope, keep = {
        "province": (revenue_scope(communes=communes), lambda s: True),
        "commune": (revenue_scope(communes=communes[:1]), lambda s: s.commune_id == communes[0].pk),
        "producer": (revenue_scope(producer=first.producer),
                     lambda s: s.producer_id == first.producer_id),
        "category": (revenue_scope(category=first.category or ProductCategory.objects.first()),
                     lambda s: s.category_id == (first.category_id or
                                                 ProductCategory.objects.first().pk)),
    }[scope_of]
    months = set(period.months())
    rows = [s for s in spread_sales if keep(s) and month_start(s.sold_on) in months]

    def producers(selected):
        return len({s.producer_id for s in selected})

    assert revenue_total(scope=scope, period=period) == sum(s.amount_vnd for s in rows)
    assert active_producer_count(scope=scope, period=period) == producers(rows)
    assert digital_share(scope=scope, period=period) == (
        sum(s.amount_vnd for s in rows if s.channel in DIGITAL_CHANNELS),
        sum(s.amount_vnd for s in rows),
    )
    assert revenue_by_month_counted(scope=scope, period=period) == {
        month: {
            "amount": sum(s.amount_vnd for s in rows if month_start(s.sold_on) == month),
            "producers": producers([s for s in rows if month_start(s.sold_on) == month]),
        }
        for month in period.months()
    }
    expected_channels = {}
    for channel in Channel.values:
        through = [s for s in rows if s.channel == channel]
        if through:
            expected_channels[channel] = (sum(s.amount_vnd for s in through), producers(through))
    assert {
        row["channel"]: (row["amount"], row["producers"])
        for row in revenue_by_channel(scope=scope, period=period)
    } == expected_channels
    expected_products = {}
    for sale in rows:
        key = product_key(sale.product_id, sale.product_name)
        amount, count, sellers = expected_products.get(key, (0, 0, set()))
        expected_products[key] = (amount + sale.amount_vnd, count + 1,
                                  sellers | {sale.producer_id})
    assert {
        row["product_key"]: (row["amount"], row["sale_count"], row["producers"])
        for row in top_products(scope=scope, period=period, limit=1000)
    } == {key: (a, n, len(p)) for key, (a, n, p) in expected_products.items()}
    by_commune = revenue_summary_by_commune(scope=scope, period=period)
    expected_communes = {}
    for commune_id in {s.commune_id for s in rows}:
        mine = [s for s in rows if s.commune_id == commune_id]
        digital = [s for s in mine if s.channel in DIGITAL_CHANNELS]
        expected_communes[commune_id] = {
            "amount": sum(s.amount_vnd for s in mine),
            "producers": producers(mine),
            "digital": sum(s.amount_vnd for s in digital),
            "digital_producers": producers(digital),
            "other_producers": producers([s for s in mine if s not in digital]),
        }
    assert by_commune == expected_communes
    baseline_producer = Baseline.objects.get().producer_id
    with_baseline = [s for s in rows if s.producer_id == baseline_producer]
    assert growth(scope=scope, period=period).revenue == sum(s.amount_vnd for s in with_baseline)
