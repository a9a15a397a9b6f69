"""What a product page tells link previews and search engines (see commune_site/sharing.py).

Open Graph with the price in the title, and schema.org ``Product`` with its offer in đồng,
availability from stock and season, the producer as brand and manufacturer, photos and
certificates (OCOP with its stars).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commune_site.sharing import (
    SCHEMA,
    SharingMixin,
    breadcrumb_list,
    plain_description,
    postal_address,
    shared_image,
)

from .models.catalogue import certificate_dates


class ProductSharingMixin(SharingMixin):
    """SharingMixin's hooks for ProductPage (and its batch pages)."""

    @property
    def availability(self) -> str:
        """schema.org availability: in stock and in season, or out of stock."""
        if self.in_stock and self.in_season_now:
            return "https://schema.org/InStock"
        return "https://schema.org/OutOfStock"

    def next_season_start(self):
        """The first day of the next month in season, when out of season now; else None."""
        if not self.season_months or self.in_season_now:
            return None
        today = timezone.localdate()
        for ahead in range(1, 13):
            year, month = divmod(today.month - 1 + ahead, 12)
            if month + 1 in self.season_months:
                return today.replace(year=today.year + year, month=month + 1, day=1)
        return None

    # --- Sharing: meta description, Open Graph, schema.org (commune_site/sharing.py) -----

    og_type = "product"

    def share_title(self, context):
        title = super().share_title(context)
        if "batch" in context:
            title = _("%(product)s — lô %(lot)s") % {
                "product": title,
                "lot": context["batch"].lot_code,
            }
        # The price in the title: a chat preview shows the title, not always the description.
        return f"{title} · {self.price_label}" if self.price_label else title

    def share_description(self, context):
        producer, commune = context["producer"], context["commune"]
        ocop = _("OCOP %(stars)s sao.") % {"stars": self.ocop_stars} if self.ocop_is_valid else ""
        made_by = _("Sản xuất bởi %(producer)s, %(commune)s, tỉnh %(province)s.") % {
            "producer": producer.title,
            "commune": commune.official_name,
            "province": commune.province_name,
        }
        price = self.price_label or _("Giá liên hệ")
        return plain_description(self.summary, f"{price}.", ocop, made_by)

    def share_image(self, context):
        return self.image or context["producer"].image

    def share_og_extra(self, context):
        if self.price_on_request:
            return []
        return [
            ("product:price:amount", str(self.price_vnd)),
            ("product:price:currency", "VND"),
            (
                "product:availability",
                "in stock" if self.availability.endswith("InStock") else "out of stock",
            ),
        ]

    def share_url(self, context):
        # A batch's page (a route of this page) is an address of its own.
        if "batch" in context:
            return self.batch_url(context["batch"], context["request"])
        return super().share_url(context)

    def share_breadcrumbs(self, context):
        batch = context.get("batch")
        if batch is None:
            return super().share_breadcrumbs(context)
        lot = (_("Lô %(lot)s") % {"lot": batch.lot_code}, self.share_url(context))
        return breadcrumb_list(self, context["request"], extra=[lot])

    def share_structured_data(self, context, meta):
        """schema.org Product: offer in đồng, availability, producer, photos, certificates."""
        if "batch" in context:
            return []
        producer, commune = context["producer"], context["commune"]
        producer_url = producer.get_full_url(context["request"])
        images = [meta.image.url] if meta.image and self.image else []
        for photo in context.get("gallery") or ():
            images.append(shared_image(photo.image, base_url=meta.url).url)
        offer = {
            "@type": "Offer",
            "url": meta.url,
            "priceCurrency": "VND",
            "availability": self.availability,
            "seller": {"@type": "Organization", "name": producer.title, "url": producer_url},
            "areaServed": "VN",
        }
        if not self.price_on_request:
            offer["price"] = self.price_vnd
            offer["priceSpecification"] = {
                "@type": "UnitPriceSpecification",
                "price": self.price_vnd,
                "priceCurrency": "VND",
                "unitText": self.get_price_unit_display(),
            }
        season_start = self.next_season_start() if self.in_stock else None
        if season_start:
            offer["availabilityStarts"] = season_start.isoformat()
        product = {
            "@context": SCHEMA,
            "@type": "Product",
            "name": self.title,
            "description": meta.description,
            "url": meta.url,
            "brand": {"@type": "Brand", "name": producer.title},
            "manufacturer": {
                "@type": "Organization",
                "name": producer.title,
                "url": producer_url,
                "address": postal_address(producer.address, commune),
            },
            "countryOfOrigin": {"@type": "Country", "name": "VN"},
            "offers": offer,
        }
        if images:
            product["image"] = images
        if self.short_code:
            product["sku"] = self.short_code
        if self.gtin:
            product["gtin"] = self.gtin
        if self.category_id:
            product["category"] = self.category.name
        certificates = []
        if self.ocop_stars:
            certificates.append(self.ocop_certification_data())
            if self.ocop_is_valid:
                product["award"] = _("OCOP %(stars)s sao") % {"stars": self.ocop_stars}
        certificates += [
            item.certification_data() for item in context.get("certifications") or ()
        ]
        if certificates:
            product["hasCertification"] = certificates
        return [product]

    def ocop_certification_data(self) -> dict:
        """schema.org Certification of the OCOP rating (3 to 5 stars)."""
        return {
            "@type": "Certification",
            "name": _("OCOP %(stars)s sao") % {"stars": self.ocop_stars},
            "alternateName": _("Chương trình Mỗi xã một sản phẩm (OCOP)"),
            "certificationRating": {
                "@type": "Rating",
                "ratingValue": self.ocop_stars,
                "bestRating": 5,
                "worstRating": 3,
            },
        } | certificate_dates(
            number=self.ocop_certificate_number,
            issued_on=self.ocop_issued_on,
            expires_on=self.ocop_expires_on,
        )

