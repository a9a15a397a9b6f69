"""Vietnamese formats: day before month everywhere.

Django's own Vietnamese locale sets no input formats, so forms would fall back to the
American "%m/%d/%Y" and read 05/06/2025 as the 6th of May. The Wagtail admin's date
picker writes "%d/%m/%Y" (WAGTAIL_DATE_FORMAT); <input type="date"> sends ISO dates.
"""

from django.conf.locale.vi.formats import *  # noqa: F403

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 25/12/2025
    "%d/%m/%y",  # 25/12/25
    "%d-%m-%Y",  # 25-12-2025
    "%Y-%m-%d",  # 2025-12-25 (ISO, <input type="date">)
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%d/%m/%Y",
    "%Y-%m-%d",
]
