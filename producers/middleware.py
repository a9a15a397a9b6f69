"""Closes the Wagtail admin views that would show one commune's content to another's users.

Wagtail checks page permissions per page, but a few admin screens list every
commune at once (page-type usage, workflow reports), and the page chooser and some
page views answer for any page id. Superusers keep them; everyone else gets 403
outside their communes (province officers, who read everything, excepted).
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import Page

from .selectors import admin_page_filter

SUPERUSER_ONLY_VIEWS = frozenset(
    {
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_results",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:workflow_tasks_results",
    }
)
# Report menu items hidden with the views above (names from wagtail.admin.wagtail_hooks).
SUPERUSER_ONLY_REPORT_MENU_ITEMS = frozenset({"page-types-usage", "workflows", "workflow-tasks"})
PAGE_BROWSING_VIEWS = frozenset({"wagtailadmin_choose_page_child"})
PAGE_VIEW_PREFIX = "wagtailadmin_pages:"


class AdminTenantMiddleware:
    """Deny cross-commune admin listings to non-superusers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None
        if match.view_name in SUPERUSER_ONLY_VIEWS:
            raise PermissionDenied
        if match.view_name in PAGE_BROWSING_VIEWS or match.view_name.startswith(PAGE_VIEW_PREFIX):
            # Defence in depth: Wagtail checks each page view's own permission, but a few
            # (workflow-cancellation confirmation, the chooser) answer for any page id.
            page_id = view_kwargs.get("page_id") or view_kwargs.get("parent_page_id")
            condition = admin_page_filter(user)
            if condition is not None and page_id is not None:
                if not Page.objects.filter(condition, pk=page_id).exists():
                    raise PermissionDenied
        return None
