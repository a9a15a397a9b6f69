"""Admin URL and menu item for printing QR label sheets (imported by products.wagtail_hooks)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from . import label_views


class LabelSheetMenuItem(MenuItem):
    def is_shown(self, request):
        # A cheap check on every admin page; the view itself lists exactly what may be printed.
        return PagePermissionPolicy().user_has_permission(request.user, "change")


@hooks.register("register_admin_urls")
def register_label_sheet_url():
    return [path("qr-labels/", label_views.label_sheet, name="products_label_sheet")]


@hooks.register("register_admin_menu_item")
def register_label_sheet_menu_item():
    return LabelSheetMenuItem(
        _("In tem QR"), reverse("products_label_sheet"), icon_name="tag", order=240
    )
