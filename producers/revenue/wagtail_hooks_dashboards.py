"""The "Doanh thu" admin menu and the URLs of the dashboards, their exports and the report.

Other revenue screens join the menu through the ``register_revenue_menu_item`` hook, which
works as Wagtail's ``register_admin_menu_item`` does: a function returning a ``MenuItem``
(its ``is_shown`` decides who sees it). ``construct_revenue_menu`` may edit the list per
request. The submenu hides itself when none of its items is shown.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views

REVENUE_MENU_HOOK = "register_revenue_menu_item"
REVENUE_MENU_CONSTRUCT_HOOK = "construct_revenue_menu"

revenue_menu = Menu(
    register_hook_name=REVENUE_MENU_HOOK, construct_hook_name=REVENUE_MENU_CONSTRUCT_HOOK
)


class RevenueStaffMenuItem(MenuItem):
    """Shown to commune staff, province officers and superusers."""

    def is_shown(self, request):
        return admin_views.can_view_revenue(request.user)


@hooks.register("register_admin_urls")
def register_revenue_admin_urls():
    return [
        path("revenue/", admin_views.dashboard, name="revenue_dashboard"),
        path("revenue/export/", admin_views.dashboard_export, name="revenue_dashboard_export"),
        path("revenue/report/", admin_views.report, name="revenue_report"),
    ]


@hooks.register("register_admin_menu_item")
def register_revenue_menu():
    return SubmenuMenuItem(
        _("Doanh thu"), revenue_menu, name="revenue", icon_name="table", order=270
    )


@hooks.register(REVENUE_MENU_HOOK)
def register_dashboard_menu_item():
    return RevenueStaffMenuItem(
        _("Bảng doanh thu"), reverse("revenue_dashboard"), name="revenue-dashboard",
        icon_name="table", order=100,
    )


@hooks.register(REVENUE_MENU_HOOK)
def register_report_menu_item():
    return RevenueStaffMenuItem(
        _("Báo cáo thí điểm"), reverse("revenue_report"), name="revenue-report",
        icon_name="doc-full", order=300,
    )
