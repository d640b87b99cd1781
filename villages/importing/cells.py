"""Cell parsers of the mapping format: each returns the value or raises CellError with the reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ovop.tabular import parse_yes_no, yes_no
from villages import codes

_SATELLITE_SEPARATOR = re.compile(r"[;|]")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_SIX_PLACES = Decimal("0.000001")


class CellError(ValueError):
    pass


def parse_bool(value: str) -> bool:
    try:
        return parse_yes_no(value)
    except ValueError as error:
        raise CellError(str(error)) from None


def parse_score(value: str) -> int | None:
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise CellError(_("Skor harus bilangan bulat 1 sampai 5, bukan “%(value)s”.") % {"value": value})
    if not 1 <= number <= 5:
        raise CellError(_("Skor harus 1 sampai 5, bukan %(value)s.") % {"value": value})
    return int(number)


def parse_date(value: str) -> date | None:
    if not value:
        return None
    if match := _DMY.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise CellError(
            _("Tanggal “%(value)s” tidak dikenali: tulis DD/MM/YYYY (31/12/2025) atau YYYY-MM-DD.")
            % {"value": value}
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("Tanggal %(value)s tidak ada di kalender.") % {"value": value}) from None


def _parse_coordinate(value: str, limit: int, label: str) -> Decimal | None:
    if not value:
        return None
    text = value.replace("−", "-")
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # decimal comma, as Excel writes it in the Indonesian locale
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(_("%(label)s “%(value)s” bukan angka desimal.") % {"label": label, "value": value})
    if not -limit <= number <= limit:
        raise CellError(
            _("%(label)s %(value)s di luar rentang -%(limit)d sampai %(limit)d.")
            % {"label": label, "value": value, "limit": limit}
        )
    return number.quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)


def parse_latitude(value: str) -> Decimal | None:
    return _parse_coordinate(value, 90, _("Lintang"))


def parse_longitude(value: str) -> Decimal | None:
    return _parse_coordinate(value, 180, _("Bujur"))


def text(max_length: int | None = None, *, squeeze: bool = True) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = " ".join(value.split()) if squeeze else value
        if max_length is not None and len(value) > max_length:
            raise CellError(
                _("Terlalu panjang: %(length)d karakter, paling banyak %(max)d.")
                % {"length": len(value), "max": max_length}
            )
        return value

    return parse


def parse_satellites(value: str) -> tuple[str, ...]:
    """Village codes separated by `;` or `|`, in order, without repeats."""
    found: list[str] = []
    for part in _SATELLITE_SEPARATOR.split(value):
        code = part.strip()
        if code and code not in found:
            found.append(code)
    return tuple(found)


def name(value: str) -> str:
    return codes.region_name(value)


def display(value: Any) -> str:
    """A parsed value as the admin's preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple | list | set | frozenset):
        return "; ".join(sorted(value))
    return str(value)
