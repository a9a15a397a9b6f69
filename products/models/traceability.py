"""Batches (lô hàng) of a product and scans of its printed codes."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import gs1
from .catalogue import Certification
from .pages import ProductPage
from .short_codes import ShortCode


class Batch(models.Model):
    """A lot (lô hàng) of a product: dates, quantity and origin, with its own short code."""

    product = models.ForeignKey(
        ProductPage, on_delete=models.CASCADE, related_name="batches", verbose_name=_("sản phẩm")
    )
    lot_code = models.CharField(
        _("mã lô"),
        max_length=20,
        validators=[
            RegexValidator(
                gs1.LOT_PATTERN,
                _(
                    "Mã lô gồm tối đa 20 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc "
                    "gạch dưới, bắt đầu bằng chữ hoặc số."
                ),
            )
        ],
    )
    produced_on = models.DateField(_("ngày thu hoạch / sản xuất"))
    expires_on = models.DateField(_("hạn sử dụng"), null=True, blank=True)
    quantity = models.DecimalField(
        _("số lượng"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("đơn vị"), max_length=10, choices=ProductPage.Unit.choices, default=ProductPage.Unit.KG
    )
    growing_area_code = models.CharField(_("mã số vùng trồng / cơ sở"), max_length=60, blank=True)
    certifications = models.ManyToManyField(
        Certification, blank=True, related_name="+", verbose_name=_("tiêu chuẩn áp dụng")
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    short_code = models.CharField(
        _("mã rút gọn"), max_length=8, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        ordering = ["-produced_on", "lot_code"]
        verbose_name = _("lô hàng")
        verbose_name_plural = pgettext_lazy("plural", "lô hàng")
        constraints = [
            models.UniqueConstraint(
                "product", Lower("lot_code"), name="products_batch_lot_unique_per_product"
            )
        ]

    def __str__(self):
        return f"{self.product.title} — {self.lot_code}"

    def save(self, *args, **kwargs):
        issued = None
        if not self.short_code:
            issued = ShortCode.allocate()
            self.short_code = issued.code
        super().save(*args, **kwargs)
        if issued:
            ShortCode.attach(issued.code, product=self.product, batch=self)

    def clean(self):
        super().clean()
        if self.expires_on and self.produced_on and self.expires_on < self.produced_on:
            raise ValidationError({"expires_on": _("Hạn sử dụng phải sau ngày sản xuất.")})
        if (
            self.product_id
            and self.lot_code
            and Batch.objects.filter(product_id=self.product_id, lot_code__iexact=self.lot_code)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"lot_code": _("Sản phẩm này đã có lô mang mã này.")})


class Scan(models.Model):
    """One scan of a printed code through /q/: when, what and on which kind of device, no more."""

    class Device(models.TextChoices):
        MOBILE = "mobile", _("điện thoại")
        TABLET = "tablet", _("máy tính bảng")
        DESKTOP = "desktop", _("máy tính")
        UNKNOWN = "unknown", _("không rõ")

    class InApp(models.TextChoices):
        ZALO = "zalo", "Zalo"
        FACEBOOK = "facebook", "Facebook"
        MESSENGER = "messenger", "Messenger"
        OTHER = "other", _("ứng dụng khác")
        NONE = "none", _("trình duyệt")

    scanned_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    product = models.ForeignKey(
        ProductPage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="scans",
        verbose_name=_("sản phẩm"),
    )
    batch = models.ForeignKey(
        Batch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scans",
        verbose_name=_("lô hàng"),
    )
    device = models.CharField(_("thiết bị"), max_length=10, choices=Device.choices)
    in_app = models.CharField(_("mở trong ứng dụng"), max_length=10, choices=InApp.choices)

    class Meta:
        verbose_name = _("lượt quét")
        verbose_name_plural = pgettext_lazy("plural", "lượt quét")
        indexes = [
            models.Index(fields=["product", "scanned_at"], name="products_scan_product_time")
        ]

    def __str__(self):
        return f"{self.product_id} @ {self.scanned_at:%Y-%m-%d %H:%M}"
