"""Model fields the product pages need and Django does not ship."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


def month_choices(label):
    """(1, label of 1) … (12, label of 12), translated when shown rather than at import.

    ``label`` is a msgid marked with ``gettext_noop``, with a ``%(month)d`` placeholder.
    """
    text = lazy(lambda month: gettext(label) % {"month": month}, str)
    return [(month, text(month)) for month in range(1, 13)]


MONTH_CHOICES = month_choices(gettext_noop("Tháng %(month)d"))


class MonthSetField(models.CharField):
    """A set of calendar months (1–12), stored as text like "1,2,12" so it works on any database."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = value.split(",")
        try:
            months = sorted({int(v) for v in value})
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Tháng không hợp lệ.")) from error
        if any(m < 1 or m > 12 for m in months):
            raise ValidationError(_("Tháng phải từ 1 đến 12."))
        return months

    def get_prep_value(self, value):
        return ",".join(str(m) for m in self.to_python(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        # CharField.validate would compare the list with choices and max_length as text.
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        # Skip CharField.formfield: the form field is a set of checkboxes, not a text box.
        return models.Field.formfield(
            self,
            **{
                "form_class": forms.TypedMultipleChoiceField,
                "choices": MONTH_CHOICES,
                "coerce": int,
                "widget": forms.CheckboxSelectMultiple,
                **kwargs,
            },
        )
