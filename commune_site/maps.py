"""Coordinates of a place (a producer, a point of sale) and the link that opens the phone's
map app on the way there. No map library and no tiles: the buyer's own map app draws the map.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# Vietnam, from Cà Mau to Hà Giang and out to the Trường Sa special zone (a commune-level
# unit since 2025); a point outside is a typing error, often latitude and longitude swapped.
LATITUDE_RANGE = (Decimal("8"), Decimal("23.5"))
LONGITUDE_RANGE = (Decimal("102"), Decimal("117.5"))

LATITUDE_MESSAGE = _("Vĩ độ ở Việt Nam nằm trong khoảng 8 đến 23,5, ví dụ 10.535812.")
LONGITUDE_MESSAGE = _("Kinh độ ở Việt Nam nằm trong khoảng 102 đến 117,5, ví dụ 106.413947.")
COORDINATES_HELP = _(
    "Trên Google Maps, giữ ngón tay lên điểm cần ghi: hai số hiện ra là vĩ độ, kinh độ "
    "(ví dụ 10.535812, 106.413947). Dùng dấu chấm. Để trống cả hai nếu chưa có."
)
BOTH_OR_NEITHER = _("Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai.")

latitude_validators = [
    MinValueValidator(LATITUDE_RANGE[0], LATITUDE_MESSAGE),
    MaxValueValidator(LATITUDE_RANGE[1], LATITUDE_MESSAGE),
]
longitude_validators = [
    MinValueValidator(LONGITUDE_RANGE[0], LONGITUDE_MESSAGE),
    MaxValueValidator(LONGITUDE_RANGE[1], LONGITUDE_MESSAGE),
]


def coordinates_errors(latitude, longitude) -> dict:
    """Errors by field name when only one of the two coordinates is given."""
    if (latitude is None) == (longitude is None):
        return {}
    missing = "longitude" if longitude is None else "latitude"
    return {missing: ValidationError(BOTH_OR_NEITHER)}


def directions_url(latitude, longitude) -> str:
    """Google Maps' cross-platform directions link to a point, or "" without coordinates.

    It opens the Google Maps app on Android and iOS when installed, else the web map; a
    geo: URI would do nothing on an iPhone.
    """
    if latitude is None or longitude is None:
        return ""
    destination = f"{Decimal(latitude):f},{Decimal(longitude):f}"
    return "https://www.google.com/maps/dir/?" + urlencode(
        {"api": "1", "destination": destination}, safe=","
    )
