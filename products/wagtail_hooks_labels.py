"""Admin URL, menu item and page bulk action for printing QR label sheets.

Imported by products.wagtail_hooks so the hooks register with the rest of the app's.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from commune_site.ids import parse_id
from commune_site.page_tree import subtree_q

from . import label_views
from .labels import LAYOUTS, MAX_LABELS, label_products_for_user
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


class PrintLabelsBulkForm(forms.Form):
    """What the bulk action may be told; without it the sheet is the label form's default."""

    layout = forms.ChoiceField(choices=[(key, key) for key in LAYOUTS], required=False)
    copies = forms.IntegerField(min_value=1, max_value=MAX_LABELS, required=False)


@hooks.register("register_bulk_action")
class PrintLabelsBulkAction(PageBulkAction):
    """Print QR labels for the products below the pages chosen in the page listing.

    A chosen product counts itself, a chosen producer or commune all products below it, and
    only products the user may edit are ever printed. GET opens the label form with them
    preselected, so layout and copies can be chosen; POST prints the PDF at once.
    """

    display_name = _("In tem QR")
    action_type = "print_qr_labels"
    aria_label = _("In tem QR cho các trang đã chọn")
    template_name = "wagtailadmin/pages/bulk_actions/confirm_bulk_unpublish.html"
    action_priority = 90
    form_class = PrintLabelsBulkForm
    DEFAULT_LAYOUT = "3x7"

    def get_actionable_objects(self):
        # Wagtail's own lookup answers 500 to a non-numeric id and 404 to an unknown one; here
        # such ids simply choose nothing. Rights are applied to the products, not the pages.
        ids = self.request.GET.getlist("id")
        if "all" in ids:
            parent = self.request.GET.get("childOf")
            if parent is not None and parse_id(parent) is None:
                return [], {"items_with_no_access": []}
            try:
                ids = self.get_all_objects_in_listing_query(parent)
            except Page.DoesNotExist:
                return [], {"items_with_no_access": []}
        else:
            ids = [value for value in ids if parse_id(value)]
        return list(Page.objects.filter(pk__in=ids)), {"items_with_no_access": []}

    def printable_products(self, pages):
        """Products below the chosen pages that this user may print, in page-tree order."""
        if not pages:
            return ProductPage.objects.none()
        below = Q()
        for page in pages:
            below |= subtree_q(page.path)
        return label_products_for_user(self.request.user).filter(below)

    def get(self, request, *args, **kwargs):
        pages, _without_access = self.get_actionable_objects()
        ids = self.printable_products(pages).values_list("pk", flat=True)
        query = urlencode([("product", pk) for pk in ids])
        return redirect(f"{reverse('products_label_sheet')}?{query}")

    def form_valid(self, form):
        # Printing changes nothing, so Wagtail's execute_action/redirect cycle does not apply:
        # the answer is the PDF itself.
        pages, _without_access = self.get_actionable_objects()
        products = list(self.printable_products(pages))
        if not products:
            # The same refusal whether the pages exist, belong to others or hold no product.
            raise PermissionDenied
        copies = form.cleaned_data["copies"] or 1
        if len(products) * copies > MAX_LABELS:
            return self.get(self.request)  # the label form explains the limit
        return label_views.label_sheet_response(
            {
                "products": products,
                "batches": [],
                "layout": form.cleaned_data["layout"] or self.DEFAULT_LAYOUT,
                "copies": copies,
            }
        )

    def form_invalid(self, form):
        return self.get(self.request)
