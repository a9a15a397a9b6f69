"""Dashboard figures from the roll-ups, checked against sums computed here from the sales."""

import datetime
import random
from decimal import Decimal

import pytest

from producers.revenue.models import DIGITAL_CHANNELS, Channel, Sale
from producers.revenue.selectors import (
    Period,
    active_producer_count,
    baseline_by_month,
    digital_share,
    growth,
    revenue_by_channel,
    revenue_by_month,
    revenue_scope,
    revenue_total,
    top_products,
)
from producers.revenue.services import baseline_set, sale_delete, sale_record

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
