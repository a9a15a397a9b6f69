"""Admin forms accept only objects the user may see: no attaching another tenant's photo by id.

Wagtail's chooser fields (``ForeignKey`` to an image, a document, a page, a batch; chooser
blocks inside a StreamField) accept any existing id that is posted, whoever owns it. A
producer knowing another tenant's private image id could put it on their own page and,
once published, show it publicly. Every Wagtail admin model form (page, snippet, image,
inline child forms alike: they all derive from ``WagtailAdminModelForm``) therefore checks
each chosen object against ``admin_visible_objects(user, model)`` while it is cleaned.
A value the object already had is kept (staff may have put a commune photo on a
producer's page; the producer can still save it). The user is the request's, set by
``AdminTenantMiddleware`` (inline child forms and blocks are not given ``for_user``).
The error names nothing of the refused object. Superusers are not checked.
"""

import contextvars

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.blocks import BlockField, ChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from .middleware import VisibleObjects, _visible

# References the form's object already holds in its StreamFields, while the form is cleaned:
# (root model, pk) pairs a chooser block accepts even if the user may not see them.
_kept_references = contextvars.ContextVar("admin_kept_references", default=frozenset())


def refusal_message(model):
    if issubclass(model, AbstractImage):
        return _("Ảnh này không có trong thư viện của bạn.")
    if issubclass(model, AbstractDocument):
        return _("Tài liệu này không có trong thư viện của bạn.")
    if issubclass(model, Page):
        return _("Bạn không có quyền chọn trang này.")
    return _("Bạn không có quyền chọn mục này.")


def _root_model(model):
    """The model a pk belongs to across multi-table inheritance (ProductPage → Page)."""
    parents = model._meta.get_parent_list()
    return parents[-1] if parents else model._meta.concrete_model


def _key(model, pk):
    return (_root_model(model)._meta.label_lower, str(pk))


def _visible_objects(for_user=None):
    visible_objects = _visible.get()
    if visible_objects is None and for_user is not None:
        visible_objects = VisibleObjects(for_user)  # a form built outside a request
    if visible_objects is None or not getattr(visible_objects.user, "is_authenticated", False):
        return None
    return visible_objects


def _refused(visible_objects, model, pks) -> bool:
    """Whether any of these pks is outside what the user may see."""
    visible = visible_objects.of(model)
    if visible is None or not pks:
        return False
    return visible.filter(pk__in=pks).count() != len(set(pks))


def _pks(value):
    if value is None or value == "":
        return set()
    if isinstance(value, models.Model | str | int):
        value = [value]
    return {str(getattr(item, "pk", item)) for item in value}


def _check_chosen_fields(form, visible_objects):
    """Add an error to every chooser field whose new value the user may not see."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField) or name not in form.cleaned_data:
            continue
        model = field.queryset.model
        new = _pks(form.cleaned_data[name]) - _pks(form.get_initial_for_field(field, name))
        if new and _refused(visible_objects, model, new):
            form.add_error(name, ValidationError(refusal_message(model), code="not_visible"))


def _stream_references(form):
    kept = set()
    for name, field in form.fields.items():
        if isinstance(field, BlockField):
            value = form.get_initial_for_field(field, name)
            if value:
                for model, pk, _path, _content_path in field.block.extract_references(value):
                    kept.add(_key(model, pk))
    return frozenset(kept)


_wagtail_full_clean = WagtailAdminModelForm.full_clean


def _guarded_full_clean(self):
    visible_objects = _visible_objects(self.for_user)
    if visible_objects is None or visible_objects.user.is_superuser or not self.is_bound:
        return _wagtail_full_clean(self)
    token = _kept_references.set(_stream_references(self))
    try:
        _wagtail_full_clean(self)
    finally:
        _kept_references.reset(token)
    _check_chosen_fields(self, visible_objects)


_wagtail_chooser_block_clean = ChooserBlock.clean


def _guarded_chooser_block_clean(self, value):
    value = _wagtail_chooser_block_clean(self, value)
    visible_objects = _visible_objects()
    if (
        value is not None
        and visible_objects is not None
        and not visible_objects.user.is_superuser
        and _key(self.model_class, value.pk) not in _kept_references.get()
        and _refused(visible_objects, self.model_class, {str(value.pk)})
    ):
        raise ValidationError(refusal_message(self.model_class), code="not_visible")
    return value


def install_attach_guards():
    """Wagtail has no hook to validate chosen objects per user; see the module docstring."""
    WagtailAdminModelForm.full_clean = _guarded_full_clean
    ChooserBlock.clean = _guarded_chooser_block_clean
