"""The ``--producer PHONE_OR_ID`` option of the sales commands (not a command itself)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from producers.revenue.importing import producer_lookup


def producer_from_option(value: str):
    """The producer a login phone or page id names; exit 2 with a message when none does."""
    producer = producer_lookup(value)
    if producer is None:
        raise CommandError(
            _("Không có nhà sản xuất nào có số điện thoại đăng nhập hoặc mã trang "
              "“%(value)s”.") % {"value": value},
            returncode=2,
        )
    return producer
