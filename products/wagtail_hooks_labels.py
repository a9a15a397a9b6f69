"""Admin URL, menu item and page bulk action for printing QR label sheets.

Imported by products.wagtail_hooks so the hooks register with the rest of the app's.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.permission_policies.pages import PagePermissionPolicy

from commune_site.page_tree import subtree_q

from . import label_views
from .models import ProductPage


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


@hooks.register("register_bulk_action")
class PrintLabelsBulkAction(PageBulkAction):
    """Pages chosen in the page listing open the label form with their products preselected.

    A chosen product counts itself, a chosen producer or commune all products below it; the
    form still offers only what the user may edit.
    """

    display_name = _("In tem QR")
    action_type = "print_qr_labels"
    aria_label = _("In tem QR cho các trang đã chọn")
    template_name = "wagtailadmin/pages/bulk_actions/confirm_bulk_unpublish.html"
    action_priority = 90

    def get(self, request, *args, **kwargs):
        pages, _without_access = self.get_actionable_objects()
        ids = []
        if pages:
            below = Q()
            for page in pages:
                below |= subtree_q(page.path)
            ids = ProductPage.objects.filter(below).order_by("path").values_list("pk", flat=True)
        query = urlencode([("product", pk) for pk in ids])
        return redirect(f"{reverse('products_label_sheet')}?{query}")
