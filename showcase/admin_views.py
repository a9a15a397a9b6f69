"""Admin view for adding a commune, the same service as the add_commune command."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from .services import commune_create


def can_add_commune(user):
    return user.is_active and (user.is_superuser or user.has_perm("showcase.add_communehomepage"))


class AddCommuneForm(forms.Form):
    ward_code = forms.IntegerField(
        label=gettext_lazy("Mã phường/xã"),
        min_value=1,
        help_text=gettext_lazy(
            "Mã đơn vị hành chính chính thức sau sắp xếp năm 2025, ví dụ 27712."
        ),
    )
    hostname = forms.CharField(
        label=gettext_lazy("Tên miền"),
        max_length=253,
        help_text=gettext_lazy("Ví dụ: tanan.tayninh.gov.vn"),
    )
    name = forms.CharField(
        label=gettext_lazy("Tên hiển thị"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("Để trống để dùng tên chính thức."),
    )
    former_units = forms.CharField(label=gettext_lazy("Tên cũ"), required=False, max_length=255)
    former_district = forms.CharField(
        label=gettext_lazy("Huyện/thành phố cũ"), required=False, max_length=120
    )
    former_province = forms.CharField(label=gettext_lazy("Tỉnh cũ"), required=False, max_length=80)


class AddCommuneView(WagtailAdminTemplateMixin, FormView):
    form_class = AddCommuneForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = gettext_lazy("Thêm phường/xã")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not can_add_commune(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("showcase_add_commune"),
            submit_button_label=_("Tạo trang phường/xã"),
            submit_button_active_label=_("Đang tạo…"),
        )
        return context

    def form_valid(self, form):
        default_site = Site.objects.filter(is_default_site=True).first()
        try:
            commune = commune_create(
                port=default_site.port if default_site else 80, **form.cleaned_data
            )
        except ValidationError as error:
            field = {
                "unknown_ward": "ward_code",
                "ward_exists": "ward_code",
                "bad_hostname": "hostname",
                "hostname_in_use": "hostname",
            }.get(error.code)
            form.add_error(field, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã tạo trang %(title)s.") % {"title": commune.title})
        return redirect("wagtailadmin_explore", commune.pk)


add_commune = AddCommuneView.as_view()
