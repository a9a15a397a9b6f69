"""Forms of the producer portal: phone login and the one-tap product quick edit."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from commune_site.ids import ModelIdChoiceField, ModelIdMultipleChoiceField, parse_id
from products.fields import month_choices
from products.labels import LAYOUTS, MAX_LABELS
from products.models import ZERO_PRICE_MESSAGE, Batch, ProductCategory, ProductPage

from ..models import normalise_phone
from .photos import PhonePhotoField, PhotoInput
from .services import MAX_PHOTOS

# A quick edit is typed on a phone; a cap catches an extra zero or two.
MAX_PRICE_VND = 1_000_000_000
PRICE_RE = re.compile(r"^(\d{1,3}([., ]\d{3})+|\d+)$")
# The date box sends ISO dates; a browser without one lets people type the Vietnamese way.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
PHONE_LIKE_RE = re.compile(r"^[\d\s.+()-]+$")
MONTH_CHOICES = month_choices(gettext_noop("T%(month)d"))  # short: twelve boxes on a phone


def login_name(typed: str) -> str:
    """The username for what was typed: a phone in any spelling, or a staff username as is."""
    typed = (typed or "").strip()
    return normalise_phone(typed) if PHONE_LIKE_RE.match(typed) else typed


class PortalLoginForm(forms.Form):
    """Phone number and password; the phone in any usual spelling is the username.

    Commune staff log in with their username, to enter data for a household.
    """

    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "username", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("Số điện thoại hoặc mật khẩu không đúng."),
        "locked_out": _(
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút "
            "hoặc gọi cán bộ xã để được giúp."
        ),
    }

    def __init__(self, request, *args, lockout_minutes=15, **kwargs):
        self.request = request
        self.lockout_minutes = lockout_minutes
        self.user = None
        self.locked_out = False
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        phone, password = cleaned.get("phone"), cleaned.get("password")
        if phone and password:
            # Axes sees the request and this username; it counts failures and locks out.
            self.user = authenticate(self.request, username=login_name(phone), password=password)
            if getattr(self.request, "axes_locked_out", False):
                self.locked_out = True
                self.user = None
                raise forms.ValidationError(
                    self.error_messages["locked_out"] % {"minutes": self.lockout_minutes},
                    code="locked_out",
                )
            if self.user is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_login"], code="invalid_login"
                )
        return cleaned


class PriceField(forms.CharField):
    """Whole đồng typed as "35000", "35.000" or "35 000"; empty means price on request."""

    # A subclass sets its own cap (a sale's amount may reach 10.000.000.000 đ).
    max_vnd = MAX_PRICE_VND
    # A sale may be free (a gift, a sample); a price shown to buyers may not.
    allow_zero = True

    default_error_messages = {
        "invalid": _("Nhập giá bằng số nguyên đồng, ví dụ 35000 hoặc 35.000."),
        "negative": _("Giá không được là số âm."),
        "too_large": _("Giá quá lớn: tối đa %(max)s đồng. Kiểm tra lại số 0."),
        "zero": ZERO_PRICE_MESSAGE,
    }

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        for suffix in ("₫", "đồng", "đ", "VND", "vnd"):
            value = value.removesuffix(suffix).strip()
        if not value:
            return None
        if value.startswith("-"):
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if len(value) > 30 or not PRICE_RE.match(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(re.sub(r"\D", "", value))
        if amount == 0 and not self.allow_zero:
            raise forms.ValidationError(self.error_messages["zero"], code="zero")
        if amount > self.max_vnd:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"max": f"{self.max_vnd:,}".replace(",", ".")},
            )
        return amount


class ProductPriceField(PriceField):
    """The price buyers see: whole đồng above zero, or empty for "giá liên hệ"."""

    allow_zero = False


class QuickEditForm(forms.Form):
    """Price, unit, stock and season of one product; saved at once, without moderation."""

    price_vnd = ProductPriceField(
        label=_("Giá (đồng)"),
        required=False,
        help_text=_("Để trống nếu giá liên hệ."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    price_unit = forms.ChoiceField(label=_("Đơn vị tính"), choices=ProductPage.Unit.choices)
    in_stock = forms.TypedChoiceField(
        label=_("Tình trạng"),
        choices=[("1", _("Còn hàng")), ("0", _("Hết hàng"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    season_months = forms.TypedMultipleChoiceField(
        label=_("Tháng có hàng"),
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        help_text=_("Không chọn tháng nào nếu có hàng quanh năm."),
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_product(cls, product: ProductPage, data=None):
        return cls(
            data,
            prefix=f"p{product.pk}",
            initial={
                "price_vnd": f"{product.price_vnd:,}".replace(",", ".")
                if product.price_vnd is not None
                else "",
                "price_unit": product.price_unit,
                "in_stock": "1" if product.in_stock else "0",
                "season_months": list(product.season_months),
            },
        )


class PortalLabelForm(forms.Form):
    """Which of my live products and batches to print, on which sheet, how many of each."""

    products = ModelIdMultipleChoiceField(
        label=_("Sản phẩm"),
        queryset=ProductPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    batches = ModelIdMultipleChoiceField(
        label=_("Lô hàng"),
        queryset=Batch.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    layout = forms.ChoiceField(
        label=_("Khổ tem"),
        choices=[(key, layout.name) for key, layout in LAYOUTS.items()],
        initial="3x7",
        widget=forms.RadioSelect,
    )
    copies = forms.IntegerField(
        label=_("Số tem mỗi loại"),
        min_value=1,
        max_value=MAX_LABELS,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, products, batches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        self.fields["products"].label_from_instance = lambda product: product.title
        self.fields["batches"].queryset = batches
        self.fields["batches"].label_from_instance = lambda batch: (
            _("%(product)s — lô %(lot)s") % {"product": batch.product.title, "lot": batch.lot_code}
        )

    def clean(self):
        data = super().clean()
        chosen = len(data.get("products") or []) + len(data.get("batches") or [])
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Chọn ít nhất một sản phẩm hoặc một lô hàng để in."))
        if data.get("copies") and chosen * data["copies"] > MAX_LABELS:
            self.add_error(
                "copies",
                _("Tối đa %(limit)s tem mỗi lần in; hãy giảm số tem hoặc số sản phẩm.")
                % {"limit": MAX_LABELS},
            )
        return data


class PortalBatchForm(forms.Form):
    """A new lot (lô hàng) of one of my products."""

    product = ModelIdChoiceField(label=_("Sản phẩm"), queryset=ProductPage.objects.none())
    lot_code = forms.CharField(
        label=_("Mã lô"),
        max_length=20,
        help_text=_("Ví dụ: L2611-01. Chữ không dấu, chữ số, dấu chấm, gạch ngang."),
    )
    produced_on = forms.DateField(
        label=_("Ngày thu hoạch / sản xuất"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    expires_on = forms.DateField(
        label=_("Hạn sử dụng"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    quantity = forms.DecimalField(
        label=_("Số lượng"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=ProductPage.Unit.choices)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda product: product.title


def summary_field(help_text):
    """A one-sentence summary, as pages hold it (200 characters)."""
    return forms.CharField(
        label=_("Giới thiệu ngắn"), max_length=200, required=False, help_text=help_text
    )


def story_field(label, help_text):
    """A story typed as plain paragraphs, a blank line between two."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=help_text,
    )


class ProfileForm(forms.Form):
    """A producer's short introduction, story and photo; sent to the commune for approval."""

    summary = summary_field(_("Một câu, tối đa 200 chữ cái."))
    story_text = story_field(_("Câu chuyện"), _("Để một dòng trống giữa hai đoạn."))
    photo = PhonePhotoField(label=_("Ảnh đại diện mới"), required=False)


def _camera_field():
    field = PhonePhotoField(
        label=_("Chụp ảnh mới"),
        required=False,
        widget=PhotoInput(attrs={"capture": "environment"}),
    )
    field.help_text = ""  # the gallery box just below says which photos are accepted
    return field


def _gallery_field():
    return PhonePhotoField(label=_("Hoặc chọn ảnh có sẵn trong máy"), required=False)


class ProductTextFields(forms.Form):
    """The texts of a product a producer writes: summary, story and packaging."""

    summary = summary_field(_("Một câu, hiện trong danh sách và khi chia sẻ qua Zalo, Facebook."))
    story_text = story_field(
        _("Câu chuyện sản phẩm"),
        _("Cách trồng, cách làm, điều đặc biệt. Để một dòng trống giữa hai đoạn."),
    )
    packaging = forms.CharField(
        label=_("Quy cách"),
        required=False,
        max_length=200,
        help_text=_("Ví dụ: hộp 500 g, túi hút chân không 1 kg."),
    )
    camera_photo = _camera_field()
    gallery_photo = _gallery_field()

    def new_photos(self) -> list:
        return [
            self.cleaned_data[name]
            for name in ("camera_photo", "gallery_photo")
            if self.cleaned_data.get(name)
        ]


class ProductContentForm(ProductTextFields):
    """A product's texts and photos, sent to the commune for approval.

    A photo button ("photo" = "main:<id>", "up:<id>", "down:<id>" or "remove:<id>") acts
    on one of the product's current photos; its id must be one of ``photo_ids``.
    """

    PHOTO_ACTIONS = ("main", "up", "down", "remove")

    def __init__(self, *args, photo_ids: list[int], photo_action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_ids = list(photo_ids)
        self.photo_action = photo_action or ""

    def _photo_order(self) -> list[int]:
        order = list(self.photo_ids)
        if not self.photo_action:
            return order
        action, _sep, raw_id = self.photo_action.partition(":")
        image_id = parse_id(raw_id)
        if action not in self.PHOTO_ACTIONS or image_id not in order:
            raise forms.ValidationError(
                _("Ảnh này không còn trong sản phẩm. Hãy tải lại trang rồi thử lại."),
                code="unknown_photo",
            )
        index = order.index(image_id)
        order.pop(index)
        if action == "main":
            order.insert(0, image_id)
        elif action == "up":
            order.insert(max(index - 1, 0), image_id)
        elif action == "down":
            order.insert(index + 1, image_id)
        return order

    def clean(self):
        cleaned = super().clean()
        cleaned["photo_ids"] = self._photo_order()
        added = len([name for name in ("camera_photo", "gallery_photo") if cleaned.get(name)])
        if len(cleaned["photo_ids"]) + added > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Mỗi sản phẩm có tối đa %(max)s ảnh. Hãy xóa bớt ảnh cũ trước.")
                % {"max": MAX_PHOTOS},
                code="too_many_photos",
            )
        return cleaned


class ProductProposeForm(ProductTextFields):
    """A new product a producer proposes; the commune's staff approve it before it is shown."""

    title = forms.CharField(
        label=_("Tên sản phẩm"),
        max_length=120,
        help_text=_("Ví dụ: Trà mãng cầu sấy, hộp 20 gói."),
    )
    category = ModelIdChoiceField(
        label=_("Danh mục"),
        queryset=ProductCategory.objects.all(),
        empty_label=_("— Chọn danh mục —"),
    )
    price_vnd = PriceField(
        label=_("Giá (đồng)"),
        required=False,
        help_text=_("Để trống nếu giá liên hệ."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    price_unit = forms.ChoiceField(label=_("Đơn vị tính"), choices=ProductPage.Unit.choices)

    field_order = [
        "title", "category", "price_vnd", "price_unit", "camera_photo", "gallery_photo",
        "summary", "story_text", "packaging",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].required = True  # a new product needs at least one sentence

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Nhập tên sản phẩm."), code="required")
        return title
