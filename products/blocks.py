"""StreamField blocks for product descriptions and where to buy."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

from commune_site import maps

MARKETPLACES = [
    ("shopee", "Shopee"),
    ("lazada", "Lazada"),
    ("tiktok", "TikTok Shop"),
    ("tiki", "Tiki"),
    ("zalo", "Zalo OA"),
    ("facebook", "Facebook"),
    ("postmart", "Postmart"),
    ("website", _("Trang web riêng")),
]


class ParagraphBlock(blocks.RichTextBlock):
    """Running text of a product description."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        label = _("Đoạn văn")
        description = _("Văn bản mô tả sản phẩm")
        preview_value = "<p>Thanh long ruột đỏ trồng theo tiêu chuẩn VietGAP, ngọt thanh.</p>"


class FigureBlock(blocks.StructBlock):
    """A photo with a caption inside the description."""

    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=200, label=_("Chú thích"))

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        label = _("Ảnh")
        description = _("Ảnh có chú thích")
        preview_value = {"caption": "Vườn thanh long mùa thu hoạch"}


class FactBlock(blocks.StructBlock):
    """A short label–value fact, e.g. "Bảo quản: 5–10 °C"."""

    label = blocks.CharBlock(max_length=60, label=_("Nhãn"))
    value = blocks.CharBlock(max_length=200, label=_("Nội dung"))

    class Meta:
        icon = "list-ul"
        template = "blocks/fact_block.html"
        label = _("Thông tin ngắn")
        description = _("Một dòng thông tin, ví dụ cách bảo quản")
        preview_value = {"label": "Bảo quản", "value": "Nơi khô ráo, 5–10 °C"}


class PointOfSaleStructValue(blocks.StructValue):
    def directions_url(self):
        """The phone's map app on the way to this place ("Chỉ đường"); "" without coordinates."""
        return maps.directions_url(self.get("latitude"), self.get("longitude"))


def _coordinate_block(label, *, validators, help_text=""):
    # Validators rather than min_value/max_value: their message gives the range and an example.
    return blocks.DecimalBlock(
        required=False,
        max_digits=9,
        decimal_places=6,
        label=label,
        help_text=help_text,
        validators=validators,
    )


class PointOfSaleBlock(blocks.StructBlock):
    """A physical place to buy: a shop, a market stall, the farm gate."""

    name = blocks.CharBlock(max_length=120, label=_("Tên điểm bán"))
    address = blocks.CharBlock(max_length=255, label=_("Địa chỉ"))
    phone = blocks.CharBlock(max_length=20, required=False, label=_("Điện thoại"))
    opening_hours = blocks.CharBlock(max_length=120, required=False, label=_("Giờ mở cửa"))
    latitude = _coordinate_block(
        _("Vĩ độ"), validators=maps.latitude_validators, help_text=maps.COORDINATES_HELP
    )
    longitude = _coordinate_block(_("Kinh độ"), validators=maps.longitude_validators)

    def clean(self, value):
        value = super().clean(value)
        errors = maps.coordinates_errors(value.get("latitude"), value.get("longitude"))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "home"
        template = "blocks/point_of_sale_block.html"
        label = _("Điểm bán")
        description = _("Cửa hàng, sạp chợ hoặc tại vườn")
        value_class = PointOfSaleStructValue
        preview_value = {
            "name": "Sạp 12, chợ Tân An",
            "address": "Phường Tân An, Tây Ninh",
            "latitude": "10.535812",
            "longitude": "106.413947",
        }


class MarketplaceStructValue(blocks.StructValue):
    def platform_label(self):
        return dict(MARKETPLACES).get(self.get("platform"), self.get("platform"))


class MarketplaceBlock(blocks.StructBlock):
    """A listing on an online marketplace or social shop."""

    platform = blocks.ChoiceBlock(choices=MARKETPLACES, label=_("Sàn / kênh"))
    url = blocks.URLBlock(label=_("Đường dẫn"))

    class Meta:
        icon = "link-external"
        template = "blocks/marketplace_block.html"
        label = _("Gian hàng trực tuyến")
        description = _("Gian hàng trên sàn thương mại điện tử hoặc mạng xã hội")
        value_class = MarketplaceStructValue
        preview_value = {"platform": "shopee", "url": "https://shopee.vn/"}


class DescriptionBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    figure = FigureBlock()
    fact = FactBlock()


class WhereToBuyBlock(blocks.StreamBlock):
    point_of_sale = PointOfSaleBlock()
    marketplace = MarketplaceBlock()
