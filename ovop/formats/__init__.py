"""How dates and times read in the back office: "29 Nov 2026" and "29 Nov 2026 18.11" in WITA.

`id/formats.py` sets DATE_FORMAT and DATETIME_FORMAT for Indonesian (FORMAT_MODULE_PATH), so the
admin's lists, Django's `date` filter and the two helpers below all give the same shape. Python code
that writes a date into a message uses these helpers, never strftime.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def day(value: datetime.date | None) -> str:
    """`29 Nov 2026`; an empty string for None."""
    return date_format(value, "DATE_FORMAT") if value else ""


def moment(value: datetime.datetime | None) -> str:
    """`29 Nov 2026 18.11` in WITA (the active time zone); an empty string for None."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""
