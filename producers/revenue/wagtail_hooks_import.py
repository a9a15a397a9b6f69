"""Admin URLs of sales import and export, their items in the "Doanh thu" menu, and the import's
audit-log action."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import import_views
from .importing import SALE_IMPORT_ACTION
from .wagtail_hooks_dashboards import REVENUE_MENU_HOOK


@hooks.register("register_admin_urls")
def register_sales_import_urls():
    return [
        path("revenue/sales/import/", import_views.admin_import, name="revenue_import"),
        path("revenue/sales/export/", import_views.admin_export, name="revenue_export"),
    ]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_views.can_import(request.user)


class _ExportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_views.can_export(request.user)


@hooks.register(REVENUE_MENU_HOOK)
def register_sales_import_menu_item():
    return _ImportMenuItem(_("Nhập bán hàng từ tệp"), reverse("revenue_import"),
                           name="revenue-import", icon_name="upload", order=200)


@hooks.register(REVENUE_MENU_HOOK)
def register_sales_export_menu_item():
    return _ExportMenuItem(_("Xuất bán hàng ra tệp"), reverse("revenue_export"),
                           name="revenue-export", icon_name="download", order=250)


@hooks.register("register_log_actions")
def register_sales_import_log_action(actions):
    actions.register_action(
        SALE_IMPORT_ACTION, _("Nhập bán hàng từ tệp"), _("Nhập các lần bán từ một tệp")
    )
