"""The Wagtail admin screen where staff and producers print QR label sheets as a PDF."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .labels import LAYOUTS, MAX_LABELS, label_pdf_for, label_products_for_user


class ProductChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.producer_title}"


class LabelSheetForm(forms.Form):
    """Products, copies and a sheet layout; only products the user may edit are offered."""

    products = ProductChoiceField(
        label=gettext_lazy("Sản phẩm"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    copies = forms.IntegerField(
        label=gettext_lazy("Số tem cho mỗi sản phẩm"),
        min_value=1,
        max_value=MAX_LABELS,
        initial=1,
        error_messages={
            "required": gettext_lazy("Nhập số tem cho mỗi sản phẩm."),
            "invalid": gettext_lazy("Số tem phải là số nguyên."),
            "min_value": gettext_lazy("Mỗi sản phẩm cần ít nhất 1 tem."),
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

    def clean(self):
        data = super().clean()
        products = data.get("products")
        if "products" in data and not products:
            self.add_error("products", _("Chọn ít nhất một sản phẩm để in tem."))
        elif products and data.get("copies") and len(products) * data["copies"] > MAX_LABELS:
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

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        # Preselect products passed as ?product=<id> from a page listing or the product editor.
        chosen = [value for value in self.request.GET.getlist("product") if value.isdigit()]
        if chosen:
            initial["products"] = chosen
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        pdf = label_pdf_for(
            products=list(data["products"]),
            batches=[],
            layout=data["layout"],
            copies=data["copies"],
            cut_guides=data["cut_guides"],
        )
        today = timezone.localdate().isoformat()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="tem-qr-{data["layout"]}-{today}.pdf"'
        )
        return response


label_sheet = LabelSheetView.as_view()
