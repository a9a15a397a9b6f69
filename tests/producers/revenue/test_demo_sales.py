"""The demo's year of sales: every commune and month filled, roll-ups true, seeding idempotent."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from producers.models import ProducerPage
from producers.revenue.demo import demo_sales_seed
from producers.revenue.models import (
    ALL_CATEGORIES,
    CHANNEL_ORDER,
    DIGITAL_CHANNELS,
    Baseline,
    RevenueChannelYear,
    RevenueMonth,
    RevenueProducerYear,
    RevenueProductYear,
    Sale,
    local_today,
    month_field,
    month_start,
)
from producers.revenue.selectors import Period, recent_identical_sale
from producers.revenue.services import product_key
from showcase.demo import seed_demo
from showcase.models import CommuneHomePage

# The demo's own sales, which the other revenue tests clear away (conftest.empty_ledger).
pytestmark = [pytest.mark.django_db, pytest.mark.demo_sales]


def test_every_demo_commune_sold_in_each_of_the_last_12_months():
    today = local_today()
    months = set(Period.last_12_months(today).months())
    sold = defaultdict(set)
    for commune_id, day in Sale.objects.values_list("commune_id", "sold_on"):
        sold[commune_id].add(month_start(day))
    communes = list(CommuneHomePage.objects.all())
    assert len(communes) == 3
    for commune in communes:
        assert sold[commune.pk] == months, commune.title
    assert not Sale.objects.filter(sold_on__gt=today).exists()


def test_every_demo_producer_has_a_baseline_below_its_year():
    producers = list(ProducerPage.objects.all())
    assert len(producers) == 15
    baselines = {b.producer_id: b for b in Baseline.objects.prefetch_related("months")}
    for producer in producers:
        baseline = baselines[producer.pk]
        assert len(baseline.months.all()) == 12
        year = sum(Sale.objects.filter(producer=producer).values_list("amount_vnd", flat=True))
        assert 0 < sum(m.amount_vnd for m in baseline.months.all()) < year


def test_demo_sales_are_seasonal_with_a_growing_digital_share():
    months = Period.last_12_months(local_today()).months()
    digital, total = Counter(), Counter()
    for day, channel, amount in Sale.objects.values_list("sold_on", "channel", "amount_vnd"):
        total[month_start(day)] += amount
        digital[month_start(day)] += amount if channel in DIGITAL_CHANNELS else 0
    first, last = months[:3], months[-3:]
    assert sum(digital[m] for m in last) / sum(total[m] for m in last) > (
        sum(digital[m] for m in first) / sum(total[m] for m in first)
    )
    assert len({c for c in Sale.objects.values_list("channel", flat=True)}) >= 6
    # Red dragon fruit (season May–September) sells several times more a month in its season.
    in_season, off_season = Counter(), Counter()
    for day, amount in Sale.objects.filter(product_name="Thanh long ruột đỏ").values_list(
        "sold_on", "amount_vnd"
    ):
        (in_season if day.month in {5, 6, 7, 8, 9} else off_season)[month_start(day)] += amount
    assert sum(in_season.values()) / 5 > 3 * sum(off_season.values()) / 7


def test_some_demo_sales_were_entered_by_their_communes_staff(tanan, cangiuoc, tamvu):
    entered = Sale.objects.filter(entered_by_staff=True)
    assert set(entered.values_list("commune_id", "entered_by__username")) == {
        (tanan.pk, "canbo.tanan"), (cangiuoc.pk, "canbo.cangiuoc"), (tamvu.pk, "canbo.tamvu"),
    }

def test_rollups_equal_the_sums_of_the_demo_sales():
    months, products = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    producer_months, channel_months = defaultdict(lambda: [0, 0, 0]), Counter()
    for sale in Sale.objects.all().iterator():
        month = month_start(sale.sold_on)
        category = sale.category_id or 0
        for table, key in (
            (months, (sale.producer_id, month, sale.channel, category)),
            (products, (sale.producer_id, month,
                        product_key(sale.product_id, sale.product_name), category)),
        ):
            table[key][0] += sale.amount_vnd
            table[key][1] += 1
        for key in (category, ALL_CATEGORIES):  # its category's rows, and every category's
            figures = producer_months[(sale.producer_id, month, key)]
            figures[0] += sale.amount_vnd
            figures[1] += sale.amount_vnd if sale.channel in DIGITAL_CHANNELS else 0
            figures[2] |= 1 << CHANNEL_ORDER.index(sale.channel)
            channel_months[(sale.commune_id, month, sale.channel, key)] += sale.amount_vnd
    assert months and products
    assert {
        (r.producer_id, r.month, r.channel, r.category_key): [r.amount_vnd, r.sale_count]
        for r in RevenueMonth.objects.all()
    } == dict(months)
    assert {
        (r.producer_id, month, r.product_key, r.category_key): [amount, count]
        for r in RevenueProductYear.objects.all()
        for month, amount, count in r.months()
    } == dict(products)
    assert {
        (r.producer_id, datetime.date(r.year, m, 1), r.category_key): [
            getattr(r, month_field(prefix, m)) for prefix in "mdc"
        ]
        for r in RevenueProducerYear.objects.all()
        for m in range(1, 13)
        if getattr(r, month_field("c", m))
    } == dict(producer_months)
    assert {
        (r.commune_id, datetime.date(r.year, m, 1), r.channel, r.category_key):
            getattr(r, month_field("m", m))
        for r in RevenueChannelYear.objects.all()
        for m in range(1, 13)
        if getattr(r, month_field("m", m))
    } == +channel_months


def test_demo_sales_read_as_entered_on_their_own_day_never_just_now():
    now = timezone.now()
    for sold_on, entered_at in Sale.objects.values_list("sold_on", "entered_at"):
        assert timezone.localdate(entered_at) == sold_on or sold_on == local_today()
        assert entered_at <= now - datetime.timedelta(hours=1)
    # So a real sale today, the same as a demo one, is not taken for a form sent twice.
    sale = Sale.objects.filter(sold_on=local_today(), product__isnull=False).first()
    values = {field: getattr(sale, field) for field in (
        "product", "product_name", "sold_on", "quantity", "unit_price_vnd", "amount_vnd",
        "channel",
    )}
    assert recent_identical_sale(producer=sale.producer, values=values) is None


def test_seeding_the_demo_again_adds_no_sales():
    before = (Sale.objects.count(), RevenueMonth.objects.count(), Baseline.objects.count())
    assert demo_sales_seed() == {"producers": 0, "sales": 0}
    seed_demo(port=80)
    assert (Sale.objects.count(), RevenueMonth.objects.count(), Baseline.objects.count()) == (
        before
    )


def test_no_demo_sales_where_demo_data_is_not_allowed(settings):
    settings.ALLOW_DEMO_DATA = False
    Sale.objects.all().delete()
    assert demo_sales_seed() == {}
    assert not Sale.objects.exists()
