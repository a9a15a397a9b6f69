"""Forms of revenue tracking in the portal: a sale, a baseline, the dashboard's filters.

Numbers are typed the Vietnamese way on a phone: "35.000" đồng, "12,5" kg.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from commune_site.ids import ModelIdChoiceField
from products.models import ProductPage

from ..portal.forms import DATE_INPUT_FORMATS, PriceField
from .models import EARLIEST_SALE_DATE, MAX_AMOUNT_VND, MAX_UNIT_PRICE_VND, Channel, local_today

THOUSANDS_RE = re.compile(r"^\d{1,3}(\.\d{3})+$")
UNIT_SUGGESTIONS = [label for _value, label in ProductPage.Unit.choices]
MAX_QUANTITY = Decimal("99999999999.999")  # what the column holds (14 digits, 3 decimals)


def parse_quantity(text: str) -> Decimal:
    """ "12,5" → 12.5; "1.000" → 1000; "1.250,5" → 1250.5; "2.5" → 2.5.

    A comma is the decimal mark, as Vietnamese write it. A dot is a thousands separator when
    it groups three digits ("1.000"), else a decimal point, as a phone's keypad may type it.
    """
    text = text.strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif THOUSANDS_RE.match(text):
        text = text.replace(".", "")
    return Decimal(text)


class QuantityField(forms.CharField):
    """A quantity above zero with up to three decimals, typed "12,5" or "1.000"."""

    default_error_messages = {
        "invalid": _("Nhập số lượng bằng số, ví dụ 12 hoặc 12,5."),
        "not_positive": _("Số lượng phải lớn hơn 0."),
        "too_large": _("Số lượng quá lớn. Kiểm tra lại số 0."),
        "too_precise": _("Số lượng tối đa 3 chữ số sau dấu phẩy."),
    }

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        if value.startswith("-"):
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        try:
            quantity = parse_quantity(value)
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not quantity.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if quantity <= 0:
            raise forms.ValidationError(self.error_messages["not_positive"], code="not_positive")
        if quantity > MAX_QUANTITY:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        if quantity != quantity.quantize(Decimal("0.001")):
            raise forms.ValidationError(self.error_messages["too_precise"], code="too_precise")
        return quantity


class UnitPriceField(PriceField):
    """A unit price in whole đồng, at most 1.000.000.000 đ."""

    max_vnd = MAX_UNIT_PRICE_VND
    default_error_messages = {
        "invalid": _("Nhập đơn giá bằng số nguyên đồng, ví dụ 35000 hoặc 35.000."),
        "negative": _("Đơn giá không được là số âm."),
        "too_large": _("Đơn giá tối đa %(max)s đ. Kiểm tra lại số 0."),
    }


class AmountField(PriceField):
    """An amount in whole đồng, at most 10.000.000.000 đ."""

    max_vnd = MAX_AMOUNT_VND
    default_error_messages = {
        "invalid": _("Nhập số tiền bằng số nguyên đồng, ví dụ 400000 hoặc 400.000."),
        "negative": _("Số tiền không được là số âm."),
        "too_large": _("Số tiền tối đa %(max)s đ. Kiểm tra lại số 0."),
    }


def _no_markup(value: str) -> None:
    if "<" in value or ">" in value:
        raise forms.ValidationError(
            _("Không được dùng dấu < hoặc > trong tên sản phẩm, đơn vị hay ghi chú."),
            code="markup",
        )


class SaleForm(forms.Form):
    """One sale: product (listed, or a name), date, quantity, unit, price, channel; the amount
    is quantity × price unless a lump sum is typed."""

    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": _("Biểu mẫu đã cũ. Vui lòng nhập lại.")},
    )
    # Set when the seller confirmed a sale identical to one saved minutes ago (see views.sales).
    same_again = forms.BooleanField(required=False, widget=forms.HiddenInput)
    product = ModelIdChoiceField(
        label=_("Sản phẩm"),
        queryset=ProductPage.objects.none(),
        required=False,
        empty_label=_("Sản phẩm khác (ghi tên bên dưới)"),
        error_messages={"invalid_choice": _("Sản phẩm này không thuộc nhà sản xuất của bạn.")},
    )
    product_name = forms.CharField(
        label=_("Tên sản phẩm"),
        max_length=200,
        required=False,
        validators=[_no_markup],
        help_text=_("Chỉ ghi khi bán thứ không có trong danh sách sản phẩm."),
    )
    sold_on = forms.DateField(
        label=_("Ngày bán"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 25/11/2026.")},
    )
    quantity = QuantityField(
        label=_("Số lượng"),
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": 30}
        ),
    )
    unit = forms.CharField(label=_("Đơn vị"), max_length=30, validators=[_no_markup])
    unit_price_vnd = UnitPriceField(
        label=_("Đơn giá (đồng)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    channel = forms.ChoiceField(
        label=_("Bán qua"), choices=Channel.choices, widget=forms.RadioSelect
    )
    amount_vnd = AmountField(
        label=_("Thành tiền (đồng)"),
        required=False,
        help_text=_("Để trống: tự tính số lượng × đơn giá. Ghi số nếu bán gộp một giá."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), max_length=500, required=False, validators=[_no_markup]
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda product: product.title

    def clean_sold_on(self):
        day = self.cleaned_data["sold_on"]
        if day > local_today():
            raise forms.ValidationError(_("Ngày bán không được ở tương lai."), code="future")
        if day < EARLIEST_SALE_DATE:
            raise forms.ValidationError(_("Ngày bán phải từ 01/01/2000 trở đi."), code="too_old")
        return day

    def clean(self):
        data = super().clean()
        if not data.get("product") and not (data.get("product_name") or "").strip():
            if "product" not in self.errors and "product_name" not in self.errors:
                self.add_error(
                    "product_name", _("Chọn một sản phẩm hoặc ghi tên sản phẩm đã bán.")
                )
        return data

    def sale_values(self) -> dict:
        """Keyword arguments for ``sale_record``/``sale_update`` (without who and the key)."""
        data = self.cleaned_data
        return {
            "product": data["product"],
            "product_name": "" if data["product"] else data["product_name"].strip(),
            "sold_on": data["sold_on"],
            "quantity": data["quantity"],
            "unit": data["unit"].strip(),
            "unit_price_vnd": data["unit_price_vnd"],
            "amount_vnd": data["amount_vnd"],
            "channel": data["channel"],
            "note": data["note"].strip(),
        }


def format_vnd_input(amount) -> str:
    """35000 → "35.000", as a price box shows it; None → ""."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def format_quantity_input(quantity: Decimal) -> str:
    """Decimal("12.500") → "12,5", as a Vietnamese reads it."""
    return f"{quantity.normalize():f}".replace(".", ",")


MONTHS = range(1, 13)


class BaselineForm(forms.Form):
    """Revenue before the pilot: twelve monthly figures, or one yearly figure spread by month."""

    MODE_MONTHLY = "thang"
    MODE_YEARLY = "nam"

    reference_year = forms.IntegerField(
        label=_("Năm đối chiếu"),
        min_value=2000,
        help_text=_("Một năm trước khi tham gia thí điểm, ví dụ 2024."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": _("Năm đối chiếu phải từ 2000 trở đi.")},
    )
    joined_on = forms.DateField(
        label=_("Ngày tham gia thí điểm"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mode = forms.ChoiceField(
        label=_("Cách nhập"),
        choices=[
            (MODE_MONTHLY, _("Từng tháng")),
            (MODE_YEARLY, _("Cả năm, chia đều 12 tháng")),
        ],
        initial=MODE_MONTHLY,
        widget=forms.RadioSelect,
    )
    yearly_vnd = AmountField(
        label=_("Doanh thu cả năm (đồng)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A year may reach twelve months at the cap of one.
        self.fields["yearly_vnd"].max_vnd = MAX_AMOUNT_VND * 12
        for month in MONTHS:
            self.fields[f"month_{month}"] = AmountField(
                label=_("Tháng %(month)d") % {"month": month},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def month_fields(self):
        return [self[f"month_{month}"] for month in MONTHS]

    def clean_reference_year(self):
        year = self.cleaned_data["reference_year"]
        if year > local_today().year:
            raise forms.ValidationError(_("Năm đối chiếu không được ở tương lai."))
        return year

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.MODE_YEARLY:
            if data.get("yearly_vnd") is None and "yearly_vnd" not in self.errors:
                self.add_error("yearly_vnd", _("Nhập doanh thu cả năm."))
        elif data.get("mode") == self.MODE_MONTHLY:
            if all(data.get(f"month_{m}") is None for m in MONTHS) and not self.errors:
                self.add_error(None, _("Nhập doanh thu ít nhất một tháng."))
        return data

    def baseline_values(self) -> dict:
        """Keyword arguments for ``baseline_set`` (without the producer and user)."""
        data = self.cleaned_data
        values = {"reference_year": data["reference_year"], "joined_on": data["joined_on"]}
        if data["mode"] == self.MODE_YEARLY:
            values["yearly_vnd"] = data["yearly_vnd"]
        else:
            values["monthly_vnd"] = {m: data[f"month_{m}"] or 0 for m in MONTHS}
        return values


class DashboardFilterForm(forms.Form):
    """The dashboard's period and product category, read from the query string."""

    THIS_MONTH, LAST_MONTH, YEAR_TO_DATE, LAST_12, CUSTOM = (
        "thang-nay", "thang-truoc", "tu-dau-nam", "12-thang", "tuy-chon",
    )
    ky = forms.ChoiceField(
        label=_("Thời gian"),
        required=False,
        choices=[
            (THIS_MONTH, _("Tháng này")),
            (LAST_MONTH, _("Tháng trước")),
            (YEAR_TO_DATE, _("Từ đầu năm")),
            (LAST_12, _("12 tháng qua")),
            (CUSTOM, _("Từ tháng … đến tháng …")),
        ],
    )
    tu = forms.DateField(
        label=_("Từ tháng"),
        required=False,
        input_formats=["%Y-%m", "%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    den = forms.DateField(
        label=_("Đến tháng"),
        required=False,
        input_formats=["%Y-%m", "%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    danh_muc = ModelIdChoiceField(
        label=_("Danh mục"),
        queryset=None,
        required=False,
        empty_label=_("Tất cả danh mục"),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["danh_muc"].queryset = categories

    def clean(self):
        data = super().clean()
        if data.get("ky") == self.CUSTOM:
            first, last = data.get("tu"), data.get("den")
            if not first or not last:
                raise forms.ValidationError(_("Chọn cả tháng bắt đầu và tháng kết thúc."))
            if first > last:
                raise forms.ValidationError(_("Tháng bắt đầu phải trước tháng kết thúc."))
            if (last.year - first.year) * 12 + last.month - first.month >= 60:
                raise forms.ValidationError(_("Chọn tối đa 60 tháng."))
            if first < EARLIEST_SALE_DATE or last > local_today():
                raise forms.ValidationError(_("Chọn các tháng từ 2000 đến nay."))
        return data
