"""Keeps one tenant's objects out of another tenant's admin screens, whatever id is typed.

Wagtail checks permissions per view, and several views show the object they were given
before (or instead of) refusing: bulk-action confirmations list the titles of the items
"you have no permission for", the move confirmation checks only on POST, refused forms
redraw the chosen object, choosers hand out any id. Rather than patch each view, every
object id a request names (path kwargs, the ``id`` list of bulk actions and of
``chosen_multiple``, the destination of a copy or a move) is looked up among the objects
the user may see (``producers.selectors.admin_visible_objects``); any other id is a 403
that names nothing. Chooser widgets redrawing an object the user may not see show a
placeholder instead of its title, and a page's privacy form offers only the groups of the
user's communes (``install_admin_guards``). A few screens listing every commune at once
are for superusers only. Superusers pass; province officers read every page.
"""

import contextvars

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.page_privacy import SetPrivacyView
from wagtail.admin.widgets.chooser import AdminPageChooser, BaseChooser
from wagtail.coreutils import resolve_model_string
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Task, Workflow

from .selectors import admin_visible_groups, admin_visible_objects

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

# Path kwargs that always name a page, an image or a document, whatever the view.
PAGE_KWARGS = frozenset(
    {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}
)
IMAGE_KWARGS = frozenset({"image_id"})
DOCUMENT_KWARGS = frozenset({"document_id", "doc_id"})
# Kwargs naming "the view's own object": its model comes from the view (see _view_model).
OBJECT_KWARGS = frozenset({"pk", "object_id"})
# POST fields naming an object, in forms whose refusal message would name it: "no
# permission to copy to <title>". Other chooser fields are covered by the widget guard.
FORM_OBJECT_FIELDS = {
    "wagtailadmin_pages:copy": {"new_parent_page": Page},
    "wagtail_bulk_action:move": {"chooser": Page},
}
HIDDEN_TITLE = _("(không có quyền xem)")
# Views outside the admin that take a page or document id: the public site's own rules apply
# (page privacy, and document serving in producers.wagtail_hooks).
PUBLIC_VIEWS = frozenset(
    {"wagtailcore_authenticate_with_password", "wagtaildocs_serve",
     "wagtaildocs_authenticate_with_password"}
)


class VisibleObjects:
    """What one user may see, per model, worked out once per request."""

    def __init__(self, user):
        self.user = user
        self._querysets = {}

    def of(self, model):
        if model not in self._querysets:
            self._querysets[model] = admin_visible_objects(self.user, model)
        return self._querysets[model]


_visible = contextvars.ContextVar("admin_tenant_visible", default=None)


def _namespace_model(view_name):
    """The model of Wagtail's own views that do not say it in their kwargs."""
    namespace = view_name.rpartition(":")[0]
    if view_name.startswith("wagtailadmin_choose_page"):  # the page chooser has no namespace
        return Page
    if namespace.startswith(("wagtailadmin_pages", "wagtailadmin_api:pages")):
        return Page
    if namespace.startswith(("wagtailimages", "wagtailadmin_api:images")):
        return get_image_model()
    if namespace.startswith(("wagtaildocs", "wagtailadmin_api:documents")):
        return get_document_model()
    if namespace == "wagtailadmin_workflows":
        return Task if "task" in view_name else Workflow
    return None


def _view_model(match):
    model = getattr(match.func, "view_initkwargs", {}).get("model")
    if isinstance(model, str):  # e.g. "wagtaildocs.Document"
        model = resolve_model_string(model)
    if model is None and {"app_label", "model_name"} <= set(match.kwargs):
        try:  # editing sessions name their object by app label, model name and id
            model = apps.get_model(match.kwargs["app_label"], match.kwargs["model_name"])
        except LookupError:
            return None
    return model or _namespace_model(match.view_name)


def named_objects(request, match):
    """(model, ids) for every object id the request names; ids are strings or ints."""
    view_model = _view_model(match)
    for name, value in match.kwargs.items():
        if name in PAGE_KWARGS:
            yield Page, [value]
        elif name in IMAGE_KWARGS:
            yield get_image_model(), [value]
        elif name in DOCUMENT_KWARGS:
            yield get_document_model(), [value]
        elif name in OBJECT_KWARGS and view_model is not None:
            yield view_model, [value]
        elif name == "task_id" and view_model is Task:  # the workflow task chooser
            yield Task, [value]
    form_key = match.view_name
    if match.view_name == "wagtail_bulk_action":
        form_key = f"wagtail_bulk_action:{match.kwargs.get('action')}"
        yield from _bulk_action_objects(request, match)
    elif (match.url_name or "").endswith("chosen_multiple") and view_model is not None:
        yield view_model, request.GET.getlist("id")
    if request.method == "POST":
        for field, model in FORM_OBJECT_FIELDS.get(form_key, {}).items():
            yield model, [value for value in request.POST.getlist(field) if value]


def _bulk_action_objects(request, match):
    try:
        model = apps.get_model(match.kwargs["app_label"], match.kwargs["model_name"])
    except LookupError:
        return  # Wagtail answers 404
    ids = request.GET.getlist("id")
    if "all" in ids and issubclass(model, Page) and request.GET.get("childOf"):
        yield Page, [request.GET["childOf"]]
    yield model, [pk for pk in ids if pk != "all"]


def _all_visible(visible_objects, model, ids) -> bool:
    """Whether the user may see every one of these ids (always, for models without tenants)."""
    visible = visible_objects.of(model)
    if visible is None or not ids:
        return True
    try:
        pks = {model._meta.pk.to_python(pk) for pk in ids}
    except ValidationError:
        return False
    return visible.filter(pk__in=pks).count() == len(pks)


def _narrow_select_all(request, match, visible_objects):
    """Bulk actions on "all" items of a listing act on (and list) only visible items.

    Wagtail expands "all" to every row of the model (or every child of a page) and lists
    the ones the user may not touch by title; the expansion is done here instead and cut
    to what the user may see, so the view receives plain ids.
    """
    app_label, model_name = match.kwargs["app_label"], match.kwargs["model_name"]
    action_class = bulk_action_registry.get_bulk_action_class(
        app_label, model_name, match.kwargs["action"]
    )
    if action_class is None:
        return
    model = apps.get_model(app_label, model_name)
    visible = visible_objects.of(model)
    if visible is None:
        return
    listed = action_class(request, model).get_all_objects_in_listing_query(
        request.GET.get("childOf")
    )
    if not hasattr(listed, "query"):  # search results, not a queryset
        listed = [item.pk if hasattr(item, "pk") else item for item in listed]
    ids = visible.filter(pk__in=listed).values_list("pk", flat=True)
    query = request.GET.copy()
    query.setlist("id", [str(pk) for pk in ids] or ["0"])
    # The view reads request.GET; QUERY_STRING keeps "all" for the form's own URL, so
    # the confirming POST is narrowed the same way instead of carrying every id.
    request.GET = query


class AdminTenantMiddleware:
    """Refuse any object id outside what the user may see, and cross-commune reports."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Lazy: the user is looked up only if a view or a chooser widget asks.
        request.visible_objects = VisibleObjects(request.user) if hasattr(request, "user") else None
        token = _visible.set(request.visible_objects)
        try:
            return self.get_response(request)
        finally:
            _visible.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None
        if match.view_name in SUPERUSER_ONLY_VIEWS:
            raise PermissionDenied
        if match.view_name in PUBLIC_VIEWS:
            return None
        for model, ids in named_objects(request, match):
            if not _all_visible(request.visible_objects, model, ids):
                raise PermissionDenied
        if match.view_name == "wagtail_bulk_action" and "all" in request.GET.getlist("id"):
            _narrow_select_all(request, match, request.visible_objects)
        return None


def _guarded_get_value_data(self, value):
    """BaseChooser.get_value_data, with a placeholder for an object the user may not see."""
    instance = self.get_instance(value)
    if instance is None:
        return None
    visible_objects = _visible.get()
    if visible_objects is not None and visible_objects.user.is_authenticated:
        visible = visible_objects.of(type(instance))
        if visible is not None and not visible.filter(pk=instance.pk).exists():
            # The id stays, so saving a form does not drop a value the user cannot see.
            data = {"id": instance.pk, "edit_url": "", self.display_title_key: str(HIDDEN_TITLE)}
            if isinstance(self, AdminPageChooser):
                data["parent_id"] = None
            return data
    return self.get_value_data_from_instance(instance)


_wagtail_privacy_get_form = SetPrivacyView.get_form


def _privacy_form_with_own_groups(self, form_class=None):
    """A page's privacy form offers only the groups of the user's communes."""
    form = _wagtail_privacy_get_form(self, form_class)
    groups = admin_visible_groups(self.request.user)
    if groups is not None:
        form.fields["groups"].queryset = groups
    return form


def install_admin_guards():
    """Chooser widgets and the page privacy form; Wagtail has no hook for either."""
    BaseChooser.get_value_data = _guarded_get_value_data
    SetPrivacyView.get_form = _privacy_form_with_own_groups
