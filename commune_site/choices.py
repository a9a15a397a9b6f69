"""``get_FOO_display`` without translating every label of the field on each call.

Django's builds ``dict(make_hashable(field.flatchoices))`` on every call, which hashes each
(value, label) pair, and hashing a lazy label translates it: ``get_price_unit_display`` cost
ten translations, and a product page showed its unit three times (54 translations a render).
Here the value → label map is built once per field; only the label shown is translated, in
the language of the request as before.
"""

from functools import cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field) -> dict:
    # Lazy labels stay lazy: nothing here is translated, so one map serves every language.
    return {make_hashable(value): label for value, label in field.flatchoices}


class ChoiceLabelsMixin:
    """A model mixin: its fields' ``get_FOO_display`` read a map made once per field.

    Django binds each ``get_FOO_display`` to ``cls._get_FIELD_display`` as it builds the model
    class, so this one method serves every field with choices.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
