"""Forms of the producer portal: phone login and the one-tap product quick edit."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from wagtail.images.fields import WagtailImageField

from commune_site.ids import ModelIdChoiceField, ModelIdMultipleChoiceField
from products.fields import month_choices
from products.labels import LAYOUTS, MAX_LABELS
from products.models import ZERO_PRICE_MESSAGE, Batch, ProductPage

from ..models import normalise_phone

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


class ProfileForm(forms.Form):
    """A producer's short introduction, story and photo; sent to the commune for approval."""

    summary = forms.CharField(
        label=_("Giới thiệu ngắn"),
        max_length=200,
        required=False,
        help_text=_("Một câu, tối đa 200 chữ cái."),
    )
    story_text = forms.CharField(
        label=_("Câu chuyện"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Để một dòng trống giữa hai đoạn."),
    )
    photo = WagtailImageField(
        label=_("Ảnh đại diện mới"),
        required=False,
        # A new photo or none: no "clear" box, whose False the submission cannot use.
        widget=forms.FileInput,
        help_text=_("Ảnh JPG, PNG hoặc WebP, tối đa 10 MB."),
    )
