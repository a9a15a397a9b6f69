"""Sales, pre-pilot baselines, and the monthly roll-ups every dashboard reads.

Money is whole đồng in integer columns. Dashboards never add up ``Sale`` rows: they read the
roll-ups, which ``services.revenue_rollup_refresh`` rebuilds for the producer-years a write
touches, in the same transaction as the write:

- ``RevenueMonth``: per producer, month, channel and category (one producer's channel table);
- ``RevenueProducerYear``: per producer, year and category, a column per month for the
  đồng, the digital đồng and the channels used (totals, months, growth, distinct producers);
- ``RevenueChannelYear``: per commune, year, channel and category, a column per month;
- ``RevenueProductYear``: per producer, year and product, a column per month.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MAX_UNIT_PRICE_VND = 1_000_000_000
MAX_AMOUNT_VND = 10_000_000_000
EARLIEST_SALE_DATE = datetime.date(2000, 1, 1)


class Channel(models.TextChoices):
    """Where a sale was made. ``DIGITAL_CHANNELS`` are the ones the pilot set out to grow."""

    FARM = "farm", _("Tại vườn, tại cơ sở")
    MARKET = "market", _("Chợ, đại lý")
    TRADER = "trader", _("Thương lái")
    FAIR = "fair", _("Hội chợ, triển lãm")
    PRODUCT_PAGE = "product_page", _("Trang sản phẩm, mã QR")
    SOCIAL = "social", _("Zalo, Facebook")
    POSTMART = "postmart", "Postmart"
    VOSO = "voso", "Voso"
    SHOPEE = "shopee", "Shopee"
    TIKTOK = "tiktok", "TikTok Shop"
    ECOMMERCE_OTHER = "ecommerce_other", _("Sàn thương mại điện tử khác")
    OTHER = "other", _("Khác")


DIGITAL_CHANNELS = frozenset(
    {
        Channel.PRODUCT_PAGE,
        Channel.SOCIAL,
        Channel.POSTMART,
        Channel.VOSO,
        Channel.SHOPEE,
        Channel.TIKTOK,
        Channel.ECOMMERCE_OTHER,
    }
)


def local_today() -> datetime.date:
    """Today in Asia/Ho_Chi_Minh, the date a farmer means by "hôm nay"."""
    return timezone.localdate()


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def sale_amount(quantity: Decimal, unit_price_vnd: int) -> int:
    """Quantity × unit price in whole đồng, rounded half up (12,5 kg × 35.001 đ = 437.513 đ)."""
    return int((Decimal(quantity) * unit_price_vnd).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Sale(models.Model):
    """One sale a producer made: what, when, how much, through which channel, entered by whom."""

    producer = models.ForeignKey(
        "producers.ProducerPage",
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("nhà sản xuất"),
    )
    # Denormalised from the producer's place in the tree, so commune figures need no join.
    commune = models.ForeignKey(
        "showcase.CommuneHomePage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phường/xã"),
    )
    product = models.ForeignKey(
        "products.ProductPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sản phẩm"),
    )
    # The listed product's title at the time of the sale, or free text for an unlisted one.
    product_name = models.CharField(_("tên sản phẩm"), max_length=200)
    category = models.ForeignKey(
        "products.ProductCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("danh mục"),
    )
    sold_on = models.DateField(_("ngày bán"))
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("đơn vị"), max_length=30)
    unit_price_vnd = models.PositiveBigIntegerField(
        _("đơn giá (đồng)"), validators=[MaxValueValidator(MAX_UNIT_PRICE_VND)]
    )
    amount_vnd = models.PositiveBigIntegerField(
        _("thành tiền (đồng)"), validators=[MaxValueValidator(MAX_AMOUNT_VND)]
    )
    channel = models.CharField(_("kênh bán"), max_length=20, choices=Channel.choices)
    # What the seller called the channel when it matched none of ours (an import, "Khác").
    channel_detail = models.CharField(_("kênh bán (ghi rõ)"), max_length=100, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    # True when commune staff entered the sale for the household ("nhập thay").
    entered_by_staff = models.BooleanField(_("cán bộ nhập thay"), default=False)
    entered_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    # A form's one-time token: a double tap or a resubmitted form records the sale once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # A digest of an imported row (and its occurrence in the file): the same file twice adds
    # nothing the second time.
    import_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("lần bán")
        verbose_name_plural = pgettext_lazy("plural", "lần bán")
        ordering = ["-sold_on", "-pk"]
        indexes = [
            models.Index(fields=["producer", "sold_on"], name="sale_producer_date"),
            models.Index(fields=["commune", "sold_on"], name="sale_commune_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "import_key"],
                condition=~Q(import_key=""),
                name="sale_unique_import_row",
            ),
        ]

    def __str__(self):
        return f"{self.sold_on:%d/%m/%Y} {self.product_name} {self.amount_vnd} đ"

    @property
    def is_digital(self) -> bool:
        return self.channel in DIGITAL_CHANNELS

    def clean(self):
        errors = {}
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = _("Số lượng phải lớn hơn 0.")
        if self.sold_on is not None:
            if self.sold_on > local_today():
                errors["sold_on"] = _("Ngày bán không được ở tương lai.")
            elif self.sold_on < EARLIEST_SALE_DATE:
                errors["sold_on"] = _("Ngày bán phải từ 01/01/2000 trở đi.")
        if self.unit_price_vnd is not None and self.unit_price_vnd > MAX_UNIT_PRICE_VND:
            errors["unit_price_vnd"] = _("Đơn giá tối đa 1.000.000.000 đ.")
        if self.amount_vnd is not None and self.amount_vnd > MAX_AMOUNT_VND:
            errors["amount_vnd"] = _("Thành tiền tối đa 10.000.000.000 đ.")
        if "<" in (self.product_name or "") or ">" in (self.product_name or ""):
            errors["product_name"] = _("Tên sản phẩm không được chứa dấu < hoặc >.")
        if self.product_id is not None and self.producer_id is not None:
            product, producer = self.product, self.producer
            if not (
                product.path.startswith(producer.path) and product.depth == producer.depth + 1
            ):
                errors["product"] = _("Sản phẩm này không thuộc nhà sản xuất.")
        if errors:
            raise ValidationError(errors)


class Baseline(models.Model):
    """A producer's revenue before joining the pilot, one figure per calendar month."""

    producer = models.OneToOneField(
        "producers.ProducerPage",
        on_delete=models.CASCADE,
        related_name="revenue_baseline",
        verbose_name=_("nhà sản xuất"),
    )
    commune = models.ForeignKey(
        "showcase.CommuneHomePage",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phường/xã"),
    )
    reference_year = models.PositiveSmallIntegerField(
        _("năm đối chiếu"), help_text=_("Năm trước khi tham gia thí điểm, ví dụ 2020.")
    )
    joined_on = models.DateField(_("ngày tham gia thí điểm"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("doanh thu trước thí điểm")
        verbose_name_plural = pgettext_lazy("plural", "doanh thu trước thí điểm")

    def __str__(self):
        return f"{self.producer} ({self.reference_year})"


class BaselineMonth(models.Model):
    """The baseline revenue of one calendar month (1–12); a yearly figure is spread by month."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="months")
    # Copied from the baseline, so commune and province sums read one table.
    producer = models.ForeignKey(
        "producers.ProducerPage", on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey(
        "showcase.CommuneHomePage", on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveSmallIntegerField(_("tháng"))
    amount_vnd = models.PositiveBigIntegerField(
        _("doanh thu (đồng)"), validators=[MaxValueValidator(MAX_AMOUNT_VND)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["baseline", "month"], name="baseline_one_per_month"),
        ]
        indexes = [models.Index(fields=["commune", "month"], name="baseline_commune_month")]

    def __str__(self):
        return f"{self.baseline} {self.month:02d}: {self.amount_vnd} đ"


class RevenueMonth(models.Model):
    """Sales of one producer in one month through one channel in one category, summed."""

    commune = models.ForeignKey(
        "showcase.CommuneHomePage", on_delete=models.CASCADE, related_name="+"
    )
    producer = models.ForeignKey(
        "producers.ProducerPage", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()  # the first day of the month
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # The product category's id, 0 for none: a plain integer, so the unique key has no NULL.
    category_key = models.PositiveIntegerField(default=0)
    amount_vnd = models.BigIntegerField(default=0)
    sale_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "month", "channel", "category_key"],
                name="revenue_month_key",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "month"], name="revenue_month_commune"),
            models.Index(fields=["month", "commune"], name="revenue_month_month"),
        ]

    def __str__(self):
        return f"{self.producer_id} {self.month:%m/%Y} {self.channel}: {self.amount_vnd} đ"


MONTHS = range(1, 13)


def month_field(prefix: str, month: int) -> str:
    """The column of one calendar month in a yearly roll-up: ``month_field("m", 3)`` → "m03"."""
    return f"{prefix}{month:02d}"


def _month_columns(name: str, prefix: str, field, doc: str) -> type[models.Model]:
    """An abstract model with twelve columns ``<prefix>01`` … ``<prefix>12``, one per month."""
    attrs = {month_field(prefix, m): field() for m in MONTHS}
    attrs.update(
        __module__=__name__, __doc__=doc, Meta=type("Meta", (), {"abstract": True})
    )
    return type(name, (models.Model,), attrs)


AmountMonths = _month_columns(
    "AmountMonths", "m", lambda: models.BigIntegerField(default=0), "Đồng sold each month."
)
DigitalMonths = _month_columns(
    "DigitalMonths", "d", lambda: models.BigIntegerField(default=0),
    "Đồng sold each month through a digital channel.",
)
ChannelMonths = _month_columns(
    "ChannelMonths", "c", lambda: models.PositiveIntegerField(default=0),
    "The channels sold through each month, one bit a channel (``channel_bit``); 0: no sale.",
)
CountMonths = _month_columns(
    "CountMonths", "n", lambda: models.PositiveIntegerField(default=0), "Sales each month."
)

CHANNEL_ORDER = [channel.value for channel in Channel]


def channel_bit(channel: str) -> int:
    return 1 << CHANNEL_ORDER.index(channel)


DIGITAL_MASK = sum(channel_bit(channel) for channel in DIGITAL_CHANNELS)
OTHER_MASK = sum(channel_bit(channel) for channel in CHANNEL_ORDER) & ~DIGITAL_MASK


# The category key of the yearly rows that add up every category, which figures without a
# category filter read: a row per producer and year instead of one per category.
ALL_CATEGORIES = -1


class RevenueProducerYear(AmountMonths, DigitalMonths, ChannelMonths):
    """One producer's sales of one year in one category (and in ``ALL_CATEGORIES``): each
    month's đồng, digital đồng and channels. A row per producer and year is read by figures
    over many communes (and the distinct producers behind them): thousands of rows, not
    hundreds of thousands."""

    commune = models.ForeignKey(
        "showcase.CommuneHomePage", on_delete=models.CASCADE, related_name="+"
    )
    producer = models.ForeignKey(
        "producers.ProducerPage", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    # The category's id, 0 for none, ALL_CATEGORIES for the row of every category together.
    category_key = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "year", "commune", "category_key"],
                name="revenue_producer_year_key",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "year"], name="revenue_producer_year_commune"),
            models.Index(fields=["year", "commune"], name="revenue_producer_year_year"),
        ]

    def __str__(self):
        return f"{self.producer_id} {self.year} {self.category_key}"


class RevenueChannelYear(AmountMonths):
    """A commune's sales of one year through one channel in one category, per month: the
    channel table of figures over many communes. Updated by adding each write's difference,
    so concurrent writes of two producers of a commune add up."""

    commune = models.ForeignKey(
        "showcase.CommuneHomePage", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # As in RevenueProducerYear: ALL_CATEGORIES is the row of every category together.
    category_key = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "channel", "category_key"],
                name="revenue_channel_year_key",
            ),
        ]
        indexes = [models.Index(fields=["year", "commune"], name="revenue_channel_year_year")]

    def __str__(self):
        return f"{self.commune_id} {self.year} {self.channel}"


class RevenueProductYear(AmountMonths, CountMonths):
    """Sales of one product (listed, or by its free-text name) of one producer in one year,
    per month: đồng and number of sales."""

    commune = models.ForeignKey(
        "showcase.CommuneHomePage", on_delete=models.CASCADE, related_name="+"
    )
    producer = models.ForeignKey(
        "producers.ProducerPage", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    # "p<id>" for a listed product, "n:<name folded>" for free text.
    product_key = models.CharField(max_length=220)
    product = models.ForeignKey(
        "products.ProductPage", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    product_name = models.CharField(max_length=200)
    category_key = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "year", "commune", "product_key", "category_key"],
                name="revenue_product_year_key",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "year"], name="revenue_product_year_commune"),
            models.Index(fields=["year", "product_key"], name="revenue_product_year_year"),
        ]

    def __str__(self):
        return f"{self.producer_id} {self.year} {self.product_name}"

    def months(self) -> list[tuple[datetime.date, int, int]]:
        """(first day, đồng, sales) of each month with a sale."""
        return [
            (datetime.date(self.year, m, 1), getattr(self, month_field("m", m)),
             getattr(self, month_field("n", m)))
            for m in MONTHS
            if getattr(self, month_field("n", m))
        ]


# Every roll-up, rebuilt together by services.revenue_rollup_refresh.
ROLLUP_MODELS = (RevenueMonth, RevenueProducerYear, RevenueChannelYear, RevenueProductYear)
