"""Producers of a commune: farm households, cooperatives, cooperative groups and firms."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from commune_site import maps
from commune_site.choices import ChoiceLabelsMixin
from commune_site.page_tree import IndexedViewRestrictionsMixin, SubtreePageManager
from commune_site.sharing import (
    SCHEMA,
    SharingMixin,
    international_phone,
    plain_description,
    postal_address,
)
from commune_site.slugs import AsciiSlugMixin
from products.models import ProductPage
from products.selectors import product_cards

phone_validator = RegexValidator(
    r"^(\+84|0)[0-9]{8,10}$",
    _("Số điện thoại gồm 9–11 chữ số, bắt đầu bằng 0 hoặc +84, ví dụ 0912345678."),
)


class ProducerIndexPage(AsciiSlugMixin, SharingMixin, IndexedViewRestrictionsMixin, Page):
    """The list of a commune's producers."""

    objects = SubtreePageManager()

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["showcase.CommuneHomePage"]
    subpage_types = ["producers.ProducerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("danh sách nhà sản xuất")
        verbose_name_plural = pgettext_lazy("plural", "danh sách nhà sản xuất")

    def share_description(self, context):
        return self.intro

    def get_producers(self):
        return (
            ProducerPage.objects.child_of(self)
            .live()
            .select_related("image")
            .prefetch_related("image__renditions")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["producers"] = self.get_producers()
        return context


class ProducerPage(
    AsciiSlugMixin, ChoiceLabelsMixin, SharingMixin, IndexedViewRestrictionsMixin, Page
):
    """One producer. Its products are its child pages, so its accounts can be given that subtree."""

    objects = SubtreePageManager()
    # Loaded with the page when a URL is routed (commune_site.page_tree.TreeRouteMixin).
    route_select_related = ("image",)

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Hộ sản xuất")
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
        ENTERPRISE = "enterprise", _("Doanh nghiệp")

    kind = models.CharField(_("loại hình"), max_length=20, choices=Kind.choices)
    representative = models.CharField(_("người đại diện"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=15, validators=[phone_validator])
    zalo_phone = models.CharField(
        _("số Zalo"),
        max_length=15,
        blank=True,
        validators=[phone_validator],
        help_text=_("Để trống nếu trùng số điện thoại."),
    )
    address = models.CharField(
        _("địa chỉ"), max_length=255, help_text=_("Số nhà, ấp/khu phố. Phường/xã lấy theo xã.")
    )
    latitude = models.DecimalField(
        _("vĩ độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=maps.latitude_validators,
        help_text=maps.COORDINATES_HELP,
    )
    longitude = models.DecimalField(
        _("kinh độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=maps.longitude_validators,
    )
    summary = models.CharField(_("giới thiệu ngắn"), max_length=200, blank=True)
    story = RichTextField(
        _("câu chuyện"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("story"),
        index.SearchField("representative"),
        index.FilterField("kind"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("representative"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("zalo_phone")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Liên hệ"),
        ),
        FieldPanel("image"),
        InlinePanel("gallery", label=_("Ảnh khác"), max_num=12),
        FieldPanel("story"),
        InlinePanel("certifications", label=_("Chứng nhận")),
    ]

    parent_page_types = ["producers.ProducerIndexPage"]
    subpage_types = ["products.ProductPage"]

    class Meta:
        verbose_name = _("nhà sản xuất")
        verbose_name_plural = pgettext_lazy("plural", "nhà sản xuất")

    @property
    def zalo_number(self):
        return self.zalo_phone or self.phone

    @property
    def zalo_url(self):
        number = self.zalo_number
        if number.startswith("+84"):
            number = "0" + number[3:]
        return f"https://zalo.me/{number}"

    @property
    def directions_url(self):
        """The phone's map app, on the way to the producer ("Chỉ đường"); "" without coordinates."""
        return maps.directions_url(self.latitude, self.longitude)

    def clean(self):
        super().clean()
        errors = maps.coordinates_errors(self.latitude, self.longitude)
        if errors:
            raise ValidationError(errors)

    @property
    def commune(self):
        return self.get_parent().get_parent().specific

    def get_products(self):
        return ProductPage.objects.child_of(self).live().order_by("title")

    og_type = "business.business"

    def share_description(self, context):
        commune = context["commune"]
        return plain_description(
            self.summary,
            f"{self.get_kind_display()} · {self.address}, {commune.official_name}, "
            + _("tỉnh %(name)s") % {"name": commune.province_name}
            + ".",
        )

    def share_image(self, context):
        return self.image

    def share_og_extra(self, context):
        """Facebook's business tags: where the producer is, so the preview can say it."""
        commune = context["commune"]
        extra = [
            ("business:contact_data:street_address", self.address),
            ("business:contact_data:locality", commune.official_name),
            ("business:contact_data:region", commune.province_name),
            ("business:contact_data:country_name", "Việt Nam"),
            ("business:contact_data:phone_number", international_phone(self.phone)),
        ]
        if self.latitude is not None and self.longitude is not None:
            extra += [
                ("place:location:latitude", f"{self.latitude:f}"),
                ("place:location:longitude", f"{self.longitude:f}"),
            ]
        return extra

    def share_structured_data(self, context, meta):
        """schema.org LocalBusiness: name, address, telephone, place on the map, certificates."""
        commune = context["commune"]
        business = {
            "@context": SCHEMA,
            "@type": "LocalBusiness",
            "name": self.title,
            "url": meta.url,
            "description": meta.description,
            "telephone": international_phone(self.phone),
            "address": postal_address(self.address, commune),
        }
        if meta.image:
            business["image"] = meta.image.url
        if self.latitude is not None and self.longitude is not None:
            business["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
            business["hasMap"] = self.directions_url
        certificates = [
            item.certification_data() for item in context.get("certifications") or ()
        ]
        if certificates:
            business["hasCertification"] = certificates
        return [business]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["commune"] = self.commune
        context["products"] = product_cards(self.get_products())
        context["gallery"] = self.gallery.select_related("image").prefetch_related(
            "image__renditions"
        )
        context["certifications"] = self.certifications.select_related("certification")
        return context


class ProducerPhoto(Orderable):
    """One more photo of a producer: the farm, the workshop, the team."""

    page = ParentalKey(ProducerPage, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("ảnh")
    )
    caption = models.CharField(_("chú thích"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProducerCertification(Orderable):
    """A certificate the producer as a whole holds (e.g. a farm's VietGAP area code)."""

    page = ParentalKey(ProducerPage, on_delete=models.CASCADE, related_name="certifications")
    certification = models.ForeignKey(
        "products.Certification",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chứng nhận"),
    )
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=60, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True)

    panels = [
        FieldPanel("certification"),
        FieldRowPanel([FieldPanel("certificate_number"), FieldPanel("expires_on")]),
    ]

    def certification_data(self) -> dict:
        """schema.org Certification of this certificate."""
        return self.certification.schema_org(
            number=self.certificate_number, expires_on=self.expires_on
        )


def normalise_phone(raw: str) -> str:
    """A Vietnamese phone number in its login form: digits only, leading 0 (0912345601).

    "+84 912 345 601", "84912345601" and "0912.345.601" all become "0912345601".
    """
    digits = "".join(ch for ch in (raw or "") if ch.isdigit())
    if (raw or "").strip().startswith("+84") or (digits.startswith("84") and len(digits) >= 11):
        digits = "0" + digits[2:]
    return digits


class ProducerAccount(models.Model):
    """A login tied to one producer; a cooperative may have several, a user belongs to one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="producer_account",
        verbose_name=_("người dùng"),
    )
    producer = models.ForeignKey(
        ProducerPage,
        on_delete=models.CASCADE,
        related_name="accounts",
        verbose_name=_("nhà sản xuất"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài khoản nhà sản xuất")
        verbose_name_plural = pgettext_lazy("plural", "tài khoản nhà sản xuất")
        ordering = ["producer__title", "user__username"]

    def __str__(self):
        return f"{self.user.username} — {self.producer.title}"

    @property
    def phone(self) -> str:
        """The login phone number, which is the username."""
        return self.user.username

    @property
    def full_name(self) -> str:
        return self.user.get_full_name()

    @property
    def is_active(self) -> bool:
        """Mirrors the user: deactivating the account deactivates the login."""
        return self.user.is_active


# Revenue tracking's models live in their sub-package; importing them here registers them.
from .revenue.models import (  # noqa: E402
    Baseline,
    BaselineMonth,
    RevenueChannelYear,
    RevenueMonth,
    RevenueProducerYear,
    RevenueProductYear,
    Sale,
)

__all__ = [
    "Baseline",
    "BaselineMonth",
    "ProducerAccount",
    "ProducerCertification",
    "ProducerIndexPage",
    "ProducerPage",
    "ProducerPhoto",
    "RevenueChannelYear",
    "RevenueMonth",
    "RevenueProducerYear",
    "RevenueProductYear",
    "Sale",
    "normalise_phone",
    "phone_validator",
]
