"""Snippets shared by every commune: product categories and certification types."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
)


class ProductCategory(models.Model):
    """A kind of product shared by all communes, e.g. "Trái cây" or "Đặc sản chế biến"."""

    name = models.CharField(_("tên"), max_length=80, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("danh mục sản phẩm")
        verbose_name_plural = pgettext_lazy("plural", "danh mục sản phẩm")

    def __str__(self):
        return self.name


class Certification(models.Model):
    """A certification scheme a product or producer can hold: VietGAP, organic, a GI…"""

    class Kind(models.TextChoices):
        GAP = "gap", _("Thực hành nông nghiệp tốt (GAP)")
        ORGANIC = "organic", _("Hữu cơ")
        GEOGRAPHICAL_INDICATION = "gi", _("Chỉ dẫn địa lý")
        FOOD_SAFETY = "food_safety", _("An toàn thực phẩm")
        QUALITY = "quality", _("Hệ thống quản lý chất lượng")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên"), max_length=120, unique=True)
    short_name = models.CharField(_("tên viết tắt"), max_length=30, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    issuing_body = models.CharField(_("cơ quan cấp"), max_length=200, blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("issuing_body"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("chứng nhận")
        verbose_name_plural = pgettext_lazy("plural", "chứng nhận")

    def __str__(self):
        return self.short_name or self.name

    def schema_org(self, *, number="", issued_on=None, expires_on=None) -> dict:
        """A schema.org Certification of this scheme, for a product's or producer's JSON-LD."""
        data = {"@type": "Certification", "name": self.name}
        if self.short_name:
            data["alternateName"] = self.short_name
        if self.issuing_body:
            data["issuedBy"] = {"@type": "Organization", "name": self.issuing_body}
        return data | certificate_dates(number=number, issued_on=issued_on, expires_on=expires_on)


def certificate_dates(*, number="", issued_on=None, expires_on=None) -> dict:
    """schema.org Certification fields of one certificate: number, validity and status."""
    data = {}
    if number:
        data["certificationIdentification"] = number
    if issued_on:
        data["validFrom"] = issued_on.isoformat()
    if expires_on:
        data["expires"] = expires_on.isoformat()
        active = expires_on >= timezone.localdate()
        data["certificationStatus"] = (
            "https://schema.org/CertificationActive"
            if active
            else "https://schema.org/CertificationInactive"
        )
    return data
