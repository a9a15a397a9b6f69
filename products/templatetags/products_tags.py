"""Template filters for prices and seasons, Vietnamese conventions."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount):
    """1250000 → "1.250.000 ₫". Money is integer đồng; anything else renders empty."""
    if amount is None or amount == "":
        return ""
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " ₫"


@register.filter
def months_label(months):
    """[1, 2, 3, 7] → "Tháng 1–3, 7"; empty → all year round."""
    if not months:
        return _("Quanh năm")
    runs, start, previous = [], None, None
    for month in sorted(months):
        if start is None:
            start = previous = month
        elif month == previous + 1:
            previous = month
        else:
            runs.append((start, previous))
            start = previous = month
    runs.append((start, previous))
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in runs]
    return _("Tháng %(months)s") % {"months": ", ".join(parts)}


@register.filter
def stars(count):
    """3 → "★★★" for OCOP ratings."""
    try:
        return "★" * int(count)
    except (TypeError, ValueError):
        return ""
