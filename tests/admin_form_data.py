"""POST data for a Wagtail page edit form, built from the page itself, so tests can submit edits.

StreamField widgets are drawn by JavaScript in the browser, so the rendered HTML has no
inputs to copy; this walks the page's own edit form (fields, inline formsets and blocks)
and writes the data the browser would send.
"""

import datetime

from django import forms
from wagtail import blocks
from wagtail.blocks.base import BlockWidget
from wagtail.images.blocks import ImageBlock


def _block_data(block, value, prefix, data):
    if isinstance(block, blocks.StreamBlock):
        children = list(value or [])
        data[f"{prefix}-count"] = str(len(children))
        for i, child in enumerate(children):
            data[f"{prefix}-{i}-type"] = child.block_type
            data[f"{prefix}-{i}-id"] = child.id or ""
            data[f"{prefix}-{i}-order"] = str(i)
            data[f"{prefix}-{i}-deleted"] = ""
            _block_data(child.block, child.value, f"{prefix}-{i}-value", data)
    elif isinstance(block, blocks.ListBlock):
        items = list(value.bound_blocks) if value is not None else []
        data[f"{prefix}-count"] = str(len(items))
        for i, item in enumerate(items):
            data[f"{prefix}-{i}-id"] = item.id or ""
            data[f"{prefix}-{i}-order"] = str(i)
            data[f"{prefix}-{i}-deleted"] = ""
            _block_data(block.child_block, item.value, f"{prefix}-{i}-value", data)
    elif isinstance(block, ImageBlock):  # a StructBlock whose value is the image itself
        children = {
            "image": value,
            "decorative": getattr(value, "decorative", False),
            "alt_text": getattr(value, "contextual_alt_text", ""),
        }
        for name, child in block.child_blocks.items():
            _block_data(child, children[name], f"{prefix}-{name}", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _block_data(child, value.get(name) if value else None, f"{prefix}-{name}", data)
    elif isinstance(block, blocks.FieldBlock):
        form_value = block.value_for_form(value) if value is not None else None
        _field_data(block.field, form_value, prefix, data)
    else:
        raise NotImplementedError(f"No form data for {type(block).__name__}")


def _field_data(field, value, name, data):
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        return
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
        data[name] = [str(v) for v in (value or [])]
        return
    if value is None:
        data[name] = ""
        return
    if hasattr(value, "pk"):
        value = value.pk
    if isinstance(value, datetime.date) and getattr(field, "input_formats", None):
        # Admin date widgets display a format of their own; post what the field parses.
        data[name] = value.strftime(list(field.input_formats)[0])
        return
    formatted = widget.format_value(value)
    data[name] = "" if formatted is None else formatted


def _form_data(form, data, prefix=""):
    for name, bound in form.fields.items():
        key = f"{prefix}{name}"
        value = form[name].value()
        widget = bound.widget
        if isinstance(widget, BlockWidget):
            raw = form.initial.get(name, getattr(form.instance, name, None))
            _block_data(widget.block_def, raw, key, data)
        else:
            _field_data(bound, value, key, data)
    for formset in getattr(form, "formsets", {}).values():
        formset_prefix = formset.prefix
        management = formset.management_form
        for field_name in management.fields:
            data[f"{formset_prefix}-{field_name}"] = str(management[field_name].value() or 0)
        for child in formset.forms:
            _form_data(child, data, prefix=f"{child.prefix}-")
    return data


def page_edit_form_data(page, user, **changes) -> dict:
    """The data the admin edit form would post for ``page`` unchanged, with ``changes`` applied."""
    page = page.get_latest_revision_as_object()
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user, parent_page=page.get_parent())
    data = _form_data(form, {})
    data.update(changes)
    return data


def new_product_form_data(**fields):
    """POST data for the admin's "add product" form: empty blocks and formsets plus ``fields``.

    A multiple-choice value (a list, e.g. ``season_months``) is posted one value per box.
    """
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    lists = {name: value for name, value in fields.items() if isinstance(value, list)}
    data = nested_form_data(
        {
            "price_unit": "kg",
            "description": streamfield([]),
            "where_to_buy": streamfield([]),
            "gallery": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
            "certifications": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
            **{name: value for name, value in fields.items() if name not in lists},
        }
    )
    data.update(lists)
    return data


def post_page_edit(client, page, user, action, **changes):
    """``user`` saves the admin edit form of ``page`` with ``changes``; ``action`` is the button
    ("publish", "submit" for moderation), as the browser posts it."""
    from django.urls import reverse

    data = page_edit_form_data(page, user, **changes)
    data[f"action-{action}"] = "1"
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return client.post(url, data, HTTP_HOST="localhost", follow=False)
