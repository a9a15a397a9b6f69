"""The Wagtail admin screen where staff and producers print QR label sheets as a PDF."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from commune_site.ids import ModelIdMultipleChoiceField, parse_id

from .labels import (
    LAYOUTS,
    MAX_LABELS,
    format_day,
    label_batches_for_user,
    label_pdf_for,
    label_products_for_user,
)


def label_sheet_response(data, *, name="tem-qr"):
    """The label PDF as a download, from a label form's cleaned data (admin or portal)."""
    pdf = label_pdf_for(
        products=list(data["products"]),
        batches=list(data["batches"]),
        layout=data["layout"],
        copies=data["copies"],
        digital_link=data.get("digital_link", False),
        cut_guides=data.get("cut_guides", False),
    )
    today = timezone.localdate().isoformat()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{data["layout"]}-{today}.pdf"'
    return response


class ProductChoiceField(ModelIdMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.producer_title}"


class BatchChoiceField(ModelIdMultipleChoiceField):
    def label_from_instance(self, obj):
        return _("%(product)s — lô %(lot)s, %(day)s") % {
            "product": obj.product.title,
            "lot": obj.lot_code,
            "day": format_day(obj.produced_on),
        }


class LabelSheetForm(forms.Form):
    """Products, copies and a sheet layout; only products the user may edit are offered."""

    products = ProductChoiceField(
        label=gettext_lazy("Sản phẩm"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    batches = BatchChoiceField(
        label=gettext_lazy("Lô hàng"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tem của lô có thêm mã lô, ngày sản xuất và hạn sử dụng."),
    )
    copies = forms.IntegerField(
        label=gettext_lazy("Số tem cho mỗi sản phẩm hoặc lô"),
        min_value=1,
        max_value=MAX_LABELS,
        initial=1,
        error_messages={
            "required": gettext_lazy("Nhập số tem cho mỗi sản phẩm."),
            "invalid": gettext_lazy("Số tem phải là số nguyên."),
            "min_value": gettext_lazy("Mỗi sản phẩm hoặc lô cần ít nhất 1 tem."),
            "max_value": gettext_lazy("Mỗi lần in tối đa %(limit_value)s tem."),
        },
    )
    layout = forms.ChoiceField(
        label=gettext_lazy("Khổ tem"),
        choices=[(key, layout.name) for key, layout in LAYOUTS.items()],
        initial="3x7",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Chọn khổ tem.")},
    )
    digital_link = forms.BooleanField(
        label=gettext_lazy("Mã QR theo chuẩn GS1 Digital Link"),
        required=False,
        help_text=gettext_lazy(
            "Sản phẩm có mã GTIN sẽ mang đường dẫn /01/<GTIN> trong mã QR; "
            "sản phẩm không có GTIN vẫn dùng đường dẫn ngắn."
        ),
    )
    cut_guides = forms.BooleanField(
        label=gettext_lazy("In đường viền cắt"),
        required=False,
        help_text=gettext_lazy(
            "Chọn khi in trên giấy thường rồi tự cắt; bỏ chọn khi in trên giấy tem đã bế sẵn."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = label_products_for_user(user)
        self.fields["batches"].queryset = label_batches_for_user(user)

    def clean(self):
        data = super().clean()
        if "products" not in data or "batches" not in data:
            return data  # an invalid choice already has its own error
        chosen = len(data["products"]) + len(data["batches"])
        if not chosen:
            self.add_error("products", _("Chọn ít nhất một sản phẩm hoặc lô hàng để in tem."))
        elif data.get("copies") and chosen * data["copies"] > MAX_LABELS:
            self.add_error(
                "copies",
                _("Tối đa %(limit)s tem mỗi lần in; hãy giảm số tem hoặc số sản phẩm.")
                % {"limit": MAX_LABELS},
            )
        return data


class LabelSheetView(WagtailAdminTemplateMixin, FormView):
    """Choose products and a layout, get an A4 PDF of QR labels for a print shop."""

    template_name = "products/labels/label_sheet_form.html"
    form_class = LabelSheetForm
    page_title = gettext_lazy("In tem QR")
    header_icon = "tag"

    def dispatch(self, request, *args, **kwargs):
        # Someone who may edit no product has nothing to print here.
        if not label_products_for_user(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        # Preselect ?product=<id> and ?batch=<id> from a page listing or the product editor.
        for field, param in (("products", "product"), ("batches", "batch")):
            chosen = [value for value in self.request.GET.getlist(param) if parse_id(value)]
            if chosen:
                initial[field] = chosen
        return initial

    def form_valid(self, form):
        return label_sheet_response(form.cleaned_data)


label_sheet = LabelSheetView.as_view()
