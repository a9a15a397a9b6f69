from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import wagtail_hooks_labels  # noqa: F401  (registers the label-sheet admin view)
from .models import Certification, ProductCategory


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
