"""What an import found: the problems (line, column, reason), the counts and the preview's changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _

from .columns import FORMAT_LABELS


class TableLike(Protocol):
    """What `Problems.finish` reads of the reader's Table (structural: no import back to reader.py)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


MAX_REPORTED_LINES = 1000


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a file is refused. Line 1 is the header; line 0 is the file as a whole."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("baris %(line)d") % {"line": self.line} if self.line else _("berkas")
        if self.column:
            where += ", " + _("kolom %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Counts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


@dataclass(slots=True)
class Change:
    """A row that would be (or was) created or changed, for the admin's preview."""

    line: int
    kind: str  # "new" or "update"
    label: str  # what the row is: provinsi, kabupaten/kota, ... or desa/kelurahan
    code: str
    before: dict[str, str] | None
    after: dict[str, str]


@dataclass
class ImportReport:
    format: str | None = None
    dry_run: bool = False
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    counts: dict[str, Counts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    more_problem_lines: int = 0
    problem_rows: dict[int, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    more_changes: int = 0
    batches: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new(self) -> int:
        return sum(c.new for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())

    @property
    def problem_line_count(self) -> int:
        return len({p.line for p in self.problems}) + self.more_problem_lines

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format or "", _("tidak dikenali"))


class Problems:
    """Collects every problem; the report keeps the first MAX_REPORTED_LINES lines of them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, line: int, column: str, message: str) -> None:
        self.items.append(Problem(line, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def finish(self, report: ImportReport, table: TableLike, limit: int = MAX_REPORTED_LINES) -> None:
        """Keep the problems of the first `limit` lines, in column order, with those lines' cells."""
        order = {name: i for i, name in enumerate(table.header)}
        items = sorted(self.items, key=lambda p: (p.line, order.get(p.column, -1)))
        kept_lines: list[int] = []
        seen: set[int] = set()
        for problem in items:
            if problem.line not in seen:
                seen.add(problem.line)
                kept_lines.append(problem.line)
        kept = set(kept_lines[:limit])
        report.problems = [p for p in items if p.line in kept]
        report.more_problem_lines = max(0, len(kept_lines) - limit)
        report.problem_rows = {line: cells for line, cells in table.rows if line in kept}
