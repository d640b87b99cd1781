"""Format 1: the Kemendagri region list, ``kode,nama``, every level in one file.

The level is read from the code's shape (``53``, ``53.01``, ``53.01.04``, ``53.01.04.2003``); parents
come from the file or the database.

A re-import of the national list (91,599 rows) mostly finds every row as it is stored (issue 17), so
the work is shaped for that, in steps over whole columns rather than a Python step per row: a clean
file is validated in bulk (`validate_in_bulk`; any doubt and every row is checked one by one, as
before), and each level is compared with what the database holds now in one query (`compare`).
Only rows that differ are looked at one by one, and nothing is written when nothing differs. Every
row is still checked against the database: an officer may have edited a village in the admin since.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from .. import codes
from ..codes import Level
from ..models import District, Province, Regency, Village
from . import writers
from .base import Run
from .columns import FORMAT_REGIONS, LEVEL_NAMES, REGION_COLUMNS
from .report import Change, Counts

MAX_NAME = 120
_KELURAHAN, _DESA = Village.Kind.KELURAHAN.value, Village.Kind.DESA.value


@dataclass(frozen=True, slots=True)
class LevelSpec:
    model: type
    parent: str | None  # the parent's attname
    fields: tuple[str, ...]  # compared and updated, besides the code

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


@dataclass(slots=True)
class LevelRows:
    """One level's good rows of the file, one list per column, in the file's order."""

    lines: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def add(self, line: int, code: str, name: str) -> None:
        self.lines.append(line)
        self.codes.append(code)
        self.names.append(name)


LEVELS = {
    Level.PROVINCE: LevelSpec(Province, None, ("name",)),
    Level.REGENCY: LevelSpec(Regency, "province_id", ("name", "kind")),
    Level.DISTRICT: LevelSpec(District, "regency_id", ("name",)),
    Level.VILLAGE: LevelSpec(Village, "district_id", ("name", "kind")),
}
PARENT_MODEL = {Level.REGENCY: Province, Level.DISTRICT: Regency, Level.VILLAGE: District}


class RegionImport(Run):
    format = FORMAT_REGIONS

    def validate(self) -> None:
        if not self.check_columns(REGION_COLUMNS, REGION_COLUMNS):
            return
        self.report.columns = ["tingkat", "kode", "nama", "jenis"]
        self.hint = ", ".join(codes.SHAPE_HINT[level] for level in Level)
        self.seen: dict[str, tuple[int, str]] = {}  # code -> its first (line, name)
        self.by_level: dict[Level, LevelRows] = {level: LevelRows() for level in LEVELS}
        lines, codes_, names = self.file_columns()
        if self.validate_in_bulk(lines, codes_, names):
            return
        self.by_level = {level: LevelRows() for level in LEVELS}
        for line, code, name in zip(lines, codes_, names, strict=True):
            self.validate_row(line, code, name)
        self.check_parents(self.seen)

    def file_columns(self) -> tuple[list[int], list[str], list[str]]:
        """The file's line numbers, codes and names (tidied as cells.name does), one list each."""
        rows = self.table.rows
        code_at, name_at = self.table.index("kode"), self.table.index("nama")
        lines = list(map(itemgetter(0), rows))
        cells_ = list(map(itemgetter(1), rows))
        try:
            codes_ = list(map(itemgetter(code_at), cells_))
            names = list(map(itemgetter(name_at), cells_))
        except IndexError:  # a short row (a spreadsheet drops trailing empty cells): empty cells
            codes_ = [self.cell(row, code_at) for row in cells_]
            names = [self.cell(row, name_at) for row in cells_]
        return lines, codes_, codes.region_names(names)

    def validate_in_bulk(self, lines: list[int], codes_: list[str], names: list[str]) -> bool:
        """Accept a clean file in a few passes in C over whole columns, without a Python step per
        row (issue 17): every name of a good length, every code of a known shape and none twice,
        every parent in the file (or else looked up). False at the first doubt, with nothing kept:
        validate_row then checks row by row, and finds and reports every problem."""
        name_lengths = list(map(len, names))
        if not name_lengths or min(name_lengths) == 0 or max(name_lengths) > MAX_NAME:
            return False
        lengths = list(map(len, codes_))
        counts = Counter(lengths)
        if not counts.keys() <= codes.LEVEL_BY_LENGTH.keys():
            return False
        # Each code's length says its level: sorted by length (a stable sort), the rows come level
        # by level, each level in the file's order.
        order = sorted(range(len(lengths)), key=lengths.__getitem__)
        known: set[str] = set()
        start = 0
        for length, level in sorted(codes.LEVEL_BY_LENGTH.items()):
            indexes = order[start : start + counts[length]]
            start += len(indexes)
            level_codes = list(map(codes_.__getitem__, indexes))
            known.update(level_codes)
            if len(known) != start or not codes.all_of_shape(level, level_codes):
                return False  # a code twice, or one of a bad shape
            self.by_level[level] = LevelRows(
                list(map(lines.__getitem__, indexes)), level_codes, list(map(names.__getitem__, indexes))
            )
        self.check_parents(known)
        return True

    def validate_row(self, line: int, code: str, name: str) -> None:
        level = codes.level_of(code)
        valid = level is not None and 0 < len(name) <= MAX_NAME
        if not valid:
            self.report_bad_code(line, code, level)
            self.report_bad_name(line, name)
        if not code or self.is_repeat(line, code, name):
            return
        self.seen[code] = (line, name)
        if valid:
            self.by_level[level].add(line, code, name)

    def report_bad_code(self, line: int, code: str, level: Level | None) -> None:
        if not code:
            self.problems.add(line, "kode", _("Kode kosong."))
        elif level is None:
            self.problems.add(
                line,
                "kode",
                _("Kode “%(code)s” tidak sah: bentuk yang benar seperti %(hint)s.")
                % {"code": code, "hint": self.hint},
            )

    def report_bad_name(self, line: int, name: str) -> None:
        if not name:
            self.problems.add(line, "nama", _("Nama kosong."))
        elif len(name) > MAX_NAME:
            self.problems.add(
                line,
                "nama",
                _("Nama terlalu panjang: %(length)d karakter, paling banyak 120.") % {"length": len(name)},
            )

    def is_repeat(self, line: int, code: str, name: str) -> bool:
        """A code seen before: a problem when its name differs, a warning when the row is the same."""
        if code not in self.seen:
            return False
        first_line, first_name = self.seen[code]
        if name and first_name and name != first_name:
            self.problems.add(
                line,
                "nama",
                _("Kode %(code)s sudah ada di baris %(line)d dengan nama lain, “%(name)s”.")
                % {"code": code, "line": first_line, "name": first_name},
            )
        else:
            self.report.warnings.append(
                _("Baris %(line)d mengulang baris %(first)d dan dilewati.")
                % {"line": line, "first": first_line}
            )
        return True

    def check_parents(self, known: Container[str]) -> None:
        """Every row's parent is in the file (`known`: its codes) or in the database."""
        for level, parent_model in PARENT_MODEL.items():
            rows = self.by_level[level]
            parent_of = itemgetter(slice(codes.PARENT_LENGTH[level]))  # the codes have the level's shape
            if all(map(known.__contains__, set(map(parent_of, rows.codes)))):
                continue
            missing: dict[str, list[int]] = {}
            for line, code in zip(rows.lines, rows.codes, strict=True):
                parent = parent_of(code)
                if parent not in known:
                    missing.setdefault(parent, []).append(line)
            found = writers.existing_codes(parent_model, missing)
            parent_label = LEVEL_NAMES[Level(level - 1)]
            for parent, lines in missing.items():
                if parent in found:
                    continue
                for line in lines:
                    self.problems.add(
                        line,
                        "kode",
                        _("Induknya, %(label)s %(parent)s, tidak ada di berkas maupun di basis data.")
                        % {"label": parent_label, "parent": parent},
                    )

    def desired_columns(self, level: Level, rows: LevelRows) -> list[tuple]:
        """The level's rows as its table would store them, one tuple per column, in the file's order:
        codes, names and, for regencies and villages, the kind that the name or the code says."""
        columns = [tuple(rows.codes), tuple(rows.names)]
        if level is Level.VILLAGE:
            # Village.kind_for_code for a code of the village shape, whose last segment starts at 9.
            columns.append(tuple([_KELURAHAN if code[9] == "1" else _DESA for code in rows.codes]))
        elif level is Level.REGENCY:
            columns.append(tuple(Regency.kind_for_name(name).value for name in rows.names))
        return columns

    def shown(self, level: Level, code: str, values: Sequence[Any]) -> dict[str, str]:
        kind = values[1] if len(values) > 1 else ""
        return {"tingkat": LEVEL_NAMES[level], "kode": code, "nama": values[0], "jenis": str(kind)}

    def write(self) -> None:
        total = sum(len(rows.codes) for rows in self.by_level.values())
        done = 0
        self.taken_slugs: set[str] | None = None
        for level, spec in LEVELS.items():
            counts = self.report.counts.setdefault(spec.label, Counts())
            rows = self.by_level[level]
            if not rows.codes:
                continue
            differences = self.compare(spec, self.desired_columns(level, rows))
            size = writers.BATCH_SIZE
            with writers.bulk_load(spec.model, 0 if self.dry_run else self.new_rows(rows, differences)):
                for start in range(0, len(rows.codes), size):
                    indexes = range(start, min(start + size, len(rows.codes)))
                    if differences is None:
                        counts.unchanged += len(indexes)
                    else:
                        self.write_batch(level, spec, rows, indexes, counts, *differences)
                    done += len(indexes)
                    self.tick(done, total)
            if counts.new >= writers.BATCH_SIZE and not self.dry_run:
                writers.refresh_statistics(spec.model)

    @staticmethod
    def new_rows(rows: LevelRows, differences: tuple | None) -> int:
        """How many of a level's rows are not stored yet (compare()'s answer)."""
        if differences is None:
            return 0
        _wanted, stored, stale = differences
        if stale is None:  # an empty table: every row is new
            return len(rows.codes)
        return sum(1 for row in stale if row[0] not in stored)

    def compare(self, spec: LevelSpec, columns: list[tuple]) -> tuple | None:
        """None when every row is stored exactly as the file has it; else the rows as wanted
        (`(code, name[, kind])`), the stored values by code, and the wanted rows that are not stored
        so (new or changed), or None for these when the table is empty (a first import: all new).

        Every row is compared with what the database holds now, value by value, in C:

        1. The database joins each column of the rows it holds in the file's range into one text,
           in code order (writers.stored_columns), and the file's columns are joined the same way.
           Equal texts from as many rows, when no value of the file holds the separator (the
           reader refuses control characters), are equal rows: a stored value with the separator
           in it would add one.
        2. Otherwise the stored rows come as tuples, sorted by code, and are compared column by
           column (a file in code order, as Kemendagri's is).
        3. Any difference, or a file in another order, is sorted out by comparing the rows as sets.
        """
        model = spec.model
        if not model.objects.exists():
            return list(zip(*columns, strict=True)), {}, None
        count = len(columns[0])
        stored = writers.stored_columns(model, spec.fields, columns[0])
        if stored is not None and stored[0] == count:
            separator = writers.SEPARATOR
            texts = [separator.join(column) for column in columns]
            if stored[1] == texts and all(text.count(separator) == count - 1 for text in texts):
                return None
        rows = writers.stored_rows(model, spec.fields, columns[0])
        if len(rows) == count:
            rows.sort()  # by code, as Python orders text
            if list(zip(*rows, strict=True)) == columns:
                return None
        wanted = list(zip(*columns, strict=True))
        stale = set(wanted)
        stale.difference_update(rows)
        if not stale:
            return None
        return wanted, {row[0]: row[1:] for row in rows}, stale

    def write_batch(
        self,
        level: Level,
        spec: LevelSpec,
        rows: LevelRows,
        indexes: range,
        counts: Counts,
        wanted: list[tuple],
        stored: dict[str, tuple],
        stale: set[tuple] | None,
    ) -> None:
        model = spec.model
        new, changed = [], []
        label = LEVEL_NAMES[level]
        unchanged = 0
        for index in indexes:
            values_in_order = wanted[index]
            if stale is not None and values_in_order not in stale:
                unchanged += 1
                continue
            line, code, name = rows.lines[index], rows.codes[index], rows.names[index]
            after = values_in_order[1:]
            values = dict(zip(spec.fields, after, strict=True))
            before = stored.get(code)
            if before is None:
                if spec.parent:
                    values[spec.parent] = codes.parent_code(code)
                if level is Level.REGENCY:
                    values["slug"] = writers.unique_slug(name, code, self.regency_slugs())
                new.append({"code": code, **values})
                kind = "new"
            else:
                changed.append(model(code=code, **values))
                kind = "update"
            if self.count(counts, kind):
                shown_before = self.shown(level, code, before) if before else None
                self.report.changes.append(
                    Change(line, kind, label, code, shown_before, self.shown(level, code, after))
                )
        counts.unchanged += unchanged
        if self.dry_run:
            return
        if new:
            writers.insert_rows(model, new)
        if changed:
            model.objects.bulk_update(changed, list(spec.fields), batch_size=writers.BATCH_SIZE)

    def regency_slugs(self) -> set[str]:
        """The slugs taken so far (read once, when the first new regency needs one)."""
        if self.taken_slugs is None:
            self.taken_slugs = set(Regency.objects.values_list("slug", flat=True))
        return self.taken_slugs
