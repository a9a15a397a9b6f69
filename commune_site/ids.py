"""Object ids from untrusted input (URLs, forms), checked before they reach a query.

``str.isdigit()`` accepts "²" and "１２３", which int() or the database then refuse, and a
400-digit id overflows SQLite's 64-bit integers: both were 500s. Here they are "no such id".
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id as an int, or None unless it is 1 to 19 ASCII digits within a 64-bit integer."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class ModelIdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose odd ids are an invalid choice rather than a database error."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, models.Model)
            and parse_id(value) is None
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose odd ids are invalid rather than a database error."""

    def _check_values(self, value):
        for pk in value:
            if not isinstance(pk, models.Model) and parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
