"""Cells of the spreadsheets officers import and export: one rule each, for every app.

Pure functions, no models: `villages` (the region import and export) and `catalogue` (the back
office's exports) both use them, so neither has to import the other.

* Formula injection (OWASP "CSV injection"): a text cell that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return (or their full-width forms) may be run as a formula by Excel or
  LibreOffice. `escape_formula` puts an apostrophe before it, which spreadsheets show as text;
  a plain number written as text, such as a latitude ``-8.65``, is not a formula and stays as it is
  (a leading ``+``, as in a WhatsApp number ``+62812...``, is escaped: the number stays text).
  `unescape_formula` takes our apostrophe off again when such a file comes back to an import.
* Yes/no cells: `yes_no` writes ``ya``/``tidak``; `parse_yes_no` reads them back together with what
  other tools write (yes/no, y/n, 1/0, true/false, benar/salah, tdk).
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

#: What a spreadsheet may take for the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")

_YES = frozenset({"ya", "y", "yes", "1", "true", "benar"})
_NO = frozenset({"tidak", "tdk", "no", "n", "0", "false", "salah", ""})


def escape_formula(value: Any) -> Any:
    """``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``; ``-8.65``, numbers and other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    """Take off the apostrophe `escape_formula` put before formula-like text; anything else unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def yes_no(value: bool) -> str:
    """``ya`` or ``tidak`` (translated), as exports write a boolean."""
    return _("ya") if value else _("tidak")


def parse_yes_no(text: str) -> bool:
    """``ya`` → True, ``tidak`` or an empty cell → False; ValueError naming what is accepted otherwise."""
    key = text.strip().lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(
        _("Isi dengan ya atau tidak (juga yes/no, 1/0, true/false), bukan “%(value)s”.") % {"value": text}
    )


def escape_dataset(dataset):
    """Escape every header and cell of a tablib Dataset in place (its title kept); returns it."""
    headers = [escape_formula(str(header)) for header in dataset.headers or []]
    rows = [[escape_formula(cell) for cell in row] for row in dataset]
    title = dataset.title
    dataset.wipe()
    if headers:
        dataset.headers = headers
    for row in rows:
        dataset.append(row)
    dataset.title = title
    return dataset


class FormulaSafeMixin:
    """For an import-export format: every exported cell escaped, whatever the library's own setting.

    django-import-export 4.x's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips one leading ``=``
    (so ``==1+1`` still becomes a formula, and ``+``, ``-``, ``@``, tab and CR pass untouched).
    """

    def export_data(self, dataset, **kwargs):
        escape_dataset(dataset)
        return super().export_data(dataset, **kwargs)

    def _escape_formulae(self, dataset):
        # Replaces the library's "strip one leading =" with the full escape (idempotent).
        escape_dataset(dataset)
