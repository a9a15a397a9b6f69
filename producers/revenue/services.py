"""Writes of revenue tracking: record, correct and delete sales, set baselines, keep roll-ups.

Every write checks that the product belongs to the producer, validates with ``full_clean()``,
runs in one transaction with the roll-up rebuild of the producer-months it touched, and leaves
an entry in Wagtail's audit log (``ModelLogEntry``) with the values before and after. A deleted
sale's last values stay in its ``revenue.sale.delete`` log entry.
"""

import datetime
import itertools
import uuid
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from wagtail.log_actions import log

from products.search import fold

from ..models import ProducerPage
from ..selectors import commune_of_page
from .models import (
    ALL_CATEGORIES,
    DIGITAL_CHANNELS,
    Baseline,
    BaselineMonth,
    RevenueChannelYear,
    RevenueMonth,
    RevenueProducerYear,
    RevenueProductYear,
    Sale,
    channel_bit,
    month_field,
    sale_amount,
)

SALE_CREATE_ACTION = "revenue.sale.create"
SALE_EDIT_ACTION = "revenue.sale.edit"
SALE_DELETE_ACTION = "revenue.sale.delete"
BASELINE_SET_ACTION = "revenue.baseline.set"

# The fields a correction may change and the audit log records.
SALE_FIELDS = (
    "product_id",
    "product_name",
    "sold_on",
    "quantity",
    "unit",
    "unit_price_vnd",
    "amount_vnd",
    "channel",
    "channel_detail",
    "note",
)


def _lock_producer(producer: ProducerPage) -> None:
    # Roll-ups of one producer are rebuilt by one transaction at a time.
    ProducerPage.objects.select_for_update().filter(pk=producer.pk).values_list("pk").first()


def product_key(product_id: int | None, product_name: str) -> str:
    """How the product roll-up tells products apart: the page id, else the folded name."""
    if product_id:
        return f"p{product_id}"
    return "n:" + fold(product_name).strip()[:200]


def _snapshot(sale: Sale) -> dict:
    values = {}
    for field in SALE_FIELDS:
        value = getattr(sale, field)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = f"{value.normalize():f}"
        values[field] = value
    return values


def _log(sale: Sale, action: str, user, data: dict) -> None:
    log(instance=sale, action=action, user=user, data=data)


def revenue_rollup_refresh(*, producer_id: int, months: Iterable[datetime.date]) -> None:
    """Rebuild every roll-up of one producer for the years of the given months from its sales.

    Called inside the write's transaction, with the producer locked. The producer's own rows
    are deleted and built again; the commune's ``RevenueChannelYear`` rows get the difference
    added, so two producers of one commune writing at once both count.
    """
    years = sorted({m.year for m in months})
    if not years:
        return
    in_years = Q(year__in=years)
    months_in_years = _years_q("month", years)
    old = _channel_contribution(
        RevenueMonth.objects.filter(months_in_years, producer_id=producer_id)
        .annotate(year=ExtractYear("month"), number=ExtractMonth("month"))
        .values_list("commune_id", "year", "channel", "category_key", "number", "amount_vnd")
    )
    RevenueMonth.objects.filter(months_in_years, producer_id=producer_id).delete()
    RevenueProducerYear.objects.filter(in_years, producer_id=producer_id).delete()
    RevenueProductYear.objects.filter(in_years, producer_id=producer_id).delete()
    sales = (
        Sale.objects.filter(_years_q("sold_on", years), producer_id=producer_id)
        .annotate(year=ExtractYear("sold_on"), number=ExtractMonth("sold_on"))
        .values("year", "number", "commune_id", "channel", "category_id", "product_id",
                "product_name")
        .annotate(amount=Sum("amount_vnd"), count=Count("pk"))
        .order_by()
    )
    rows = rollup_rows(producer_id, sales)
    RevenueMonth.objects.bulk_create(RevenueMonth(**row) for row in rows["month"])
    RevenueProducerYear.objects.bulk_create(
        RevenueProducerYear(**row) for row in rows["producer_year"]
    )
    RevenueProductYear.objects.bulk_create(
        RevenueProductYear(**row) for row in rows["product_year"]
    )
    _channel_year_add(_month_rows_by_channel(rows["month"]), old)


def _years_q(field: str, years: list[int]) -> Q:
    """Dates of these years, as ranges an index on the date can serve."""
    condition = Q(pk__in=[])
    for year in years:
        condition |= Q(**{
            f"{field}__gte": datetime.date(year, 1, 1),
            f"{field}__lt": datetime.date(year + 1, 1, 1),
        })
    return condition


ROLLUP_MODEL_NAMES = ("Sale", "RevenueMonth", "RevenueProducerYear", "RevenueProductYear",
                      "RevenueChannelYear")


def revenue_rollups_rebuild(*, models: dict | None = None) -> dict[str, int]:
    """Every roll-up built again from every sale: after a bulk load of sales, and by the
    migration that added the yearly roll-ups (which passes its historical ``models``, by
    the names of ``ROLLUP_MODEL_NAMES``). One grouped query, read in producer order; returns
    the number of rows of each roll-up."""
    models = models or {
        "Sale": Sale, "RevenueMonth": RevenueMonth, "RevenueProducerYear": RevenueProducerYear,
        "RevenueProductYear": RevenueProductYear, "RevenueChannelYear": RevenueChannelYear,
    }
    tables = {"month": models["RevenueMonth"], "producer_year": models["RevenueProducerYear"],
              "product_year": models["RevenueProductYear"]}
    for model in (*tables.values(), models["RevenueChannelYear"]):
        model.objects.all().delete()
    sales = (
        models["Sale"].objects
        .annotate(year=ExtractYear("sold_on"), number=ExtractMonth("sold_on"))
        .values("producer_id", "year", "number", "commune_id", "channel", "category_id",
                "product_id", "product_name")
        .annotate(amount=Sum("amount_vnd"), count=Count("pk"))
        .order_by("producer_id")
    )
    counts = dict.fromkeys(tables, 0)
    pending = {name: [] for name in tables}
    channels = Counter()

    def flush():
        for name, rows in pending.items():
            tables[name].objects.bulk_create(tables[name](**row) for row in rows)
            counts[name] += len(rows)
            rows.clear()

    for producer_id, group in itertools.groupby(
        sales.iterator(chunk_size=10_000), key=lambda row: row["producer_id"]
    ):
        rows = rollup_rows(producer_id, group)
        for name in tables:
            pending[name] += rows[name]
        channels.update(_month_rows_by_channel(rows["month"]))
        if len(pending["month"]) >= 20_000:
            flush()
    flush()
    channel_rows: dict[tuple, dict] = {}
    for (commune_id, year, channel, category_key, number), amount in channels.items():
        row = channel_rows.setdefault((commune_id, year, channel, category_key), {
            "commune_id": commune_id, "year": year, "channel": channel,
            "category_key": category_key,
        })
        row[month_field("m", number)] = amount
    model = models["RevenueChannelYear"]
    model.objects.bulk_create((model(**row) for row in channel_rows.values()), batch_size=5000)
    counts["channel_year"] = len(channel_rows)
    return counts


def rollup_rows(producer_id: int, sales: Iterable[dict]) -> dict[str, list[dict]]:
    """The roll-up rows of one producer, as field values, from its sales summed per year,
    month, commune, channel, category and product (``year``, ``number``, ``commune_id``,
    ``channel``, ``category_id``, ``product_id``, ``product_name``, ``amount``, ``count``)."""
    by_month, by_year, by_product = {}, {}, {}
    for sale in sales:
        category_key = sale["category_id"] or 0
        number, amount, count = sale["number"], sale["amount"], sale["count"]
        month = datetime.date(sale["year"], number, 1)
        row = by_month.setdefault((month, sale["channel"], category_key), {
            "commune_id": sale["commune_id"], "producer_id": producer_id, "month": month,
            "channel": sale["channel"], "category_key": category_key, "amount_vnd": 0,
            "sale_count": 0,
        })
        row["amount_vnd"] += amount
        row["sale_count"] += count
        for category in (category_key, ALL_CATEGORIES):
            year = by_year.setdefault((sale["year"], sale["commune_id"], category), {
                "commune_id": sale["commune_id"], "producer_id": producer_id,
                "year": sale["year"], "category_key": category,
            })
            _add(year, month_field("m", number), amount)
            if sale["channel"] in DIGITAL_CHANNELS:
                _add(year, month_field("d", number), amount)
            bits = month_field("c", number)
            year[bits] = year.get(bits, 0) | channel_bit(sale["channel"])
        key = product_key(sale["product_id"], sale["product_name"])
        product = by_product.setdefault((sale["year"], sale["commune_id"], key, category_key), {
            "commune_id": sale["commune_id"], "producer_id": producer_id,
            "year": sale["year"], "product_key": key, "product_id": sale["product_id"],
            "product_name": sale["product_name"], "category_key": category_key,
        })
        _add(product, month_field("m", number), amount)
        _add(product, month_field("n", number), count)
    return {
        "month": list(by_month.values()),
        "producer_year": list(by_year.values()),
        "product_year": list(by_product.values()),
    }


def _add(row: dict, column: str, value: int) -> None:
    row[column] = row.get(column, 0) + value


def _month_rows_by_channel(rows: list[dict]) -> Counter:
    """What month roll-up rows (as field values) add to their communes' channel rows."""
    return _channel_contribution(
        (r["commune_id"], r["month"].year, r["channel"], r["category_key"], r["month"].month,
         r["amount_vnd"])
        for r in rows
    )


def _channel_contribution(rows) -> Counter:
    """{(commune, year, channel, category, month): đồng} from month roll-up figures."""
    totals = Counter()
    for commune_id, year, channel, category_key, number, amount in rows:
        for category in (category_key, ALL_CATEGORIES):
            totals[(commune_id, year, channel, category, number)] += amount
    return totals


def _channel_year_add(new: Counter, old: Counter) -> None:
    """Add the difference of one producer's rebuild to its communes' channel rows."""
    changes: dict[tuple, dict[str, int]] = {}
    for key in new.keys() | old.keys():
        difference = new[key] - old[key]
        if difference:
            *row_key, number = key
            changes.setdefault(tuple(row_key), {})[month_field("m", number)] = difference
    for (commune_id, year, channel, category_key), columns in changes.items():
        key = {"commune_id": commune_id, "year": year, "channel": channel,
               "category_key": category_key}
        RevenueChannelYear.objects.bulk_create(
            [RevenueChannelYear(**key)], ignore_conflicts=True
        )
        RevenueChannelYear.objects.filter(**key).update(
            **{column: F(column) + value for column, value in columns.items()}
        )


def _product_fields(producer: ProducerPage, product, product_name: str) -> dict:
    if product is None:
        return {"product": None, "product_name": (product_name or "").strip(), "category": None}
    return {
        "product": product,
        "product_name": product.title,
        "category_id": product.category_id,
    }


@transaction.atomic
def sale_record(
    *,
    producer: ProducerPage,
    product=None,
    product_name: str = "",
    sold_on: datetime.date,
    quantity: Decimal,
    unit: str,
    unit_price_vnd: int,
    amount_vnd: int | None = None,
    channel: str,
    channel_detail: str = "",
    note: str = "",
    entered_by,
    entered_by_staff: bool = False,
    submission_key: uuid.UUID | None = None,
) -> Sale:
    """Record one sale and update the producer's roll-ups.

    ``product`` is one of the producer's products, or None with a free-text ``product_name``.
    ``amount_vnd`` defaults to quantity × unit price rounded half up; a lump sum overrides it.
    A ``submission_key`` already used returns the sale it recorded, so a double tap or a
    resubmitted form records the sale once.
    """
    if submission_key is not None:
        existing = Sale.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    _lock_producer(producer)
    sale = Sale(
        producer=producer,
        commune=commune_of_page(producer),
        sold_on=sold_on,
        quantity=quantity,
        unit=unit,
        unit_price_vnd=unit_price_vnd,
        amount_vnd=sale_amount(quantity, unit_price_vnd) if amount_vnd is None else amount_vnd,
        channel=channel,
        channel_detail=channel_detail,
        note=note,
        entered_by=entered_by,
        entered_by_staff=entered_by_staff,
        submission_key=submission_key,
        **_product_fields(producer, product, product_name),
    )
    sale.full_clean()
    try:
        with transaction.atomic():
            sale.save()
    except IntegrityError:
        # Two requests with the same key raced; the first one recorded the sale.
        existing = Sale.objects.filter(submission_key=submission_key).first()
        if submission_key is None or existing is None:
            raise
        return existing
    revenue_rollup_refresh(producer_id=producer.pk, months=[sale.sold_on])
    _log(sale, SALE_CREATE_ACTION, entered_by, {
        "new": _snapshot(sale),
        "producer": {"id": producer.pk, "title": producer.title},
        "entered_by_staff": entered_by_staff,
    })
    return sale


@transaction.atomic
def sale_update(*, sale: Sale, producer: ProducerPage, user, **changes) -> Sale:
    """Correct a sale of ``producer``; the log keeps the old and new values of what changed.

    ``changes`` are fields of ``SALE_FIELDS`` (``product`` may be given as an instance).
    When quantity or unit price change and ``amount_vnd`` is not given, the amount is
    computed again.
    """
    _lock_producer(producer)
    sale = Sale.objects.select_for_update().get(pk=sale.pk, producer=producer)
    before = _snapshot(sale)
    old_month = sale.sold_on
    if "product" in changes:
        product = changes.pop("product")
        for field, value in _product_fields(
            producer, product, changes.pop("product_name", sale.product_name)
        ).items():
            setattr(sale, field, value)
    recompute = ("quantity" in changes or "unit_price_vnd" in changes) and (
        "amount_vnd" not in changes
    )
    for field, value in changes.items():
        setattr(sale, field, value)
    if recompute:
        sale.amount_vnd = sale_amount(sale.quantity, sale.unit_price_vnd)
    sale.full_clean()
    after = _snapshot(sale)
    changed = {f: {"old": before[f], "new": after[f]} for f in SALE_FIELDS if before[f] != after[f]}
    if not changed:
        return sale
    sale.save()
    revenue_rollup_refresh(producer_id=producer.pk, months=[old_month, sale.sold_on])
    _log(sale, SALE_EDIT_ACTION, user, {"changes": changed})
    return sale


@transaction.atomic
def sale_delete(*, sale: Sale, producer: ProducerPage, user) -> None:
    """Delete a sale of ``producer``; its last values stay in the audit log."""
    _lock_producer(producer)
    sale = Sale.objects.select_for_update().get(pk=sale.pk, producer=producer)
    _log(sale, SALE_DELETE_ACTION, user, {
        "old": _snapshot(sale),
        # Whose sale it was: the row is gone, and the portal lists a producer's deletions.
        "producer": {"id": producer.pk, "title": producer.title},
    })
    month = sale.sold_on
    sale.delete()
    revenue_rollup_refresh(producer_id=producer.pk, months=[month])


@transaction.atomic
def baseline_set(
    *,
    producer: ProducerPage,
    reference_year: int,
    monthly_vnd: dict[int, int] | None = None,
    yearly_vnd: int | None = None,
    joined_on: datetime.date | None = None,
    user,
) -> Baseline:
    """Set a producer's pre-pilot revenue: twelve monthly figures, or a year spread by month.

    A yearly figure is spread evenly, the remainder going to the first months, so the twelve
    figures add up to the year exactly.
    """
    if (monthly_vnd is None) == (yearly_vnd is None):
        raise ValueError("Give monthly_vnd or yearly_vnd, not both.")
    if yearly_vnd is not None:
        share, rest = divmod(yearly_vnd, 12)
        monthly_vnd = {m: share + (1 if m <= rest else 0) for m in range(1, 13)}
    commune = commune_of_page(producer)
    baseline = Baseline.objects.filter(producer=producer).first()
    before = (
        {m.month: m.amount_vnd for m in baseline.months.all()} if baseline is not None else {}
    )
    if baseline is None:
        baseline = Baseline(producer=producer)
    baseline.commune = commune
    baseline.reference_year = reference_year
    baseline.joined_on = joined_on
    baseline.entered_by = user
    baseline.full_clean(exclude=["producer"] if baseline.pk else None)
    baseline.save()
    months = []
    for month in range(1, 13):
        row = BaselineMonth(
            baseline=baseline, producer=producer, commune=commune, month=month,
            amount_vnd=int(monthly_vnd.get(month, 0)),
        )
        row.full_clean(exclude=["baseline", "producer", "commune"])
        months.append(row)
    baseline.months.all().delete()
    BaselineMonth.objects.bulk_create(months)
    log(instance=baseline, action=BASELINE_SET_ACTION, user=user, data={
        "reference_year": reference_year,
        "old": {str(k): v for k, v in sorted(before.items())},
        "new": {str(m.month): m.amount_vnd for m in months},
    })
    return baseline
