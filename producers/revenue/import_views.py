"""Import and export of sales: in the producer portal and, for commune staff, in the admin.

An import is two steps. The upload is read and validated at once and shown as a preview
(rows, what was detected, totals, every bad row); the file waits server-side in the cache
under a random token tied to the user and the producer, so "Nhập tất cả" does not upload
again. Confirming validates again and imports every row or none.
"""

import secrets

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from products.search import fold

from ..models import ProducerPage
from ..portal.views import PORTAL_LINKS, portal_view
from ..selectors import communes_for_staff, producers_for_staff, user_is_province_officer
from . import exporting
from .importing import MAX_FILE_BYTES, ImportFileError, import_commit, import_preview

PENDING_PREFIX = "revenue-import:"
PENDING_SECONDS = 2 * 60 * 60
ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


# --- Forms ------------------------------------------------------------------------------


class SalesFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp bán hàng (CSV hoặc XLSX)"),
        help_text=gettext_lazy(
            "Dòng đầu là tiêu đề: Ngày, Sản phẩm, Số lượng, Đơn vị, Đơn giá, Thành tiền, "
            "Kênh bán, Ghi chú. Tối đa 5 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB; hãy chia thành nhiều tệp nhỏ hơn."))
        if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
            raise forms.ValidationError(
                _("Chỉ nhận tệp CSV hoặc XLSX (đuôi .csv hoặc .xlsx); tệp này là “%(name)s”.")
                % {"name": upload.name}
            )
        return upload


class StaffSalesFileForm(SalesFileForm):
    producer = forms.ModelChoiceField(
        label=gettext_lazy("Nhà sản xuất"), queryset=None,
        empty_label=gettext_lazy("— Chọn nhà sản xuất —"),
    )
    field_order = ["producer", "file"]

    def __init__(self, *args, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers.order_by("title")


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Từ ngày"), required=False, input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Đến ngày"), required=False, input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV (UTF-8)")],
        initial="xlsx",
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước “Đến ngày”."))
        return data


class StaffExportForm(PeriodForm):
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Phường/xã"), queryset=None, required=False,
        empty_label=gettext_lazy("Tất cả phường/xã của tôi"),
    )
    producer = forms.ModelChoiceField(
        label=gettext_lazy("Nhà sản xuất"), queryset=None, required=False,
        empty_label=gettext_lazy("Tất cả nhà sản xuất"),
    )
    field_order = ["commune", "producer", "date_from", "date_to", "format"]

    def __init__(self, *args, communes, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes.order_by("title")
        self.fields["producer"].queryset = producers.order_by("title")


# --- The pending upload -------------------------------------------------------------------


def _pending_save(*, user, producer, upload) -> str:
    token = secrets.token_urlsafe(24)
    upload.seek(0)
    cache.set(
        PENDING_PREFIX + token,
        {"user": user.pk, "producer": producer.pk, "filename": upload.name,
         "data": upload.read()},
        PENDING_SECONDS,
    )
    return token


def _pending_load(token: str, *, user) -> dict | None:
    if not token or len(token) > 64:
        return None
    pending = cache.get(PENDING_PREFIX + token)
    if not pending or pending["user"] != user.pk:
        return None
    return pending


def _import_result_message(request, preview) -> None:
    messages.success(
        request,
        _("Đã nhập %(imported)s lần bán, tổng %(total)s đ. Bỏ qua %(duplicates)s dòng đã nhập "
          "trước đây.")
        % {
            "imported": preview.imported,
            "total": f"{preview.new_total_vnd:,}".replace(",", "."),
            "duplicates": preview.duplicates,
        },
    )


class ImportFlow:
    """The upload → preview → confirm steps, shared by the portal and the admin views."""

    def __init__(self, request, *, entered_by, entered_by_staff):
        self.request = request
        self.entered_by = entered_by
        self.entered_by_staff = entered_by_staff

    def preview(self, form, producer) -> dict:
        """Read the uploaded file; the context of the preview (or of the form's errors)."""
        upload = form.cleaned_data["file"]
        try:
            preview = import_preview(
                producer=producer, data=upload.read(), filename=upload.name,
                entered_by=self.entered_by, entered_by_staff=self.entered_by_staff,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
            return {"form": form}
        token = "" if preview.errors else _pending_save(
            user=self.request.user, producer=producer, upload=upload
        )
        return {"form": form, "preview": preview, "token": token, "producer": producer,
                "sample": preview.sales[:50]}

    def confirm(self, producer_for) -> tuple[object, dict]:
        """Import the pending file; (the preview, or None when the upload has expired, ctx)."""
        pending = _pending_load(self.request.POST.get("token", ""), user=self.request.user)
        producer = producer_for(pending["producer"]) if pending else None
        if pending is None or producer is None:
            messages.error(
                self.request,
                _("Không tìm thấy tệp đã xem trước (quá 2 giờ hoặc đã nhập). Hãy chọn lại tệp."),
            )
            return None, {}
        try:
            preview = import_commit(
                producer=producer, data=pending["data"], filename=pending["filename"],
                entered_by=self.entered_by, entered_by_staff=self.entered_by_staff,
            )
        except ImportFileError as error:  # only if the rules changed since the preview
            messages.error(self.request, str(error))
            return None, {}
        if preview.errors:
            return preview, {"preview": preview, "producer": producer, "token": ""}
        cache.delete(PENDING_PREFIX + self.request.POST["token"])
        _import_result_message(self.request, preview)
        return preview, {}


# --- Portal -------------------------------------------------------------------------------


def _portal_render(request, template, context, status=200):
    context = {"portal_links": PORTAL_LINKS, "access": request.portal,
               "commune": request.portal.commune, **context}
    return TemplateResponse(request, template, context, status=status)


@portal_view
def portal_import(request):
    """A producer (or staff entering for them) imports their own file of sales."""
    access = request.portal
    flow = ImportFlow(request, entered_by=request.user,
                      entered_by_staff=access.entered_by is not None)
    context = {"form": SalesFileForm()}
    if request.method == "POST" and "token" in request.POST:
        preview, context = flow.confirm(
            lambda pk: access.producer if pk == access.producer.pk else None
        )
        if preview is not None and not preview.errors:
            return redirect("portal:sales_import")
        context.setdefault("form", SalesFileForm())
    elif request.method == "POST":
        form = SalesFileForm(request.POST, request.FILES)
        context = flow.preview(form, access.producer) if form.is_valid() else {"form": form}
    status = 400 if request.method == "POST" and _has_errors(context) else 200
    return _portal_render(request, "revenue/import_portal.html", context, status=status)


def _has_errors(context) -> bool:
    form = context.get("form")
    preview = context.get("preview")
    return bool((form is not None and form.errors) or (preview is not None and preview.errors))


def _period_title(prefix: str, data: dict) -> str:
    parts = [prefix]
    if data.get("date_from"):
        parts.append(f"tu {data['date_from']:%d-%m-%Y}")
    if data.get("date_to"):
        parts.append(f"den {data['date_to']:%d-%m-%Y}")
    return " ".join(parts)


@portal_view
def portal_export(request):
    """The producer's sales for a period, as XLSX or CSV; the form when no format is asked."""
    access = request.portal
    form = PeriodForm(request.GET if "format" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        sales = exporting.sales_for_export(
            producers=[access.producer], date_from=data["date_from"], date_to=data["date_to"]
        )
        return exporting.sales_response(
            sales, title=_period_title(f"ban hang {fold(access.producer.title)}", data),
            fmt=data["format"], with_producer=False,
        )
    return _portal_render(request, "revenue/import_export_portal.html", {"form": form},
                          status=400 if form.is_bound else 200)


# --- Admin --------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class AdminImportView(WagtailAdminTemplateMixin, View):
    """Commune staff import a file of sales for one of their producers (marked "nhập thay")."""

    template_name = "revenue/import_admin.html"
    page_title = gettext_lazy("Nhập bán hàng từ tệp")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        self.producers = producers_for_staff(request.user)
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        if request.GET.get("producer", "").isdigit():
            initial["producer"] = int(request.GET["producer"])
        return self.render({"form": StaffSalesFileForm(producers=self.producers,
                                                       initial=initial)})

    def post(self, request):
        flow = ImportFlow(request, entered_by=request.user, entered_by_staff=True)
        if "token" in request.POST:
            preview, context = flow.confirm(
                lambda pk: self.producers.filter(pk=pk).first()
            )
            if preview is not None and not preview.errors:
                return redirect("revenue_import")
            context.setdefault("form", StaffSalesFileForm(producers=self.producers))
            return self.render(context, status=400 if preview is not None else 200)
        form = StaffSalesFileForm(request.POST, request.FILES, producers=self.producers)
        if not form.is_valid():
            return self.render({"form": form}, status=400)
        context = flow.preview(form, form.cleaned_data["producer"])
        return self.render(context, status=400 if _has_errors(context) else 200)

    def render(self, context, status=200):
        context = {**self.get_context_data(), **context,
                   "export_url": reverse("revenue_export")}
        return TemplateResponse(self.request, self.template_name, context, status=status)


@method_decorator(never_cache, name="dispatch")
class AdminExportView(WagtailAdminTemplateMixin, View):
    """Staff download the sales of their communes; province officers those of every commune."""

    template_name = "revenue/import_export_admin.html"
    page_title = gettext_lazy("Xuất bán hàng ra tệp")
    header_icon = "download"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not can_export(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        communes, producers = export_scope(request.user)
        form = StaffExportForm(
            request.GET if "format" in request.GET else None,
            communes=communes, producers=producers,
        )
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if data["producer"] is not None:
                chosen, title = [data["producer"]], f"ban hang {fold(data['producer'].title)}"
            elif data["commune"] is not None:
                chosen = producers.descendant_of(data["commune"])
                title = f"ban hang {fold(data['commune'].title)}"
            else:
                chosen, title = producers, "ban hang"
            sales = exporting.sales_for_export(
                producers=chosen, date_from=data["date_from"], date_to=data["date_to"]
            )
            return exporting.sales_response(
                sales, title=_period_title(title, data), fmt=data["format"], with_producer=True
            )
        context = {**self.get_context_data(), "form": form}
        return TemplateResponse(request, self.template_name, context,
                                status=400 if form.is_bound else 200)


def can_import(user) -> bool:
    """Commune staff and superusers import for producers of their communes."""
    return bool(user.is_active and producers_for_staff(user).exists())


def can_export(user) -> bool:
    return bool(
        user.is_active
        and (user_is_province_officer(user) or communes_for_staff(user).exists())
    )


def export_scope(user):
    """(communes, producers) whose sales the user may export."""
    if user.is_superuser or user_is_province_officer(user):
        return apps.get_model("showcase", "CommuneHomePage").objects.all(), (
            ProducerPage.objects.all()
        )
    return communes_for_staff(user), producers_for_staff(user)


admin_import = AdminImportView.as_view()
admin_export = AdminExportView.as_view()
