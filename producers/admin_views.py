"""Admin screens for producer accounts, and the province officers' read-only overview."""

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView, EditView, HistoryView, IndexView, UsageView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from products.models import ProductPage

from .models import ProducerAccount, ProducerPage
from .selectors import (
    producer_accounts_for_staff,
    producers_for_staff,
    user_is_province_officer,
)
from .services import (
    producer_account_activate,
    producer_account_create,
    producer_account_deactivate,
    producer_account_set_password,
)


class ProducerAccountCreateForm(WagtailAdminModelForm):
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại (tên đăng nhập)"),
        max_length=20,
        help_text=gettext_lazy("Ví dụ: 0912345678"),
    )
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=150, required=False)
    password = forms.CharField(
        label=gettext_lazy("Mật khẩu"), widget=forms.PasswordInput(render_value=True)
    )

    class Meta:
        model = ProducerAccount
        fields = ["producer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers_for_staff(self.for_user).order_by("title")


class ProducerAccountEditForm(WagtailAdminModelForm):
    new_password = forms.CharField(
        label=gettext_lazy("Đặt lại mật khẩu"),
        required=False,
        widget=forms.PasswordInput,
        help_text=gettext_lazy("Để trống nếu không đổi."),
    )
    active = forms.BooleanField(
        label=gettext_lazy("Cho phép đăng nhập"),
        required=False,
        help_text=gettext_lazy("Bỏ chọn để khóa tài khoản."),
    )

    class Meta:
        model = ProducerAccount
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["active"].initial = self.instance.user.is_active


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


class ProducerAccountIndexView(IndexView):
    def get_base_queryset(self):
        return producer_accounts_for_staff(self.request.user)


class ProducerAccountCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return producer_account_create(
            producer=data["producer"],
            phone=data["phone"],
            password=data["password"],
            full_name=data["full_name"],
            created_by=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _add_service_errors(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ProducerAccountEditView(EditView):
    def get_queryset(self):
        # EditView checks the model permission only; the object must be in the user's communes.
        return producer_accounts_for_staff(self.request.user)

    @transaction.atomic
    def save_instance(self):
        account, data = self.object, self.form.cleaned_data
        if data["new_password"]:
            producer_account_set_password(
                account=account, password=data["new_password"], changed_by=self.request.user
            )
        if account.user.is_active and not data["active"]:
            producer_account_deactivate(account=account, deactivated_by=self.request.user)
        elif not account.user.is_active and data["active"]:
            producer_account_activate(account=account, activated_by=self.request.user)
        return account

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _add_service_errors(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class TenantObjectMixin:
    """History and usage look objects up by id alone; limit them to the user's accounts."""

    def get_base_object_queryset(self):
        return producer_accounts_for_staff(self.request.user)


class ProducerAccountHistoryView(TenantObjectMixin, HistoryView):
    pass


class ProducerAccountUsageView(TenantObjectMixin, UsageView):
    pass


class ProducerAccountViewSet(ModelViewSet):
    """Commune staff create producer logins, reset passwords and lock accounts."""

    model = ProducerAccount
    name = "producer_accounts"
    icon = "user"
    menu_label = gettext_lazy("Tài khoản nhà sản xuất")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["user", "producer", "created_at"]
    search_fields = []
    index_view_class = ProducerAccountIndexView
    add_view_class = ProducerAccountCreateView
    edit_view_class = ProducerAccountEditView
    history_view_class = ProducerAccountHistoryView
    usage_view_class = ProducerAccountUsageView

    def get_form_class(self, for_update=False):
        return ProducerAccountEditForm if for_update else ProducerAccountCreateForm


class ProvinceOverviewView(WagtailAdminTemplateMixin, TemplateView):
    """Province officers read every commune's producers and products without edit rights."""

    template_name = "producers/admin/province_overview.html"
    page_title = gettext_lazy("Tổng quan các phường/xã")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_province_overview(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        producers = ProducerPage.objects.order_by("path").only("title", "path", "live", "phone")
        products = ProductPage.objects.order_by("path").only(
            "title", "path", "live", "price_vnd", "price_unit"
        )
        by_producer = {}
        for product in products:
            by_producer.setdefault(product.path[: -ProductPage.steplen], []).append(product)
        by_commune = {}
        for producer in producers:
            producer.product_list = by_producer.get(producer.path, [])
            by_commune.setdefault(producer.path[: ProducerPage.steplen * 2], []).append(producer)
        communes = list(apps.get_model("showcase", "CommuneHomePage").objects.order_by("title"))
        for commune in communes:
            commune.producer_list = by_commune.get(commune.path, [])
        context["communes"] = communes
        context["no_producers"] = _("Chưa có nhà sản xuất.")
        return context


def can_view_province_overview(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user_is_province_officer(user)))


province_overview = ProvinceOverviewView.as_view()
