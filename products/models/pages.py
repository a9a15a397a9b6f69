"""Product pages and the commune's product index."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from commune_site.choices import ChoiceLabelsMixin
from commune_site.page_tree import (
    IndexedViewRestrictionsMixin,
    SubtreePageManager,
    cluster_rows,
    specific_page,
    subtree_q,
)
from commune_site.prepared import PreparedQuery
from commune_site.sharing import SharingMixin
from commune_site.slugs import AsciiSlugMixin

from .. import gs1, qr
from ..blocks import DescriptionBlock, WhereToBuyBlock
from ..fields import MonthSetField
from ..panels import MissingPhotoPanel, QRCodePanel
from ..search import fold
from ..sharing import ProductSharingMixin
from ..templatetags.products_tags import vnd
from .catalogue import Certification, ProductCategory
from .short_codes import ShortCode

OCOP_VALIDITY_MONTHS = 36
# Empty means "giá liên hệ"; 0 would show buyers "0 ₫", as if the product were free.
ZERO_PRICE_MESSAGE = _(
    "Giá phải lớn hơn 0 đồng. Nếu chưa có giá, hãy để trống: trang sẽ ghi “Giá liên hệ”."
)


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=last_day)
        except ValueError:
            continue
    raise ValueError(day)


class ProductPage(
    AsciiSlugMixin,
    ChoiceLabelsMixin,
    ProductSharingMixin,
    IndexedViewRestrictionsMixin,
    RoutablePageMixin,
    Page,
):
    """A key product of a commune, published under the producer who makes it."""

    objects = SubtreePageManager()
    # Loaded with the page when a URL is routed (commune_site.page_tree.TreeRouteMixin).
    route_select_related = ("image", "category")

    class Unit(models.TextChoices):
        KG = "kg", _("kg")
        BOX = "hop", _("hộp")
        BOTTLE = "chai", _("chai")
        BAG = "tui", _("túi")
        PIECE = "cai", _("cái")
        FRUIT = "trai", _("trái")
        BUNCH = "bo", _("bó")
        PACK = "goi", _("gói")
        LITRE = "lit", _("lít")
        JAR = "hu", _("hũ")

    class OcopStars(models.IntegerChoices):
        THREE = 3, _("3 sao")
        FOUR = 4, _("4 sao")
        FIVE = 5, _("5 sao")

    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("danh mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    summary = models.CharField(
        _("giới thiệu ngắn"),
        max_length=200,
        blank=True,
        help_text=_("Một câu hiện trong danh sách và khi chia sẻ qua Zalo, Facebook."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh chính"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = StreamField(DescriptionBlock(), blank=True, verbose_name=_("mô tả"))

    price_vnd = models.PositiveBigIntegerField(
        _("giá (đồng)"),
        null=True,
        blank=True,
        help_text=_("Số nguyên, đơn vị đồng. Để trống nếu giá liên hệ."),
    )
    price_unit = models.CharField(
        _("đơn vị tính"), max_length=10, choices=Unit.choices, default=Unit.KG
    )
    in_stock = models.BooleanField(_("còn hàng"), default=True)
    season_months = MonthSetField(
        _("mùa vụ"), help_text=_("Các tháng có hàng. Để trống nếu có quanh năm.")
    )
    harvest_note = models.CharField(
        _("ghi chú mùa vụ"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: thu hoạch rộ tháng 5–8, có hàng nghịch vụ nhờ thắp đèn."),
    )

    ocop_stars = models.PositiveSmallIntegerField(
        _("hạng OCOP"), choices=OcopStars.choices, null=True, blank=True
    )
    ocop_certificate_number = models.CharField(
        _("số giấy chứng nhận OCOP"), max_length=60, blank=True
    )
    ocop_issued_on = models.DateField(_("ngày cấp OCOP"), null=True, blank=True)
    ocop_expires_on = models.DateField(
        _("ngày hết hạn OCOP"),
        null=True,
        blank=True,
        help_text=_("Để trống: tự tính 36 tháng kể từ ngày cấp."),
    )

    where_to_buy = StreamField(WhereToBuyBlock(), blank=True, verbose_name=_("nơi mua"))

    short_code = models.CharField(
        _("mã rút gọn"), max_length=8, unique=True, null=True, blank=True, editable=False
    )
    gtin = models.CharField(
        "GTIN",
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Mã số mã vạch GS1 (8, 12, 13 hoặc 14 chữ số), nếu sản phẩm có."),
    )

    # A copy or an alias is another product: it gets its own code, and a GTIN stays unique.
    exclude_fields_in_copy = ["short_code", "gtin"]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("folded_search_text"),
        index.FilterField("in_stock"),
        index.FilterField("category"),
        index.RelatedFields("category", [index.SearchField("name")]),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("category"),
        FieldPanel("summary"),
        MissingPhotoPanel(),
        FieldPanel("image"),
        InlinePanel("gallery", label=_("Ảnh khác"), max_num=12),
        FieldPanel("description"),
    ]
    sales_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("price_vnd"), FieldPanel("price_unit")]),
                FieldPanel("in_stock"),
            ],
            heading=_("Giá và tình trạng"),
        ),
        MultiFieldPanel(
            [FieldPanel("season_months"), FieldPanel("harvest_note")], heading=_("Mùa vụ")
        ),
        FieldPanel("where_to_buy"),
    ]
    certification_panels = [
        MultiFieldPanel(
            [
                FieldPanel("ocop_stars"),
                FieldPanel("ocop_certificate_number"),
                FieldRowPanel([FieldPanel("ocop_issued_on"), FieldPanel("ocop_expires_on")]),
            ],
            heading="OCOP",
        ),
        InlinePanel("certifications", label=_("Chứng nhận khác")),
        FieldPanel("gtin"),
    ]
    qr_panels = [QRCodePanel(heading=_("Mã QR và lượt quét"))]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Nội dung")),
            ObjectList(sales_panels, heading=_("Giá và nơi bán")),
            ObjectList(certification_panels, heading=_("Chứng nhận")),
            ObjectList(qr_panels, heading=_("Mã QR")),
            ObjectList(Page.promote_panels, heading=_("Quảng bá")),
            ObjectList(Page.settings_panels, heading=_("Cài đặt")),
        ]
    )

    parent_page_types = ["producers.ProducerPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("sản phẩm")
        verbose_name_plural = pgettext_lazy("plural", "sản phẩm")

    def clean(self):
        super().clean()
        if self.price_vnd == 0:
            raise ValidationError({"price_vnd": ZERO_PRICE_MESSAGE})
        if self.ocop_stars:
            missing = {}
            if not self.ocop_certificate_number:
                missing["ocop_certificate_number"] = _("Nhập số giấy chứng nhận OCOP.")
            if not self.ocop_issued_on:
                missing["ocop_issued_on"] = _("Nhập ngày cấp OCOP.")
            if missing:
                raise ValidationError(missing)
        if self.ocop_issued_on and not self.ocop_expires_on:
            self.ocop_expires_on = add_months(self.ocop_issued_on, OCOP_VALIDITY_MONTHS)
        if (
            self.ocop_issued_on
            and self.ocop_expires_on
            and self.ocop_expires_on <= self.ocop_issued_on
        ):
            raise ValidationError({"ocop_expires_on": _("Ngày hết hạn phải sau ngày cấp.")})
        if self.gtin:
            try:
                self.gtin = gs1.normalise_gtin(self.gtin)
            except gs1.GtinError as error:
                raise ValidationError({"gtin": str(error)}) from error
        else:
            self.gtin = None

    def save(self, *args, **kwargs):
        issued = None
        if not self.short_code:
            issued = ShortCode.allocate()
            self.short_code = issued.code
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "short_code"}
        result = super().save(*args, **kwargs)
        if issued:
            ShortCode.attach(issued.code, product=self)
        return result

    def with_content_json(self, content):
        # Revisions made before the code existed (or copied from another page) must not
        # bring back an empty or foreign code when they are published.
        obj = super().with_content_json(content)
        obj.short_code = self.short_code
        return obj

    @path("lo/<str:lot>/", name="batch")
    def batch_view(self, request, lot):
        """The public page of one batch (lô hàng) of this product."""
        if not gs1.is_valid_lot(lot):
            raise Http404  # no batch has such a code; NUL would reach PostgreSQL as an error
        batch = get_object_or_404(
            self.batches.prefetch_related("certifications"), lot_code__iexact=lot
        )
        context = self.get_context(request)
        context["batch"] = batch
        context["batch_short_link"] = qr.short_link(batch, request)
        response = TemplateResponse(request, "products/batch_page.html", context)
        # Batches are edited outside the page workflow, so no publish clears a cached copy:
        # traceability data is served fresh (the page cache skips no-cache responses).
        response["Cache-Control"] = "no-cache"
        return response

    def batch_url(self, batch, request=None) -> str:
        return self.get_full_url(request) + self.reverse_subpage("batch", args=[batch.lot_code])

    def can_move_to(self, parent):
        """A product may only move to a producer of the same commune (its site)."""
        commune_path = self.path[: 2 * self.steplen]
        return super().can_move_to(parent) and parent.path.startswith(commune_path)

    def folded_search_text(self):
        """Name, summary, category and producer without diacritics, for the search index."""
        parent = self.get_parent()
        parts = [self.title, self.summary, self.category.name if self.category else ""]
        return fold(" ".join(parts + [parent.title if parent else ""]))

    @property
    def price_on_request(self):
        return self.price_vnd is None

    @property
    def ocop_is_valid(self):
        if not self.ocop_stars:
            return False
        today = timezone.localdate()
        return self.ocop_expires_on is None or self.ocop_expires_on >= today

    @property
    def in_season_now(self):
        return not self.season_months or timezone.localdate().month in self.season_months

    @cached_property
    def producer(self):
        return specific_page(self.get_parent())

    @property
    def price_label(self) -> str:
        """ "35.000 ₫ / kg", or "" when the price is on request."""
        if self.price_on_request:
            return ""
        return f"{vnd(self.price_vnd)} / {self.get_price_unit_display()}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        producer = self.producer
        context["producer"] = producer
        context["commune"] = producer.get_parent().get_parent().specific
        context["gallery"] = cluster_rows(self, "gallery", GALLERY)
        context["certifications"] = cluster_rows(self, "certifications", CERTIFICATIONS)
        if self.short_code:
            context["short_link"] = qr.short_link(self, request)
        return context


class ProductPhoto(Orderable):
    """One more photo of a product, after the main one."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="gallery")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("ảnh")
    )
    caption = models.CharField(_("chú thích"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductCertification(Orderable):
    """A certificate a product holds, with its number and validity."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="certifications")
    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="+", verbose_name=_("chứng nhận")
    )
    certificate_number = models.CharField(_("số giấy chứng nhận"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True)

    panels = [
        FieldPanel("certification"),
        FieldPanel("certificate_number"),
        FieldRowPanel([FieldPanel("issued_on"), FieldPanel("expires_on")]),
    ]

    @property
    def is_valid(self):
        return self.expires_on is None or self.expires_on >= timezone.localdate()

    def certification_data(self) -> dict:
        """schema.org Certification of this certificate."""
        return self.certification.schema_org(
            number=self.certificate_number, issued_on=self.issued_on, expires_on=self.expires_on
        )


GALLERY = PreparedQuery(
    lambda page_id: ProductPhoto.objects.filter(page_id=page_id)
    .select_related("image")
    .prefetch_related("image__renditions")
)
CERTIFICATIONS = PreparedQuery(
    lambda page_id: ProductCertification.objects.filter(page_id=page_id).select_related(
        "certification"
    )
)


class ProductIndexPage(AsciiSlugMixin, SharingMixin, IndexedViewRestrictionsMixin, Page):
    """All products of one commune, with the product filters (products/filters.py), 12 a page."""

    objects = SubtreePageManager()

    intro = models.TextField(_("giới thiệu"), blank=True)
    per_page = 12

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["showcase.CommuneHomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("danh sách sản phẩm")
        verbose_name_plural = pgettext_lazy("plural", "danh sách sản phẩm")

    def share_description(self, context):
        return self.intro

    def share_url(self, context):
        # Page 2 onwards lists other products: its own address. A filtered list is the same
        # list narrowed down, so it names the whole list.
        page = context.get("products_page")
        url = super().share_url(context)
        return f"{url}?trang={page.number}" if page is not None and page.number > 1 else url

    def get_products(self):
        """Products a buyer may see anywhere in this index's commune (live, not private)."""
        from ..selectors import listable_products

        commune_path = self.path[: -self.steplen]
        return listable_products().filter(subtree_q(commune_path))

    def get_context(self, request, *args, **kwargs):
        from ..filters import CountedPaginator, filter_products
        from ..selectors import product_cards

        context = super().get_context(request, *args, **kwargs)
        filters = filter_products(self.get_products(), request.GET)
        paginator = CountedPaginator(
            filters.products.order_by("title", "pk"), self.per_page, count=filters.count
        )
        page = paginator.get_page(request.GET.get("trang"))
        context.update(
            filters=filters,
            products_page=page,
            products=product_cards(page.object_list),
        )
        return context
