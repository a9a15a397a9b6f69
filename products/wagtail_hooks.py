from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import (
    admin_views,
    wagtail_hooks_labels,  # noqa: F401  (registers the label-sheet admin view)
)
from .admin_views import BatchViewSet
from .models import Batch, Certification, ProductCategory, ProductPage, ShortCode
from .panels import MISSING_PHOTO_MESSAGE
from .permissions import BatchPermissionPolicy
from .services import demo_batches_seed


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class CertificationViewSet(SnippetViewSet):
    model = Certification
    icon = "success"
    list_display = ["name", "short_name", "kind", "issuing_body"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (ProductCategoryViewSet, CertificationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Danh mục dùng chung")
    menu_name = "catalogue"


register_snippet(CatalogueViewSetGroup)


register_permission_policy(Batch, BatchPermissionPolicy())
register_snippet(BatchViewSet)


@hooks.register("register_admin_urls")
def register_scan_report_url():
    return [path("reports/qr-scans/", admin_views.scan_report, name="products_scan_report")]


@hooks.register("register_reports_menu_item")
def register_scan_report_menu_item():
    return AdminOnlyMenuItem(
        _("Lượt quét mã QR"), reverse("products_scan_report"), icon_name="view", order=700
    )


@hooks.register("after_move_page")
def remember_product_producer(request, page):
    """A moved product's codes remember its new producer, for the page shown once it is gone."""
    if isinstance(page.specific_deferred, ProductPage):
        ShortCode.objects.filter(product_id=page.pk).update(producer_id=page.get_parent().pk)


@hooks.register("after_publish_page")
def warn_when_published_without_photo(request, page):
    """Staff may publish a product without a photo (a price and a phone number already help
    buyers, and a required photo would also block the portal's price edits); they are told."""
    product = page.specific_deferred
    if isinstance(product, ProductPage) and not product.image_id:
        messages.warning(request, MISSING_PHOTO_MESSAGE)


@hooks.register("after_seed_demo")
def seed_demo_batches():
    """Give every demo product a first batch (lô hàng), once."""
    demo_batches_seed()
