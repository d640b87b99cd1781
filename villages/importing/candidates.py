"""The candidate import (issue 16, item 7): the next cohort's proposed villages, on the village rules.

One row per village and cohort year: ``kode_desa, komoditas, tahun_angkatan``, a ``skor_<kriteria>``
(1-5) for each of the five criteria, and optionally ``diusulkan_oleh`` and ``catatan_<kriteria>``
(an absent optional column leaves the stored value alone). The file is read by reader.py, as the
village import's files are: encoding and delimiter found, BOM, header case-insensitive, our exports'
formula apostrophes taken off, strict quoting, only the notes may span lines. Every row is checked
before anything is written; one problem refuses the whole file, each named by line and column. A
candidate already accepted or rejected is never changed by an import (an identical row is fine).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..models import Candidate, CandidateStatus, District, Village
from . import cells, writers
from .base import Progress, Run
from .cells import CellError
from .columns import (
    CANDIDATE_COLUMNS,
    CANDIDATE_CRITERIA,
    CANDIDATE_OPTIONAL_COLUMNS,
    FORMAT_CANDIDATES,
)
from .reader import Table, read_table
from .report import Change, Counts, ImportReport

MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_year(value: str) -> int:
    if not value.isdigit():
        raise CellError(_("Tahun angkatan harus bilangan bulat, bukan “%(value)s”.") % {"value": value})
    year = int(value)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(
            _("Tahun angkatan %(value)s di luar rentang %(min)d sampai %(max)d.")
            % {"value": value, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def _required(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def check(value: str) -> Any:
        if not value:
            raise CellError(_("Wajib diisi."))
        return parse(value)

    return check


# column -> (model attname, parser); kode_desa and tahun_angkatan are the key, read separately.
CANDIDATE_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "komoditas": ("commodity", _required(cells.text(200))),
    "diusulkan_oleh": ("proposed_by", cells.text(200)),
    **{
        column: field
        for criterion in CANDIDATE_CRITERIA
        for column, field in (
            (f"skor_{criterion}", (f"{criterion}_score", _required(cells.parse_score))),
            (f"catatan_{criterion}", (f"{criterion}_note", cells.text(squeeze=False))),
        )
    },
}


class CandidateImport(Run):
    format = FORMAT_CANDIDATES
    changes_places = False  # candidates are back-office only: no public page to refresh

    def validate(self) -> None:
        if not self.check_columns(CANDIDATE_COLUMNS, CANDIDATE_COLUMNS + CANDIDATE_OPTIONAL_COLUMNS):
            return
        header = self.table.header
        self.columns = [c for c in CANDIDATE_FIELDS if c in header]
        self.attnames = [CANDIDATE_FIELDS[c][0] for c in self.columns]
        self.report.columns = ["kode_desa", "tahun_angkatan", *self.columns]
        parsers = [(c, self.table.index(c), CANDIDATE_FIELDS[c][1]) for c in self.columns]
        code_at, year_at = self.table.index("kode_desa"), self.table.index("tahun_angkatan")
        self.rows: list[tuple[int, str, int, tuple]] = []
        seen: dict[tuple[str, int], int] = {}
        self.referenced: dict[str, list[int]] = {}  # every village named, also on rows with other problems
        for line, row in self.table.rows:
            code, values, valid = self.cell(row, code_at), [], True
            if not code:
                self.problems.add(line, "kode_desa", _("Kode desa wajib diisi."))
                valid = False
            try:
                year = parse_year(self.cell(row, year_at))
            except CellError as error:
                self.problems.add(line, "tahun_angkatan", str(error))
                year, valid = None, False
            for column, index, parse in parsers:
                try:
                    values.append(parse(self.cell(row, index)))
                except CellError as error:
                    self.problems.add(line, column, str(error))
                    valid = False
            if code:
                self.referenced.setdefault(code, []).append(line)
            if code and year is not None:
                if (code, year) in seen:
                    self.problems.add(
                        line,
                        "kode_desa",
                        _("Desa %(code)s tahun %(year)d sudah ada di baris %(line)d.")
                        % {"code": code, "year": year, "line": seen[code, year]},
                    )
                    valid = False
                seen.setdefault((code, year), line)
            if valid:
                self.rows.append((line, code, year, tuple(values)))
        self.check_villages()

    def check_villages(self) -> None:
        found = writers.existing_codes(Village, self.referenced)
        for code, lines in self.referenced.items():
            for line in lines if code not in found else ():
                self.problems.add(
                    line,
                    "kode_desa",
                    _("Desa dengan kode %(code)s belum ada: impor wilayahnya dulu.") % {"code": code},
                )
        if self.problems:
            return
        self.existing = {
            (c.village_id, c.cohort_year): c
            for c in Candidate.objects.filter(village_id__in=found).select_related("village")
        }
        for line, code, year, values in self.rows:
            current = self.existing.get((code, year))
            if current is None or current.status == CandidateStatus.PROPOSED:
                continue
            if self.stored(current) != values:
                self.problems.add(
                    line,
                    "kode_desa",
                    _("Kandidat %(village)s tahun %(year)d sudah %(status)s; tidak diubah oleh impor.")
                    % {"village": current.village, "year": year, "status": current.get_status_display()},
                )

    def stored(self, candidate: Candidate) -> tuple:
        return tuple(getattr(candidate, attname) for attname in self.attnames)

    def write(self) -> None:
        counts = self.report.counts.setdefault(str(Candidate._meta.verbose_name), Counts())
        regencies = dict(
            District.objects.filter(villages__code__in={code for _l, code, _y, _v in self.rows}).values_list(
                "villages__code", "regency_id"
            )
        )
        new, changed = [], []
        for line, code, year, values in self.rows:
            current = self.existing.get((code, year))
            before = None if current is None else self.stored(current)
            fields = dict(zip(self.attnames, values, strict=True))
            if current is None:
                kind = "new"
                new.append(Candidate(village_id=code, regency_id=regencies[code], cohort_year=year, **fields))
            elif before != values:
                kind = "update"
                for attname, value in fields.items():
                    setattr(current, attname, value)
                changed.append(current)
            else:
                kind = "skip"
            if self.count(counts, kind):
                shown_before = None if before is None else self.shown(code, year, before)
                self.report.changes.append(
                    Change(line, kind, _("kandidat"), code, shown_before, self.shown(code, year, values))
                )
        self.tick(len(self.rows), len(self.rows))
        if not self.dry_run:
            Candidate.objects.bulk_create(new, batch_size=writers.BATCH_SIZE)
            if changed:
                Candidate.objects.bulk_update(changed, self.attnames, batch_size=writers.BATCH_SIZE)

    def shown(self, code: str, year: int, values: tuple) -> dict[str, str]:
        shown = {"kode_desa": code, "tahun_angkatan": str(year)}
        pairs = zip(self.columns, values, strict=True)
        return shown | {column: cells.display(value) for column, value in pairs}


def import_candidates(
    source: Table | bytes | str | Path | io.IOBase,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    preview: int = 0,
) -> ImportReport:
    """Read, check and (unless `dry_run` or refused) write a candidate file; `preview` as import_file."""
    table = source if isinstance(source, Table) else read_table(source)
    return CandidateImport(table, dry_run=dry_run, progress=progress, preview=preview).run()
