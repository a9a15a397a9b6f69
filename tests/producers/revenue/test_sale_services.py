"""Recording, correcting and deleting sales: validation, idempotency, roll-ups, history."""

import datetime
import uuid
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from wagtail.models import ModelLogEntry

from producers.revenue.models import (
    ALL_CATEGORIES,
    Channel,
    RevenueMonth,
    RevenueProducerYear,
    RevenueProductYear,
    Sale,
    local_today,
    month_field,
    sale_amount,
)
from producers.revenue.services import (
    SALE_DELETE_ACTION,
    SALE_EDIT_ACTION,
    baseline_set,
    sale_delete,
    sale_record,
    sale_update,
)

pytestmark = pytest.mark.django_db


def _record(farm, user, **overrides):
    values = {
        "producer": farm,
        "product_name": "Mít Thái",
        "sold_on": datetime.date(2026, 3, 14),
        "quantity": Decimal("12.5"),
        "unit": "kg",
        "unit_price_vnd": 35_001,
        "channel": Channel.MARKET,
        "entered_by": user,
    }
    values.update(overrides)
    return sale_record(**values)


def test_amount_is_quantity_times_price_rounded_half_up():
    assert sale_amount(Decimal("12.5"), 35_001) == 437_513  # 437 512,5
    assert sale_amount(Decimal("0.333"), 3) == 1  # 0,999
    assert sale_amount(Decimal("3"), 1_000_000_000) == 3_000_000_000


def test_recorded_sale_keeps_a_lump_sum_the_user_typed(farm_a, producer_a):
    sale = _record(farm_a, producer_a, amount_vnd=400_000)
    assert sale.amount_vnd == 400_000


def test_listed_product_gives_its_title_and_category(farm_a, producer_a, product_a):
    sale = _record(farm_a, producer_a, product=product_a, product_name="")
    assert sale.product_name == product_a.title
    assert sale.category_id == product_a.category_id


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"quantity": Decimal("0")}, "quantity"),
        ({"quantity": Decimal("-2")}, "quantity"),
        ({"sold_on": local_today() + datetime.timedelta(days=1)}, "sold_on"),
        ({"sold_on": datetime.date(1999, 12, 31)}, "sold_on"),
        ({"unit_price_vnd": 1_000_000_001}, "unit_price_vnd"),
        ({"quantity": Decimal("11"), "unit_price_vnd": 1_000_000_000}, "amount_vnd"),
        ({"product_name": "<b>Mít</b>"}, "product_name"),
    ],
)
def test_bad_sale_is_refused_and_nothing_saved(farm_a, producer_a, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _record(farm_a, producer_a, **overrides)
    assert field in refused.value.message_dict
    assert not Sale.objects.filter(producer=farm_a).exists()
    assert not RevenueMonth.objects.filter(producer=farm_a).exists()


def test_product_of_another_producer_is_refused(farm_a, producer_a, product_b):
    with pytest.raises(ValidationError) as refused:
        _record(farm_a, producer_a, product=product_b)
    assert "product" in refused.value.message_dict
    assert not Sale.objects.filter(producer=farm_a).exists()


def test_same_submission_key_records_the_sale_once(farm_a, producer_a):
    key = uuid.uuid4()
    first = _record(farm_a, producer_a, submission_key=key)
    second = _record(farm_a, producer_a, submission_key=key)
    assert first.pk == second.pk
    assert Sale.objects.filter(producer=farm_a).count() == 1
    assert RevenueMonth.objects.get(producer=farm_a).sale_count == 1


def _rollups_match_sales(farm):
    by_month = {}
    for sale in Sale.objects.filter(producer=farm):
        month = sale.sold_on.replace(day=1)
        by_month[month] = by_month.get(month, 0) + sale.amount_vnd
    rolled = {
        row["month"]: row["total"]
        for row in RevenueMonth.objects.filter(producer=farm)
        .values("month").annotate(total=Sum("amount_vnd"))
    }
    products, years, every_category = Counter(), Counter(), Counter()
    for row in RevenueProductYear.objects.filter(producer=farm):
        for month, amount, _count in row.months():
            products[month] += amount
    for row in RevenueProducerYear.objects.filter(producer=farm):
        for number in range(1, 13):
            if getattr(row, month_field("c", number)):
                table = every_category if row.category_key == ALL_CATEGORIES else years
                table[datetime.date(row.year, number, 1)] += getattr(row, month_field("m", number))
    return by_month == rolled == dict(products) == dict(years) == dict(every_category)


def test_rollups_follow_records_corrections_and_deletions(farm_a, producer_a, product_a):
    march = _record(farm_a, producer_a, product=product_a)
    _record(farm_a, producer_a, channel=Channel.SHOPEE, sold_on=datetime.date(2026, 3, 2))
    april = _record(farm_a, producer_a, sold_on=datetime.date(2026, 4, 1))
    assert _rollups_match_sales(farm_a)
    sale_update(sale=march, producer=farm_a, user=producer_a, sold_on=datetime.date(2026, 4, 3))
    assert _rollups_match_sales(farm_a)
    sale_delete(sale=april, producer=farm_a, user=producer_a)
    assert _rollups_match_sales(farm_a)
    april_rows = RevenueMonth.objects.filter(producer=farm_a, month=datetime.date(2026, 4, 1))
    assert april_rows.count() == 1


def test_correction_keeps_old_values_in_the_log(farm_a, producer_a, staff_x):
    sale = _record(farm_a, producer_a)
    sale = sale_update(sale=sale, producer=farm_a, user=staff_x, quantity=Decimal("10"))
    assert sale.amount_vnd == 350_010
    entry = ModelLogEntry.objects.get(action=SALE_EDIT_ACTION, object_id=str(sale.pk))
    assert entry.user == staff_x
    assert entry.data["changes"]["quantity"] == {"old": "12.5", "new": "10"}
    assert entry.data["changes"]["amount_vnd"] == {"old": 437_513, "new": 350_010}


def test_deleted_sale_leaves_its_values_in_the_log(farm_a, producer_a):
    sale = _record(farm_a, producer_a)
    pk = sale.pk
    sale_delete(sale=sale, producer=farm_a, user=producer_a)
    assert not Sale.objects.filter(pk=pk).exists()
    entry = ModelLogEntry.objects.get(action=SALE_DELETE_ACTION, object_id=str(pk))
    assert entry.data["old"]["amount_vnd"] == 437_513
    assert entry.data["old"]["product_name"] == "Mít Thái"


def test_another_producers_sale_cannot_be_corrected(farm_a, farm_b, producer_a, producer_b):
    sale = _record(farm_b, producer_b)
    with pytest.raises(Sale.DoesNotExist):
        sale_update(sale=sale, producer=farm_a, user=producer_a, quantity=Decimal("1"))
    with pytest.raises(Sale.DoesNotExist):
        sale_delete(sale=sale, producer=farm_a, user=producer_a)
    assert Sale.objects.get(pk=sale.pk).quantity == Decimal("12.5")


def test_yearly_baseline_is_spread_to_add_up_exactly(farm_a, staff_x):
    baseline = baseline_set(producer=farm_a, reference_year=2020, yearly_vnd=120_000_005,
                            user=staff_x)
    amounts = [m.amount_vnd for m in baseline.months.order_by("month")]
    assert sum(amounts) == 120_000_005
    assert amounts[:5] == [10_000_001] * 5 and amounts[5:] == [10_000_000] * 7
