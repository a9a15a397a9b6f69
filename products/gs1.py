"""GS1 identifiers: GTIN check digits, normalisation to GTIN-14, and Digital Link URIs."""

import re
from urllib.parse import quote

from django.utils.translation import gettext as _

GTIN_LENGTHS = (8, 12, 13, 14)
# GS1 application identifier 10 (batch/lot): up to 20 characters. We allow the URL-safe
# subset of GS1's character set 82, so a lot code never needs escaping on a label.
LOT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")


class GtinError(ValueError):
    """A GTIN that is not 8, 12, 13 or 14 digits, or whose check digit is wrong."""


def check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit for ``digits`` (the GTIN without its last digit)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


def is_valid_gtin(raw: str) -> bool:
    """True for an 8, 12, 13 or 14 digit GTIN with a correct check digit."""
    try:
        normalise_gtin(raw)
    except GtinError:
        return False
    return True


def normalise_gtin(raw: str) -> str:
    """The GTIN-14 form (left-padded with zeros) of a valid GTIN; raises GtinError otherwise."""
    value = (raw or "").strip().replace(" ", "")
    if not value.isascii() or not value.isdigit() or len(value) not in GTIN_LENGTHS:
        raise GtinError(_("Mã GTIN phải gồm 8, 12, 13 hoặc 14 chữ số."))
    if check_digit(value[:-1]) != int(value[-1]):
        raise GtinError(
            _("Số kiểm tra của mã GTIN không đúng (chữ số cuối phải là %(digit)s).")
            % {"digit": check_digit(value[:-1])}
        )
    return value.zfill(14)


def is_valid_lot(lot: str) -> bool:
    return bool(LOT_PATTERN.match(lot or ""))


def digital_link_uri(gtin: str, lot: str | None = None, host: str = "", *, scheme="https") -> str:
    """The GS1 Digital Link URI of a product (or one lot of it) on ``host``."""
    uri = f"{scheme}://{host}/01/{normalise_gtin(gtin)}"
    if lot:
        uri += f"/10/{quote(lot, safe='')}"
    return uri
