"""Writes of revenue tracking: record, correct and delete sales, set baselines, keep roll-ups.

Every write checks that the product belongs to the producer, validates with ``full_clean()``,
runs in one transaction with the roll-up rebuild of the producer-months it touched, and leaves
an entry in Wagtail's audit log (``ModelLogEntry``) with the values before and after. A deleted
sale's last values stay in its ``revenue.sale.delete`` log entry.
"""

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from wagtail.log_actions import log

from products.search import fold

from ..models import ProducerPage
from ..selectors import commune_of_page
from .models import (
    Baseline,
    BaselineMonth,
    RevenueMonth,
    RevenueProductMonth,
    Sale,
    month_start,
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
    """Rebuild both roll-ups of one producer for the given months from its sales.

    Called inside the write's transaction, with the producer locked; a month with no sales
    left loses its roll-up rows.
    """
    months = sorted({month_start(m) for m in months})
    if not months:
        return
    RevenueMonth.objects.filter(producer_id=producer_id, month__in=months).delete()
    RevenueProductMonth.objects.filter(producer_id=producer_id, month__in=months).delete()
    month_rows, product_rows = {}, {}
    sales = Sale.objects.filter(
        producer_id=producer_id,
        sold_on__gte=months[0],
        sold_on__lt=_next_month(months[-1]),
    )
    wanted = set(months)
    for row in (
        sales.values("sold_on", "commune_id", "channel", "category_id", "product_id",
                     "product_name")
        .annotate(amount=Sum("amount_vnd"), count=Count("pk"))
        .order_by()
    ):
        month = month_start(row["sold_on"])
        if month not in wanted:
            continue
        category_key = row["category_id"] or 0
        key = (month, row["channel"], category_key)
        entry = month_rows.setdefault(
            key,
            RevenueMonth(
                commune_id=row["commune_id"], producer_id=producer_id, month=month,
                channel=row["channel"], category_key=category_key,
            ),
        )
        entry.amount_vnd += row["amount"]
        entry.sale_count += row["count"]
        key_of_product = product_key(row["product_id"], row["product_name"])
        pkey = (month, key_of_product, category_key)
        product_entry = product_rows.setdefault(
            pkey,
            RevenueProductMonth(
                commune_id=row["commune_id"], producer_id=producer_id, month=month,
                product_key=key_of_product, product_id=row["product_id"],
                product_name=row["product_name"], category_key=category_key,
            ),
        )
        product_entry.amount_vnd += row["amount"]
        product_entry.sale_count += row["count"]
    RevenueMonth.objects.bulk_create(month_rows.values())
    RevenueProductMonth.objects.bulk_create(product_rows.values())


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


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
