"""Format 1: the Kemendagri region list, ``kode,nama``, every level in one file.

The level is read from the code's shape (``53``, ``53.01``, ``53.01.04``, ``53.01.04.2003``); parents
come from the file or the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .. import codes
from ..codes import Level
from ..models import District, Province, Regency, Village
from . import cells, writers
from .base import Run
from .columns import FORMAT_REGIONS, LEVEL_NAMES, REGION_COLUMNS
from .report import Change, Counts

MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class LevelSpec:
    model: type
    parent: str | None  # the parent's attname
    fields: tuple[str, ...]  # compared and updated, besides the code

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


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
        code_at, name_at = self.table.index("kode"), self.table.index("nama")
        self.seen: dict[str, tuple[int, str]] = {}
        self.by_level: dict[Level, list[tuple[int, str, str]]] = {level: [] for level in LEVELS}
        self.hint = ", ".join(codes.SHAPE_HINT[level] for level in Level)
        for line, row in self.table.rows:
            self.validate_row(line, self.cell(row, code_at), cells.name(self.cell(row, name_at)))
        self.check_parents()

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
            self.by_level[level].append((line, code, name))

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

    def check_parents(self) -> None:
        for level, parent_model in PARENT_MODEL.items():
            missing: dict[str, list[int]] = {}
            for line, code, _nm in self.by_level[level]:
                parent = codes.parent_code(code)
                if parent not in self.seen:
                    missing.setdefault(parent, []).append(line)
            if not missing:
                continue
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

    def desired(self, level: Level, code: str, name: str) -> tuple:
        if level is Level.REGENCY:
            return (name, Regency.kind_for_name(name).value)
        if level is Level.VILLAGE:
            return (name, Village.kind_for_code(code).value)
        return (name,)

    def shown(self, level: Level, code: str, values: Sequence[Any]) -> dict[str, str]:
        kind = values[1] if len(values) > 1 else ""
        return {"tingkat": LEVEL_NAMES[level], "kode": code, "nama": values[0], "jenis": str(kind)}

    def write(self) -> None:
        total = sum(len(rows) for rows in self.by_level.values())
        done = 0
        taken_slugs: set[str] | None = None
        for level, spec in LEVELS.items():
            counts = self.report.counts.setdefault(spec.label, Counts())
            rows = self.by_level[level]
            if level is Level.REGENCY and rows:
                taken_slugs = set(Regency.objects.values_list("slug", flat=True))
            # A first import: nothing to compare with, no batch needs to read what exists.
            empty = bool(rows) and not spec.model.objects.exists()
            for batch in writers.chunks(rows, writers.BATCH_SIZE):
                self.write_batch(level, spec, batch, counts, taken_slugs, empty=empty)
                done += len(batch)
                self.tick(done, total)

    def write_batch(self, level, spec: LevelSpec, batch, counts: Counts, taken_slugs, *, empty: bool) -> None:
        model = spec.model
        codes_ = [code for _line, code, _n in batch]
        existing = {} if empty else writers.existing_text_rows(model, spec.fields, codes_)
        new, changed = [], []
        label = LEVEL_NAMES[level]
        for line, code, name in batch:
            wanted = self.desired(level, code, name)
            values = dict(zip(spec.fields, wanted, strict=True))
            before = existing.get(code)
            if before is None:
                if spec.parent:
                    values[spec.parent] = codes.parent_code(code)
                if level is Level.REGENCY:
                    values["slug"] = writers.unique_slug(name, code, taken_slugs)
                new.append({"code": code, **values})
                kind = "new"
            elif tuple(before) != wanted:
                changed.append(model(code=code, **values))
                kind = "update"
            else:
                kind = "skip"
            if self.count(counts, kind):
                shown_before = self.shown(level, code, before) if before else None
                self.report.changes.append(
                    Change(line, kind, label, code, shown_before, self.shown(level, code, wanted))
                )
        if self.dry_run:
            return
        if new:
            writers.insert_rows(model, new)
        if changed:
            model.objects.bulk_update(changed, list(spec.fields), batch_size=writers.BATCH_SIZE)
