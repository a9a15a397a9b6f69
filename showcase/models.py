"""The province showcase and each commune's home page: the roots of the sites."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from commune_site.page_tree import (
    IndexedViewRestrictionsMixin,
    SubtreePageManager,
    TreeRouteMixin,
)
from commune_site.sharing import SCHEMA, SharingMixin, international_phone, postal_address
from commune_site.slugs import AsciiSlugMixin
from producers.models import ProducerIndexPage, ProducerPage, phone_validator
from products.models import ProductIndexPage, ProductPage
from products.selectors import featured_product_cards, featured_product_ids, live_products_in

FEATURED_LIMIT = 8


def website_data(meta) -> dict:
    """schema.org WebSite of a home page: the site's name and address."""
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": meta.site_name or meta.title,
        "url": meta.url,
        "inLanguage": "vi",
    }


class ShowcaseHomePage(
    AsciiSlugMixin, SharingMixin, TreeRouteMixin, IndexedViewRestrictionsMixin, Page
):
    """The province showcase: every commune site and products featured across them."""

    objects = SubtreePageManager()

    intro = models.TextField(_("giới thiệu"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh bìa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        InlinePanel("featured_products", label=_("Sản phẩm nổi bật"), max_num=FEATURED_LIMIT),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("trang giới thiệu của tỉnh")
        verbose_name_plural = pgettext_lazy("plural", "trang giới thiệu của tỉnh")

    def get_communes(self):
        """Live commune home pages with their number of live products, in two queries."""
        communes = list(
            CommuneHomePage.objects.live()
            .select_related("hero_image")
            .prefetch_related("hero_image__renditions")
            .order_by("title")
        )
        prefix_length = CommuneHomePage.steplen * 2
        counts = dict(
            ProductPage.objects.live()
            .order_by()  # Page's default ordering would join the GROUP BY and count 1 each
            .annotate(commune_path=Substr("path", 1, prefix_length))
            .values_list("commune_path")
            .annotate(count=Count("id"))
            .values_list("commune_path", "count")
        )
        for commune in communes:
            commune.product_count = counts.get(commune.path, 0)
        return communes

    def get_featured_products(self):
        chosen = [item.product_id for item in self.featured_products.all()]
        return featured_product_cards(ProductPage.objects.live(), chosen, FEATURED_LIMIT)

    def share_description(self, context):
        return self.intro

    def share_image(self, context):
        return self.hero_image

    def share_structured_data(self, context, meta):
        return [website_data(meta)]

    def featured_product_ids(self):
        """Ids of the products this page shows as cards (the page cache asks, at an edit)."""
        chosen = [item.product_id for item in self.featured_products.all()]
        return featured_product_ids(ProductPage.objects.live(), chosen, FEATURED_LIMIT)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communes"] = self.get_communes()
        context["featured_products"] = self.get_featured_products()
        return context


class CommuneHomePage(
    AsciiSlugMixin, SharingMixin, TreeRouteMixin, IndexedViewRestrictionsMixin, Page
):
    """The home page and root of one commune's site, tied to an official ward or commune."""

    objects = SubtreePageManager()

    ward_code = models.PositiveIntegerField(
        _("mã phường/xã"),
        unique=True,
        help_text=_("Mã đơn vị hành chính chính thức sau sắp xếp năm 2025."),
    )
    official_name = models.CharField(
        _("tên đơn vị hành chính"), max_length=120, help_text=_("Ví dụ: Phường Tân An")
    )
    province_code = models.PositiveSmallIntegerField(_("mã tỉnh"))
    province_name = models.CharField(_("tỉnh"), max_length=80)
    former_units = models.CharField(
        _("tên cũ"),
        max_length=255,
        blank=True,
        help_text=_("Các phường/xã trước khi sáp nhập, ví dụ: Phường 1, Phường 3, xã Bình Tâm."),
    )
    former_district = models.CharField(
        _("huyện/thành phố cũ"), max_length=120, blank=True, help_text=_("Ví dụ: huyện Cần Giuộc")
    )
    former_province = models.CharField(
        _("tỉnh cũ"), max_length=80, blank=True, help_text=_("Ví dụ: Long An")
    )

    introduction = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh bìa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    committee_address = models.CharField(_("địa chỉ UBND"), max_length=255, blank=True)
    committee_phone = models.CharField(
        _("điện thoại UBND"), max_length=15, blank=True, validators=[phone_validator]
    )
    committee_email = models.EmailField(_("thư điện tử UBND"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("ward_code", read_only=True),
                FieldPanel("official_name", read_only=True),
                FieldPanel("province_name", read_only=True),
                FieldPanel("former_units"),
                FieldPanel("former_district"),
                FieldPanel("former_province"),
            ],
            heading=_("Đơn vị hành chính"),
        ),
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        InlinePanel("featured_products", label=_("Sản phẩm nổi bật"), max_num=FEATURED_LIMIT),
        MultiFieldPanel(
            [
                FieldPanel("committee_address"),
                FieldPanel("committee_phone"),
                FieldPanel("committee_email"),
            ],
            heading=_("Liên hệ Ủy ban nhân dân"),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["producers.ProducerIndexPage", "products.ProductIndexPage"]

    class Meta:
        verbose_name = _("trang chủ phường/xã")
        verbose_name_plural = pgettext_lazy("plural", "trang chủ phường/xã")

    @property
    def former_label(self):
        """ "trước đây: Phường 1, Phường 3 — thành phố Tân An, tỉnh Long An"."""
        place = ", ".join(
            part
            for part in (
                self.former_district,
                self.former_province and _("tỉnh %(name)s") % {"name": self.former_province},
            )
            if part
        )
        if not (self.former_units or place):
            return ""
        return " — ".join(part for part in (self.former_units, place) if part)

    def clean(self):
        super().clean()
        for item in self.featured_products.all():
            product = item.product
            if product and self.pk and not product.path.startswith(self.path):
                raise ValidationError(
                    _("Sản phẩm nổi bật “%(title)s” không thuộc phường/xã này.")
                    % {"title": product.title}
                )

    def share_description(self, context):
        return self.introduction or _(
            "Sản phẩm chủ lực, OCOP và nhà sản xuất của %(name)s, tỉnh %(province)s."
        ) % {"name": self.official_name, "province": self.province_name}

    def share_image(self, context):
        return self.hero_image

    def share_structured_data(self, context, meta):
        """The site, and the commune's People's Committee with its address and telephone."""
        committee = {
            "@context": SCHEMA,
            "@type": "GovernmentOrganization",
            "name": _("Ủy ban nhân dân %(name)s") % {"name": self.official_name},
            "url": meta.url,
            "address": postal_address(self.committee_address, self),
        }
        if self.committee_phone:
            committee["telephone"] = international_phone(self.committee_phone)
        if self.committee_email:
            committee["email"] = self.committee_email
        return [website_data(meta), committee]

    def featured_product_ids(self):
        """Ids of the products this page shows as cards (the page cache asks, at an edit)."""
        chosen = [item.product_id for item in self.featured_products.all()]
        return featured_product_ids(live_products_in(self), chosen, FEATURED_LIMIT)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        products = live_products_in(self)
        chosen = [item.product_id for item in self.featured_products.all()]
        featured = featured_product_cards(products, chosen, FEATURED_LIMIT)
        context.update(
            featured_products=featured,
            product_count=products.count(),
            product_index=ProductIndexPage.objects.child_of(self).live().first(),
            producer_index=ProducerIndexPage.objects.child_of(self).live().first(),
            producer_count=ProducerPage.objects.live().descendant_of(self).count(),
        )
        return context


class ShowcaseFeaturedProduct(Orderable):
    page = ParentalKey(ShowcaseHomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "products.ProductPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sản phẩm"),
    )

    panels = [PageChooserPanel("product")]


class CommuneFeaturedProduct(Orderable):
    page = ParentalKey(CommuneHomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "products.ProductPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sản phẩm"),
    )

    panels = [PageChooserPanel("product")]
