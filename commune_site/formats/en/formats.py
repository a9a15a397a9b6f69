"""English formats for this project: the admin's date picker writes day/month/year
(WAGTAIL_DATE_FORMAT) in every language, so English forms read dates the same way."""

from django.conf.locale.en.formats import *  # noqa: F403

from ..vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
