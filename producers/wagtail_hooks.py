"""Tenant isolation in the Wagtail admin, the producer accounts viewset, the province overview."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from . import admin_api, admin_views
from .demo_accounts import demo_accounts_seed
from .middleware import SUPERUSER_ONLY_REPORT_MENU_ITEMS
from .models import ProducerAccount
from .permissions import ProducerAccountPermissionPolicy
from .portal import wagtail_hooks as portal_hooks  # noqa: F401  (registers its log actions)
from .revenue import wagtail_hooks as revenue_hooks  # noqa: F401  (registers its log actions)
from .revenue.demo import demo_sales_seed
from .roles import commune_roles_ensure
from .selectors import admin_page_filter, admin_visible_objects, document_is_published

register_permission_policy(ProducerAccount, ProducerAccountPermissionPolicy())


@hooks.register("register_admin_viewset")
def register_producer_account_viewset():
    return admin_views.ProducerAccountViewSet()


@hooks.register("register_log_actions")
def register_producer_account_log_actions(actions):
    actions.register_action(
        "producers.account.set_password", _("Đặt lại mật khẩu"), _("Đã đặt lại mật khẩu")
    )
    actions.register_action("producers.account.deactivate", _("Khóa tài khoản"), _("Đã khóa"))
    actions.register_action("producers.account.activate", _("Mở khóa tài khoản"), _("Đã mở khóa"))


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_communes(pages, request):
    condition = admin_page_filter(request.user)
    return pages if condition is None else pages.filter(condition)


@hooks.register("construct_explorer_page_queryset")
def limit_explorer_to_own_communes(parent_page, pages, request):
    condition = admin_page_filter(request.user)
    return pages if condition is None else pages.filter(condition)


class ProvinceOverviewMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view_province_overview(request.user)


@hooks.register("register_admin_urls")
def register_province_overview_url():
    return [
        path(
            "province-overview/",
            admin_views.province_overview,
            name="producers_province_overview",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_province_overview_menu_item():
    return ProvinceOverviewMenuItem(
        _("Tổng quan các phường/xã"),
        reverse("producers_province_overview"),
        icon_name="doc-full",
        order=260,
    )


@hooks.register("after_create_commune")
def create_commune_roles(commune):
    """Every new commune gets its staff group, collection and approval workflow."""
    commune_roles_ensure(commune)


@hooks.register("after_seed_demo")
def create_demo_accounts():
    """Demo logins for every role, only where demo data is allowed."""
    demo_accounts_seed()


@hooks.register("after_seed_demo")
def create_demo_sales():
    """A year of demo sales and baselines, after the accounts that entered them."""
    demo_sales_seed()


@hooks.register("construct_reports_menu")
def hide_cross_commune_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [
            item for item in menu_items if item.name not in SUPERUSER_ONLY_REPORT_MENU_ITEMS
        ]


# After Wagtail's own registrations (order 0), so these endpoints replace them.
@hooks.register("construct_admin_api", order=100)
def limit_admin_api_to_own_tenant(router):
    router.register_endpoint("pages", admin_api.TenantPagesAdminAPIViewSet)
    router.register_endpoint("images", admin_api.TenantImagesAdminAPIViewSet)
    router.register_endpoint("documents", admin_api.TenantDocumentsAdminAPIViewSet)


@hooks.register("before_serve_document")
def keep_documents_to_their_tenant(document, request):
    """A document is served to its tenant's users, or to anyone once a public page uses it."""
    user = request.user
    if user.is_authenticated:
        visible = admin_visible_objects(user, type(document))
        if visible is None or visible.filter(pk=document.pk).exists():
            return None
    if document_is_published(document):
        return None
    raise Http404
