"""Audit-log actions of revenue tracking, registered with Wagtail's log registry."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import (
    wagtail_hooks_dashboards,  # noqa: F401  (the dashboards' menu and URLs)
    wagtail_hooks_import,  # noqa: F401  (import and export: admin URLs and menu)
)
from .services import (
    BASELINE_SET_ACTION,
    SALE_CREATE_ACTION,
    SALE_DELETE_ACTION,
    SALE_EDIT_ACTION,
)


@hooks.register("register_log_actions")
def register_revenue_log_actions(actions):
    actions.register_action(SALE_CREATE_ACTION, _("Ghi bán hàng"), _("Ghi một lần bán"))
    actions.register_action(SALE_EDIT_ACTION, _("Sửa lần bán"), _("Sửa số liệu một lần bán"))
    actions.register_action(SALE_DELETE_ACTION, _("Xóa lần bán"), _("Xóa một lần bán"))
    actions.register_action(
        BASELINE_SET_ACTION, _("Nhập doanh thu trước thí điểm"), _("Nhập doanh thu trước thí điểm")
    )
