"""Reads of revenue tracking: totals, months, channels, products and growth, from the roll-ups.

Every figure is summed by the database over the roll-ups (see ``models``), never by loading
sales into Python, so a dashboard's cost and query count do not grow with the number of
sales. Most figures read the yearly ones, a few rows per producer and year, with a column per
month: a period's figure is the sum of its months' columns (``_period_sum``), and "sold in the
period" is a channel bit set in one of them (``_period_channels``), so the distinct producers
behind a figure are counted over thousands of rows even for a whole province. A ``scope`` is a
``Q`` over the roll-ups' ``producer_id``, ``commune_id`` and ``category_key``, made by
``revenue_scope``.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from commune_site.ids import parse_id
from commune_site.page_tree import subtree_q
from products.models import Batch, ProductCategory, ProductCertification, ProductPage, Scan

from ..models import ProducerAccount, ProducerCertification, ProducerPage
from .models import (
    ALL_CATEGORIES,
    CHANNEL_ORDER,
    DIGITAL_CHANNELS,
    DIGITAL_MASK,
    OTHER_MASK,
    Baseline,
    BaselineMonth,
    Channel,
    RevenueChannelYear,
    RevenueMonth,
    RevenueProducerYear,
    RevenueProductYear,
    Sale,
    channel_bit,
    month_field,
    month_start,
)


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months from ``first`` to ``last`` (both the first day of their month)."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self):
        object.__setattr__(self, "first", month_start(self.first))
        object.__setattr__(self, "last", month_start(self.last))

    @classmethod
    def month(cls, day: datetime.date) -> "Period":
        return cls(day, day)

    @classmethod
    def last_month(cls, today: datetime.date) -> "Period":
        return cls.month(add_months(month_start(today), -1))

    @classmethod
    def year_to_date(cls, today: datetime.date) -> "Period":
        return cls(today.replace(month=1, day=1), today)

    @classmethod
    def last_12_months(cls, today: datetime.date) -> "Period":
        return cls(add_months(month_start(today), -11), today)

    def months(self) -> list[datetime.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = next_month(month)
        return months

    def q(self) -> Q:
        return Q(month__gte=self.first, month__lte=self.last)

    def years_q(self) -> Q:
        """The yearly roll-up rows the period reads (one year: an equality, so that an index
        on (year, key) also gives the rows in key order for a GROUP BY)."""
        if self.first.year == self.last.year:
            return Q(year=self.first.year)
        return Q(year__gte=self.first.year, year__lte=self.last.year)

    def months_by_year(self) -> dict[int, list[int]]:
        """{year: its calendar months (1–12) in the period}."""
        years: dict[int, list[int]] = {}
        for month in self.months():
            years.setdefault(month.year, []).append(month.month)
        return years


def _period_sum(prefix: str, period: Period):
    """A yearly roll-up row's sum of the period's month columns ``<prefix>01``…``<prefix>12``
    (the row being one of ``period.years_q()``)."""
    return _by_year(period, lambda numbers: _combined(prefix, numbers, "+"))


def _period_channels(period: Period):
    """A producer-year row's channels of the period: the OR of its months' channel bits."""
    return _by_year(period, lambda numbers: _combined("c", numbers, "|"))


def _by_year(period: Period, columns):
    years = period.months_by_year()
    if len(years) == 1:  # the rows read are of that year: no need to ask which
        (numbers,) = years.values()
        return ExpressionWrapper(columns(numbers), output_field=BigIntegerField())
    return Case(
        *(When(year=year, then=columns(numbers)) for year, numbers in years.items()),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def _combined(prefix: str, numbers: list[int], operator: str):
    columns = [F(month_field(prefix, number)) for number in numbers]
    combined = columns[0]
    for column in columns[1:]:
        combined = combined + column if operator == "+" else combined.bitor(column)
    return combined


def _producer_years(scope: "Scope", period: Period, **filters):
    """The producer-year rows a figure of the scope over the period reads."""
    return RevenueProducerYear.objects.filter(scope.rows_q(), period.years_q(), **filters)


def _amount(period: Period, prefix: str = "m") -> Sum:
    """The period's đồng (``"d"``: through digital channels) of producer-year rows."""
    return Sum(_period_sum(prefix, period))


def _sellers(period: Period, channels: int | None = None) -> Count:
    """Distinct producers of producer-year rows who sold in the period (through one of the
    ``channels``, a mask of channel bits, when given)."""
    sold = _period_channels(period)
    if channels is not None:
        sold = sold.bitand(channels)
    return Count("producer_id", distinct=True, filter=GreaterThan(sold, 0))


@dataclass(frozen=True)
class Scope:
    """Whose figures: one producer, some communes (None: every commune), maybe one category."""

    producer_id: int | None = None
    commune_ids: tuple[int, ...] | None = None
    category_id: int | None = None

    def q(self, *, with_category: bool = True) -> Q:
        q = Q()
        if self.producer_id is not None:
            q &= Q(producer_id=self.producer_id)
        if self.commune_ids is not None:
            q &= Q(commune_id__in=self.commune_ids)
        if with_category and self.category_id is not None:
            q &= Q(category_key=self.category_id)
        return q

    def rows_q(self) -> Q:
        """For the roll-ups with ``ALL_CATEGORIES`` rows: those rows without a category."""
        if self.category_id is None:
            return self.q() & Q(category_key=ALL_CATEGORIES)
        return self.q()


def revenue_scope(*, producer=None, communes=None, category=None) -> Scope:
    """The figures of one producer, or of some communes (None: all), optionally one category."""
    return Scope(
        producer_id=producer.pk if producer is not None else None,
        commune_ids=tuple(c.pk for c in communes) if communes is not None else None,
        category_id=category.pk if category is not None else None,
    )


def revenue_total(*, scope: Scope, period: Period) -> int:
    """Revenue in whole đồng over the period."""
    return _producer_years(scope, period).aggregate(total=_amount(period))["total"] or 0


def revenue_by_month(*, scope: Scope, period: Period) -> dict[datetime.date, int]:
    """Revenue per month of the period, every month present (0 when nothing was sold)."""
    return {
        month: row["amount"]
        for month, row in revenue_by_month_counted(scope=scope, period=period).items()
    }


def baseline_by_month(*, scope: Scope, period: Period) -> dict[datetime.date, int]:
    """The pre-pilot revenue of the same calendar months, for each month of the period."""
    by_calendar_month = dict.fromkeys(range(1, 13), 0)
    for row in (
        BaselineMonth.objects.filter(scope.q(with_category=False))
        .values("month").annotate(total=Sum("amount_vnd")).order_by()
    ):
        by_calendar_month[row["month"]] = row["total"]
    return {month: by_calendar_month[month.month] for month in period.months()}


def revenue_by_channel(*, scope: Scope, period: Period) -> list[dict]:
    """Revenue per channel, largest first: ``{"channel", "label", "amount", "digital",
    "producers"}``, ``producers`` counting who sold through the channel. Two queries: the
    đồng (one producer's month rows, or the communes' channel rows) and the producers."""
    labels = dict(Channel.choices)
    producers = _producer_years(scope, period).aggregate(
        **{channel: _sellers(period, channel_bit(channel)) for channel in CHANNEL_ORDER}
    )
    if scope.producer_id is not None:
        amounts = (
            RevenueMonth.objects.filter(scope.q(), period.q())
            .values("channel").annotate(amount=Sum("amount_vnd")).order_by()
        )
    else:
        amounts = (
            RevenueChannelYear.objects.filter(scope.rows_q(), period.years_q())
            .values("channel").annotate(amount=Sum(_period_sum("m", period))).order_by()
        )
    rows = [
        {
            "channel": row["channel"],
            "amount": row["amount"],
            "producers": producers.get(row["channel"], 0),
            "label": labels.get(row["channel"], row["channel"]),
            "digital": row["channel"] in DIGITAL_CHANNELS,
        }
        for row in amounts
        if producers.get(row["channel"])
    ]
    rows.sort(key=lambda row: (-row["amount"], row["channel"]))
    return rows


def digital_share(*, scope: Scope, period: Period) -> tuple[int, int]:
    """(revenue through digital channels, all revenue) over the period."""
    figures = _producer_years(scope, period).aggregate(
        total=_amount(period), digital=_amount(period, "d")
    )
    return figures["digital"] or 0, figures["total"] or 0


def top_products(*, scope: Scope, period: Period, limit: int = 10) -> list[dict]:
    """Products by revenue, largest first: ``{"product_key", "product_name", "amount",
    "sale_count", "producers"}``. A listed product is one page; unlisted ones go by name."""
    products = RevenueProductYear.objects.filter(scope.q(), period.years_q())
    # The top keys first, without the distinct count, over every product of the scope; then
    # the producers and names of those keys only.
    rows = list(
        products.values("product_key")
        .annotate(amount=Sum(_period_sum("m", period)), sale_count=Sum(_period_sum("n", period)))
        .filter(sale_count__gt=0)
        .order_by("-amount", "product_key")[:limit]
    )
    details = {
        row.pop("product_key"): row
        for row in products.filter(product_key__in=[row["product_key"] for row in rows])
        .alias(in_period=_period_sum("n", period))
        .filter(in_period__gt=0)
        .values("product_key")
        .annotate(producers=Count("producer_id", distinct=True), product_name=Max("product_name"))
        .order_by()
    }
    for row in rows:
        row.update(details[row["product_key"]])
    return rows


@dataclass(frozen=True)
class Growth:
    """Revenue of the producers who have a baseline, against their baseline's same months."""

    revenue: int
    baseline: int

    @property
    def ratio(self) -> float | None:
        """(revenue − baseline) / baseline, or None without a baseline."""
        if not self.baseline:
            return None
        return (self.revenue - self.baseline) / self.baseline


def growth(*, scope: Scope, period: Period) -> Growth:
    """Growth over the same calendar months before the pilot, for producers with a baseline."""
    baseline = sum(baseline_by_month(scope=scope, period=period).values())
    revenue = _producer_years(
        scope, period, producer__revenue_baseline__isnull=False
    ).aggregate(total=_amount(period))["total"] or 0
    return Growth(revenue=revenue, baseline=baseline)


def active_producer_count(*, scope: Scope, period: Period) -> int:
    """Producers who sold anything in the period."""
    return _producer_years(scope, period).aggregate(count=_sellers(period))["count"]


# --- Commune and province dashboards, the pilot report ----------------------------------
# Per-commune figures come from one grouped query per indicator, whatever the number of
# communes, producers or sales. Each revenue figure carries the number of producers behind
# it, so the caller can hide a figure that would show one household's revenue.

def _commune_path(field: str = "path"):
    """The commune part of a page path (communes sit at depth 2), for grouping by commune."""
    return Substr(field, 1, Page.steplen * 2)


def _by_commune_path(rows, communes, key: str = "commune_path") -> dict[int, dict]:
    ids = {commune.path: commune.pk for commune in communes}
    return {ids[row.pop(key)]: row for row in rows if row.get(key) in ids}


def revenue_summary_by_commune(*, scope: Scope, period: Period) -> dict[int, dict]:
    """Per commune id: ``amount``, ``producers`` (who sold), ``digital`` (đồng through digital
    channels), ``digital_producers`` and ``other_producers`` (who sold through other ones)."""
    rows = (
        _producer_years(scope, period)
        .values("commune_id")
        .annotate(
            amount_sum=Coalesce(_amount(period), 0),
            producers=_sellers(period),
            digital_sum=Coalesce(_amount(period, "d"), 0),
            digital_producers=_sellers(period, DIGITAL_MASK),
            other_producers=_sellers(period, OTHER_MASK),
        )
        .order_by()
    )
    return {
        row["commune_id"]: {
            "amount": row["amount_sum"],
            "producers": row["producers"],
            "digital": row["digital_sum"],
            "digital_producers": row["digital_producers"],
            "other_producers": row["other_producers"],
        }
        for row in rows
        if row["producers"]
    }


def growth_by_commune(*, scope: Scope, period: Period) -> dict[int, dict]:
    """Per commune id: ``revenue`` of the producers with a baseline, their ``baseline`` over
    the same calendar months, and ``producers``, how many have a baseline."""
    # A period longer than a year meets some calendar months twice.
    times = Counter(month.month for month in period.months())
    figures: dict[int, dict] = {}

    def row(commune_id):
        return figures.setdefault(commune_id, {"revenue": 0, "baseline": 0, "producers": 0})

    for item in (
        BaselineMonth.objects.filter(scope.q(with_category=False), month__in=list(times))
        .values("commune_id", "month").annotate(total=Sum("amount_vnd")).order_by()
    ):
        row(item["commune_id"])["baseline"] += item["total"] * times[item["month"]]
    for item in (
        Baseline.objects.filter(scope.q(with_category=False))
        .values("commune_id").annotate(count=Count("pk")).order_by()
    ):
        row(item["commune_id"])["producers"] = item["count"]
    for item in (
        _producer_years(scope, period, producer__revenue_baseline__isnull=False)
        .values("commune_id")
        .annotate(total=_amount(period), producers=_sellers(period))
        .order_by()
    ):
        if item["producers"]:
            row(item["commune_id"])["revenue"] = item["total"]
    return figures


def revenue_by_month_counted(*, scope: Scope, period: Period) -> dict[datetime.date, dict]:
    """Per month of the period: ``amount`` and ``producers`` who sold (0 and 0 if none)."""
    figures = {}
    for month in period.months():
        amount, sold = month_field("m", month.month), month_field("c", month.month)
        figures[f"amount_{month:%Y%m}"] = Sum(amount, filter=Q(year=month.year))
        figures[f"producers_{month:%Y%m}"] = Count(
            "producer_id", distinct=True, filter=Q(year=month.year, **{f"{sold}__gt": 0})
        )
    totals = _producer_years(scope, period).aggregate(
        **figures
    )
    return {
        month: {
            "amount": totals[f"amount_{month:%Y%m}"] or 0,
            "producers": totals[f"producers_{month:%Y%m}"],
        }
        for month in period.months()
    }


def producers_without_recent_sales(
    *, commune, today: datetime.date, days: int = 30
) -> list[dict]:
    """Live producers of the commune with no sale dated in the last ``days`` days:
    ``{"pk", "title", "last_sale"}`` (``last_sale`` None if they never recorded one)."""
    since = today - datetime.timedelta(days=days)
    return list(
        ProducerPage.objects.live()
        .filter(subtree_q(commune.path))
        .annotate(last_sale=Max("sales__sold_on"))
        .filter(Q(last_sale__isnull=True) | Q(last_sale__lt=since))
        .order_by(F("last_sale").asc(nulls_first=True), "title")
        .values("pk", "title", "last_sale")
    )


def _subtree_of_any(communes) -> Q:
    condition = Q(pk__in=[])
    for commune in communes:
        condition |= subtree_q(commune.path)
    return condition


def onboarded_producers_by_commune(*, communes, until: datetime.date) -> dict[int, dict]:
    """Per commune id: ``onboarded``, live producers with a producer account opened by
    ``until``, a pre-pilot baseline, or a sale dated by ``until`` (staff may record sales for a
    household without an account); and ``producers``, all live producers."""
    end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.max))
    onboarded = (
        Q(Exists(ProducerAccount.objects.filter(producer=OuterRef("pk"), created_at__lte=end)))
        | Q(Exists(Baseline.objects.filter(producer=OuterRef("pk"))))
        | Q(Exists(Sale.objects.filter(producer=OuterRef("pk"), sold_on__lte=until)))
    )
    rows = (
        ProducerPage.objects.live()
        .filter(_subtree_of_any(communes))
        .annotate(commune_path=_commune_path())
        .values("commune_path")
        .annotate(producers=Count("pk"), onboarded=Count("pk", filter=onboarded))
        .order_by()
    )
    return _by_commune_path(rows, communes)


def product_counts_by_commune(*, communes) -> dict[int, dict]:
    """Per commune id, of live products today: ``published``, ``with_qr`` (a short code) and
    ``with_batches`` (at least one lot)."""
    rows = (
        ProductPage.objects.live()
        .filter(_subtree_of_any(communes))
        .annotate(commune_path=_commune_path())
        .values("commune_path")
        .annotate(
            published=Count("pk"),
            with_qr=Count("pk", filter=Q(short_code__isnull=False) & ~Q(short_code="")),
            with_batches=Count(
                "pk", filter=Q(Exists(Batch.objects.filter(product=OuterRef("pk"))))
            ),
        )
        .order_by()
    )
    return _by_commune_path(rows, communes)


def ocop_products_by_commune(*, communes, today: datetime.date) -> dict[int, dict[int, int]]:
    """Per commune id: {stars: live products whose OCOP certificate is valid today}."""
    rows = (
        ProductPage.objects.live()
        .filter(_subtree_of_any(communes), ocop_stars__isnull=False)
        .filter(Q(ocop_expires_on__isnull=True) | Q(ocop_expires_on__gte=today))
        .annotate(commune_path=_commune_path())
        .values("commune_path", "ocop_stars")
        .annotate(count=Count("pk"))
        .order_by()
    )
    ids = {commune.path: commune.pk for commune in communes}
    figures: dict[int, dict[int, int]] = {}
    for row in rows:
        if row["commune_path"] in ids:
            figures.setdefault(ids[row["commune_path"]], {})[row["ocop_stars"]] = row["count"]
    return figures


def scans_by_commune(*, communes, period: Period) -> dict[int, int]:
    """Per commune id: QR scans of its products in the period (Vietnam time)."""
    start = timezone.make_aware(datetime.datetime.combine(period.first, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(next_month(period.last), datetime.time.min)
    )
    rows = (
        Scan.objects.filter(scanned_at__gte=start, scanned_at__lt=end)
        .filter(product__in=ProductPage.objects.filter(_subtree_of_any(communes)).values("pk"))
        .annotate(commune_path=_commune_path("product__path"))
        .values("commune_path")
        .annotate(scans=Count("pk"))
        .order_by()
    )
    return {key: row["scans"] for key, row in _by_commune_path(rows, communes).items()}


def certificates_expiring(*, communes, today: datetime.date, days: int = 90) -> list[dict]:
    """Certificates of live products and producers that expire from today to ``days`` ahead:
    ``{"commune_id", "holder", "certificate", "expires_on"}``, soonest first."""
    ids = {commune.path: commune.pk for commune in communes}
    window = {"gte": today, "lte": today + datetime.timedelta(days=days)}
    products = ProductPage.objects.live().filter(_subtree_of_any(communes))
    producers = ProducerPage.objects.live().filter(_subtree_of_any(communes))
    found = []
    for model, holders in ((ProductCertification, products), (ProducerCertification, producers)):
        for holder_path, holder, certificate, short_name, expires_on in (
            model.objects.filter(
                page__in=holders.values("pk"),
                **{f"expires_on__{k}": v for k, v in window.items()},
            ).values_list(
                "page__path", "page__title", "certification__name",
                "certification__short_name", "expires_on",
            )
        ):
            found.append((holder_path, holder, short_name or certificate, expires_on))
    for holder_path, holder, stars, expires_on in products.filter(
        ocop_stars__isnull=False, **{f"ocop_expires_on__{k}": v for k, v in window.items()}
    ).values_list("path", "title", "ocop_stars", "ocop_expires_on"):
        found.append((holder_path, holder, f"OCOP {stars}★", expires_on))
    rows = [
        {
            "commune_id": ids.get(path[: Page.steplen * 2]),
            "holder": holder,
            "certificate": certificate,
            "expires_on": expires_on,
        }
        for path, holder, certificate, expires_on in found
    ]
    rows.sort(key=lambda row: (row["expires_on"], row["holder"]))
    return rows
# --- Producer portal: a producer's own sales, their history, and the dashboard's extras -----
# Reads for producers/revenue/views.py. Each takes the producer the portal resolved, so a
# producer (or staff acting for one) never reads another producer's rows.


def portal_sales(*, producer):
    """The producer's sales, newest first, with whoever entered them."""
    return (
        Sale.objects.filter(producer=producer)
        .select_related("entered_by")
        .order_by("-sold_on", "-pk")
    )


def portal_sale(*, producer, pk: int):
    """One sale of this producer, or None: another producer's sale id finds nothing."""
    if parse_id(pk) is None:
        return None  # an id no table can hold, which SQLite would answer with OverflowError
    return Sale.objects.filter(producer=producer, pk=pk).select_related("entered_by").first()


def sale_prefill(*, producer, product) -> dict:
    """What the record form starts with: the product's last price and unit (else its listed
    price and unit) and the channel of the producer's last sale. Two queries."""
    prefill = {"channel": Channel.FARM, "unit_price_vnd": None, "unit": ""}
    last = (
        Sale.objects.filter(producer=producer)
        .order_by("-entered_at", "-pk")
        .values_list("channel", flat=True)
        .first()
    )
    if last:
        prefill["channel"] = last
    if product is not None:
        previous = (
            Sale.objects.filter(producer=producer, product=product)
            .order_by("-sold_on", "-pk")
            .values("unit_price_vnd", "unit")
            .first()
        )
        if previous:
            prefill.update(previous)
        else:
            prefill["unit_price_vnd"] = product.price_vnd
            prefill["unit"] = product.get_price_unit_display()
    return prefill


def _sale_content_type():
    return ContentType.objects.get_for_model(Sale)


def sale_log_entries(*, sale_ids) -> dict[int, list]:
    """The audit log of each of these sales, oldest first, in one query."""
    history = {pk: [] for pk in sale_ids}
    if not history:
        return history
    entries = (
        ModelLogEntry.objects.filter(
            content_type=_sale_content_type(), object_id__in=[str(pk) for pk in history]
        )
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    for entry in entries:
        history[int(entry.object_id)].append(entry)
    return history


def deleted_sale_entries(*, producer, limit: int = 20) -> list:
    """The producer's deleted sales, newest first: their delete log entries, which keep the
    last values and name the producer (older entries: found through the creation entry)."""
    content_type = _sale_content_type()
    created_here = ModelLogEntry.objects.filter(
        content_type=content_type, action="revenue.sale.create", data__producer__id=producer.pk
    ).values("object_id")
    return list(
        ModelLogEntry.objects.filter(
            Q(data__producer__id=producer.pk) | Q(object_id__in=created_here),
            content_type=content_type,
            action="revenue.sale.delete",
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")[:limit]
    )


def producer_categories(*, producer):
    """Categories the producer sells in: of their products, or of sales they recorded."""
    in_sales = RevenueProducerYear.objects.filter(
        producer=producer, category_key__gte=0
    ).values("category_key")
    return (
        ProductCategory.objects.filter(
            Q(pk__in=in_sales) | Q(products__in=ProductPage.objects.child_of(producer))
        )
        .distinct()
        .order_by("sort_order", "name")
    )


def scans_by_month(*, producer, period: Period, category=None) -> dict[datetime.date, int]:
    """QR scans of the producer's products per month of the period, every month present."""
    totals = dict.fromkeys(period.months(), 0)
    products = ProductPage.objects.child_of(producer)
    if category is not None:
        products = products.filter(category=category)
    start = timezone.make_aware(datetime.datetime.combine(period.first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(next_month(period.last), datetime.time.min))
    rows = (
        Scan.objects.filter(
            product_id__in=products.values("pk"), scanned_at__gte=start, scanned_at__lt=end
        )
        .annotate(month=TruncMonth("scanned_at"))
        .values("month")
        .annotate(scans=Count("pk"))
        .order_by()
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        totals[month_start(month)] = totals.get(month_start(month), 0) + row["scans"]
    return totals


# --- Recording: a sale that looks like a repeat -----------------------------------------------

RECENT_TWIN_MINUTES = 10


def recent_identical_sale(*, producer, values: dict, minutes: int = RECENT_TWIN_MINUTES):
    """A sale of ``producer`` entered in the last ``minutes`` minutes with the same product,
    date, quantity, price, amount and channel as ``values`` (``SaleForm.sale_values()``), or
    None. A phone that lost the answer to a save and was sent back to the form posts it again
    under a new key; this lets the portal ask before recording it twice."""
    since = timezone.now() - datetime.timedelta(minutes=minutes)
    product = values["product"]
    same = Q(product=product) if product is not None else Q(
        product__isnull=True, product_name__iexact=values["product_name"]
    )
    twins = Sale.objects.filter(
        same,
        producer=producer,
        entered_at__gte=since,
        sold_on=values["sold_on"],
        quantity=values["quantity"],
        unit_price_vnd=values["unit_price_vnd"],
        channel=values["channel"],
    )
    if values.get("amount_vnd") is not None:
        twins = twins.filter(amount_vnd=values["amount_vnd"])
    return twins.order_by("-entered_at").first()
