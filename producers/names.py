"""People's names in Vietnamese order: family name first, given name last ("Nguyễn Thị Tư").

Accounts keep Django's two fields as Django means them: ``first_name`` is the given name
("Tư"), ``last_name`` the family and middle names ("Nguyễn Thị"); see ``services._split_name``.
Django's ``User.get_full_name`` joins them the Western way ("Tư Nguyễn Thị"), and Wagtail
shows that wherever it names a user (dashboard approval lists, page history, workflow
history, the users listing, comments, the audit log), through ``get_full_name``.

The project has no custom user model, and one cannot be swapped in on a live database, so
the least invasive fix is at that one method: ``User.get_full_name`` is replaced, at start-up,
by the Vietnamese order. ``get_short_name`` (the given name, used by Wagtail's sidebar
greeting) is already right.
"""

from django.contrib.auth import get_user_model


def vietnamese_full_name(user) -> str:
    """Family and middle names, then the given name: "Nguyễn Thị Tư"."""
    return " ".join(part for part in (user.last_name, user.first_name) if part).strip()


def use_vietnamese_name_order() -> None:
    """Make every ``user.get_full_name()`` (Django's, Wagtail's, ours) Vietnamese order."""
    get_user_model().get_full_name = vietnamese_full_name
