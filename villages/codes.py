"""Kemendagri region codes: shapes, levels and parents. Pure functions, no database.

`53` province, `53.01` regency/city, `53.01.04` district, `53.01.04.2003` village. A village whose
last segment starts with 1 is a kelurahan (urban), with 2 a desa (rural), with 3 a desa adat
(customary village, e.g. the 14 of Kabupaten Jayapura, 91.03, in the 2025 list), which is a desa too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import IntEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Level(IntEnum):
    PROVINCE = 1
    REGENCY = 2
    DISTRICT = 3
    VILLAGE = 4


_SHAPES = {
    Level.PROVINCE: re.compile(r"\d{2}"),
    Level.REGENCY: re.compile(r"\d{2}\.\d{2}"),
    Level.DISTRICT: re.compile(r"\d{2}\.\d{2}\.\d{2}"),
    Level.VILLAGE: re.compile(r"\d{2}\.\d{2}\.\d{2}\.[1-3]\d{3}"),
}

SHAPE_HINT = {
    Level.PROVINCE: "53",
    Level.REGENCY: "53.01",
    Level.DISTRICT: "53.01.04",
    Level.VILLAGE: "53.01.04.2003",
}


# Each shape has one length: one look-up and one match per code (the import checks 91,599 of them).
LEVEL_BY_LENGTH = {len(SHAPE_HINT[level]): level for level in Level}
# The same shapes for many codes at once, one code per line: a code holding a line break has no valid
# shape (each shape has one length), so no code can pass for two.
_SHAPE_LINES = {level: re.compile(rf"(?:{shape.pattern}\n)*") for level, shape in _SHAPES.items()}


def all_of_shape(level: Level, codes: Sequence[str]) -> bool:
    """Whether every one of `codes` has `level`'s shape: one pass of the regular expression over all."""
    return not codes or _SHAPE_LINES[level].fullmatch("\n".join(codes) + "\n") is not None


#: How long a valid code's parent code is, by the code's level (`53.01.04.2003` -> `53.01.04`).
PARENT_LENGTH = {level: len(SHAPE_HINT[Level(level - 1)]) for level in Level if level > Level.PROVINCE}


def level_of(code: str) -> Level | None:
    """The level a code's shape says, or None when it has no valid shape."""
    level = LEVEL_BY_LENGTH.get(len(code))
    return level if level is not None and _SHAPES[level].fullmatch(code) else None


def parent_code(code: str) -> str | None:
    head, dot, _tail = code.rpartition(".")
    return head if dot else None


def regency_of(code: str) -> str:
    """The regency/city a district's or village's code belongs to: its first two segments
    (`53.01.04.2003` -> `53.01`), since every code starts with its parent's (validate_parent)."""
    return code[: len(SHAPE_HINT[Level.REGENCY])]


def is_kelurahan(village_code: str) -> bool:
    return village_code.rsplit(".", 1)[-1].startswith("1")


def validate_code(code: str, level: Level) -> None:
    if not _SHAPES[level].fullmatch(code or ""):
        raise ValidationError(
            _("Kode %(code)s tidak sah: bentuk yang benar seperti %(example)s."),
            code="bad_code",
            params={"code": code, "example": SHAPE_HINT[level]},
        )


def validate_parent(code: str, parent: str) -> None:
    if parent_code(code) != parent:
        raise ValidationError(
            _("Kode %(code)s harus diawali kode induknya %(parent)s."),
            code="bad_parent",
            params={"code": code, "parent": parent},
        )


def region_name(value: str) -> str:
    """A region's name as Kemendagri writes it: single spaces, and an apostrophe that an SQL dump
    doubled made single again (`KI''E` -> `KI'E`, `Oh''aem` -> `Oh'aem`): no real name holds two."""
    return " ".join(value.split()).replace("''", "'")


def region_names(values: Iterable[str]) -> list[str]:
    """`region_name` of each value, in one comprehension (the import tidies 91,599 names at once)."""
    return [" ".join(value.split()).replace("''", "'") for value in values]
