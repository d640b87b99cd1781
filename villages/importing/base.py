"""What both formats share: the report, the column check, counts, preview changes, batches, writing."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from ..signals import regions_imported
from .columns import INFORMATIONAL_COLUMNS
from .reader import Table
from .report import Counts, ImportReport, Problems

Progress = Callable[[int, int], None]


class Run:
    """One import of one table: `validate` every row, then (when all are good) `write` them."""

    format: str
    #: Whether a write changes what the public place pages show (then `regions_imported` is sent).
    changes_places: bool = True

    def __init__(self, table: Table, *, dry_run: bool, progress: Progress | None, preview: int) -> None:
        self.table = table
        self.dry_run = dry_run
        self.progress = progress
        self.preview = preview
        self.problems = Problems()
        self.report = ImportReport(
            format=self.format,
            dry_run=dry_run,
            encoding=table.encoding,
            delimiter=table.delimiter,
            rows=len(table.rows),
        )

    def cell(self, cells: list[str], index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    def check_columns(self, required: Sequence[str], known: Sequence[str]) -> bool:
        header = self.table.header
        for column in required:
            if column not in header:
                self.problems.add(1, column, _("Kolom wajib “%(column)s” tidak ada.") % {"column": column})
        seen: set[str] = set()
        for column in header:
            if column in seen and column:
                self.problems.add(1, column, _("Kolom “%(column)s” muncul dua kali.") % {"column": column})
            seen.add(column)
            if column and column not in known and column not in INFORMATIONAL_COLUMNS:
                self.report.warnings.append(
                    _("Kolom “%(column)s” tidak dikenal dan diabaikan.") % {"column": column}
                )
        width = len(header)
        for line, cells in self.table.rows:
            if len(cells) > width and any(cells[width:]):
                self.problems.add(
                    line,
                    "",
                    _(
                        "Baris ini punya %(cells)d sel, kepala kolom hanya %(width)d. Nama yang "
                        "mengandung koma atau titik koma harus diapit tanda kutip."
                    )
                    % {"cells": len(cells), "width": width},
                )
        return not self.problems

    def count(self, counts: Counts, kind: str) -> bool:
        """Count one row; True when the preview wants its before/after values."""
        if kind == "new":
            counts.new += 1
        elif kind == "update":
            counts.updated += 1
        else:
            counts.unchanged += 1
            return False
        if len(self.report.changes) < self.preview:
            return True
        if self.preview:
            self.report.more_changes += 1
        return False

    def run(self) -> ImportReport:
        self.problems.items.extend(self.table.problems)
        if not self.table.problems:
            self.validate()
        if self.problems:
            self.problems.finish(self.report, self.table)
            return self.report
        try:
            if self.dry_run:
                self.write()
            else:
                with transaction.atomic():
                    self.write()
        except (IntegrityError, DatabaseError) as error:
            self.report.counts = {}
            self.report.changes = []
            self.problems.add(
                0,
                "",
                _("Basis data menolak penyimpanan (%(error)s); tidak ada yang disimpan. Coba lagi.")
                % {"error": str(error).splitlines()[0] if str(error) else type(error).__name__},
            )
            self.problems.finish(self.report, self.table)
            return self.report
        if self.changes_places and not self.dry_run and (self.report.new or self.report.updated):
            regions_imported.send(sender=type(self), report=self.report)
        return self.report

    def validate(self) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError

    def tick(self, done: int, total: int) -> None:
        self.report.batches += 1
        if self.progress:
            self.progress(done, total)
