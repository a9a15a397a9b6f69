"""The admin API (used by choosers and the page explorer), limited to what the user may see.

Wagtail's admin API lists every image and document, with its download URL, to anyone
with admin access; these endpoints replace its own under the same names.
"""

from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from .selectors import admin_visible_objects


class TenantScopedMixin:
    """Cut the endpoint's queryset to the objects the requesting user may see."""

    def scope(self, queryset):
        visible = admin_visible_objects(self.request.user, queryset.model)
        if visible is None:
            return queryset
        return queryset.filter(pk__in=visible.values("pk"))


class TenantPagesAdminAPIViewSet(TenantScopedMixin, PagesAdminAPIViewSet):
    def get_base_queryset(self):
        return self.scope(super().get_base_queryset())


class TenantImagesAdminAPIViewSet(TenantScopedMixin, ImagesAdminAPIViewSet):
    def get_queryset(self):
        return self.scope(super().get_queryset())


class TenantDocumentsAdminAPIViewSet(TenantScopedMixin, DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return self.scope(super().get_queryset())
