"""Bulk import of the region tree and of PMD's village mapping from CSV files, all or nothing.

Two formats, told apart by the header:

* the Kemendagri region list, ``kode,nama``: every level in one file, the level read from the code's
  shape (``53``, ``53.01``, ``53.01.04``, ``53.01.04.2003``); parents come from the file or the database;
* PMD's mapped villages, one row per existing village keyed by ``kode`` with the mapping columns
  listed in ``MAPPING_COLUMNS``.

Files come as Excel and other tools write them: UTF-8 with or without BOM, UTF-16, Windows-1252;
``,`` ``;`` or tab between cells (sniffed on the header); CRLF; quoted cells; stray spaces; blank lines.

Every row is validated before anything is written, and every problem is reported with its line,
column and reason (the first ``MAX_REPORTED_LINES`` lines, and a count of the rest). A file with any
problem writes nothing. A clean file is written in one transaction, in batches of ``BATCH_SIZE``
with a fixed number of queries per batch: one query loads the batch's existing rows, one
``bulk_create`` inserts the new ones, one ``bulk_update`` rewrites only the changed ones (and, for
satellites, one delete and one insert of links).

Entry points: ``import_file()`` for a path or bytes, ``read_table()`` + ``import_table()`` when the
caller has already read the file (the admin's import format does).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalogue import caching

from . import codes
from .codes import Level
from .models import District, Province, Regency, Village

BATCH_SIZE = 1000
MAX_REPORTED_LINES = 1000
LOOKUP_CHUNK = 1000

FORMAT_REGIONS = "wilayah"
FORMAT_MAPPING = "pemetaan"
FORMAT_LABELS = {
    FORMAT_REGIONS: "daftar wilayah Kemendagri (kode,nama)",
    FORMAT_MAPPING: "pemetaan desa PMD",
}

REGION_COLUMNS = ("kode", "nama")
# The mapping format: every column below is required (a cell may be empty, which clears the value)
# except `catatan_bahan_baku`, which is left untouched when the column is absent.
MAPPING_COLUMNS = (
    "kode",
    "komoditas",
    "lokus_ovop",
    "desa_satelit",
    "skor_keberlanjutan",
    "tanggal_pemetaan",
    "petugas",
    "lintang",
    "bujur",
    "catatan",
)
MAPPING_OPTIONAL_COLUMNS = ("catatan_bahan_baku",)
# Columns an export carries for people to read; an import accepts and ignores them.
INFORMATIONAL_COLUMNS = ("nama", "jenis", "kecamatan", "kabupaten_kota", "provinsi")

LEVEL_NAMES = {
    Level.PROVINCE: "provinsi",
    Level.REGENCY: "kabupaten/kota",
    Level.DISTRICT: "kecamatan",
    Level.VILLAGE: "desa/kelurahan",
}

_TRUE = frozenset({"ya", "y", "yes", "1", "true", "benar"})
_FALSE = frozenset({"tidak", "tdk", "no", "n", "0", "false", "salah", ""})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SATELLITE_SEPARATOR = re.compile(r"[;|]")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_SIX_PLACES = Decimal("0.000001")

Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------------


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


class _Problems:
    """Collects every problem; the report keeps the first MAX_REPORTED_LINES lines of them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, line: int, column: str, message: str) -> None:
        self.items.append(Problem(line, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def finish(self, report: ImportReport, table: Table, limit: int = MAX_REPORTED_LINES) -> None:
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


# --------------------------------------------------------------------------------------------------
# Reading: bytes -> text -> header and rows
# --------------------------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = "utf-8"
    delimiter: str = ","
    problems: list[Problem] = field(default_factory=list)

    def index(self, column: str) -> int | None:
        try:
            return self.header.index(column)
        except ValueError:
            return None


def _decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding's name; raises _Unreadable naming the first line that fails."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(codecs.BOM_UTF8):
        encoding, label = "utf-8-sig", "UTF-8 (BOM)"
    else:
        encoding, label = "utf-8", "UTF-8"
    try:
        return data.decode(encoding), label
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise _Unreadable(
            Problem(
                line,
                "",
                _(
                    "Berkas ini bukan teks UTF-8 maupun Windows-1252. Di Excel, simpan sebagai "
                    "“CSV UTF-8 (dipisah koma)”."
                ),
            )
        ) from None


class _Unreadable(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header uses: `;` for Excel in the Indonesian locale, `,` or tab otherwise."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def normalize_header(name: str) -> str:
    name = name.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", name)


def clean_cell(value: str) -> str:
    value = value.strip()
    # Our own exports escape formula-like text with a leading apostrophe: take it off again.
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        value = value[1:]
    return value


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def read_table(source: bytes | str | Path | io.IOBase) -> Table:
    """Read a CSV file in any of the forms officers' tools produce into a header and rows.

    `source` is raw bytes, a path, or a binary file object. Problems that stop reading (encoding, a
    broken quote, an empty file) are kept in `Table.problems`; nothing raises for bad content.
    """
    data = _read_bytes(source)
    try:
        text, encoding = _decode(data)
    except _Unreadable as error:
        return Table(header=[], rows=[], encoding="?", problems=[error.problem])
    delimiter = sniff_delimiter(_first_line(text))
    table = Table(header=[], rows=[], encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    last_line = 0
    header_seen = False
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            cleaned = [clean_cell(cell) for cell in cells]
            if not any(cleaned):
                continue
            if not header_seen:
                header_seen = True
                table.header = [normalize_header(cell) for cell in cleaned]
                continue
            table.rows.append((line, cleaned))
    except csv.Error as error:
        table.problems.append(
            Problem(
                last_line + 1,
                "",
                _("Baris ini tidak dapat dibaca sebagai CSV (%(error)s).") % {"error": error},
            )
        )
    if not header_seen:
        table.problems.append(Problem(1, "", _("Berkas kosong: tidak ada baris kepala kolom.")))
    elif not table.rows and not table.problems:
        table.problems.append(Problem(2, "", _("Berkas hanya berisi kepala kolom, tanpa baris data.")))
    return table


def table_from_rows(header: Sequence[Any], rows: Iterable[Sequence[Any]], first_line: int = 2) -> Table:
    """A Table from already-split rows (a tablib Dataset, a spreadsheet), numbered from `first_line`."""
    table = Table(header=[normalize_header(str(h or "")) for h in header], rows=[], encoding="", delimiter="")
    for line, row in enumerate(rows, first_line):
        cells = [clean_cell("" if value is None else str(value)) for value in row]
        if any(cells):
            table.rows.append((line, cells))
    if not table.rows:
        table.problems.append(
            Problem(first_line, "", _("Berkas hanya berisi kepala kolom, tanpa baris data."))
        )
    return table


def _read_bytes(source: bytes | str | Path | io.IOBase) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def detect_format(header: Sequence[str]) -> str | None:
    columns = set(header)
    if columns & (set(MAPPING_COLUMNS + MAPPING_OPTIONAL_COLUMNS) - {"kode"}):
        return FORMAT_MAPPING
    if columns & set(REGION_COLUMNS):
        return FORMAT_REGIONS
    return None


# --------------------------------------------------------------------------------------------------
# Cell parsers: each returns the value or raises CellError with the reason
# --------------------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def parse_bool(value: str) -> bool:
    key = value.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(
        _("Isi dengan ya atau tidak (juga yes/no, 1/0, true/false), bukan “%(value)s”.") % {"value": value}
    )


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


def _text(max_length: int | None = None, *, squeeze: bool = True) -> Callable[[str], str]:
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


def _name(value: str) -> str:
    return codes.region_name(value)


# --------------------------------------------------------------------------------------------------
# Helpers shared by both formats
# --------------------------------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_codes(model: type, candidates: Iterable[str]) -> set[str]:
    """Which of `candidates` exist in `model`'s table, in chunks of LOOKUP_CHUNK codes per query."""
    wanted = sorted(set(candidates))
    found: set[str] = set()
    for chunk in _chunks(wanted, LOOKUP_CHUNK):
        found.update(model.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found


def existing_text_rows(model: type, fields: Sequence[str], codes_: Sequence[str]) -> dict[str, tuple]:
    """The stored values of text `fields` for those of `codes_` that exist: one query.

    Written out rather than `filter(code__in=...)`: on PostgreSQL the codes travel as one array
    (`= ANY(%s)`) instead of a thousand parameters that the ORM and the driver each process.
    """
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in ("code", *fields))
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        where, params = "= ANY(%s)", [list(codes_)]
    else:
        where, params = "IN (" + ", ".join(["%s"] * len(codes_)) + ")", list(codes_)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {quote('code')} {where}", params)  # noqa: S608
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def insert_rows(model: type, rows: list[dict[str, Any]]) -> None:
    """Insert new rows with one INSERT per batch, as bulk_create would, minus its per-value work.

    bulk_create builds a model instance per row and compiles every value through the field API;
    profiling the national file showed that to be three quarters of a first import on SQLite. Here
    the rows are plain values already in database form (codes, names, kinds, slugs); every column
    a row does not name gets its field's default, prepared once per call. PostgreSQL gets one array
    per column through UNNEST (as Django's own bulk_create does there), other databases a multi-row
    VALUES list.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    given = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [attname for attname in fields if attname not in given]
    tail = [fields[a].get_db_prep_save(fields[a].get_default(), connection) for a in rest]
    columns = ", ".join(connection.ops.quote_name(fields[a].column) for a in given + rest)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{fields[a].db_type(connection)}[]" for a in given)
            constants = "".join(f", %s::{fields[a].db_type(connection)}" for a in rest)
            sql = f"INSERT INTO {table} ({columns}) SELECT u.*{constants} FROM UNNEST({arrays}) AS u"  # noqa: S608
            for chunk in _chunks(rows, BATCH_SIZE):
                cursor.execute(sql, [*tail, *([row[a] for row in chunk] for a in given)])
            return
        width = len(given) + len(rest)
        limit = connection.features.max_query_params or 999
        for chunk in _chunks(rows, max(1, min(BATCH_SIZE, limit // width))):
            params: list[Any] = []
            for row in chunk:
                params.extend(row[a] for a in given)
                params.extend(tail)
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608


def unique_slug(name: str, code: str, taken: set[str]) -> str:
    base = slugify(name)[:120] or code.replace(".", "")
    slug = base
    if slug in taken:
        slug = f"{base}-{code.replace('.', '')}"
    n = 2
    while slug in taken:
        slug = f"{base}-{code.replace('.', '')}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple | list | set | frozenset):
        return "; ".join(sorted(value))
    return str(value)


class _Run:
    """What both formats share: the report, counts, preview changes, progress and batching."""

    format: str

    def __init__(self, table: Table, *, dry_run: bool, progress: Progress | None, preview: int) -> None:
        self.table = table
        self.dry_run = dry_run
        self.progress = progress
        self.preview = preview
        self.problems = _Problems()
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
                # Bulk writes send no signals: one new version of the public pages (issue 7, caching).
                caching.bump_on_change()
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

    def validate(self) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError

    def tick(self, done: int, total: int) -> None:
        self.report.batches += 1
        if self.progress:
            self.progress(done, total)


# --------------------------------------------------------------------------------------------------
# Format 1: the Kemendagri region list
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LevelSpec:
    model: type
    parent: str | None  # the parent's attname
    fields: tuple[str, ...]  # compared and updated, besides the code

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


LEVELS = {
    Level.PROVINCE: _LevelSpec(Province, None, ("name",)),
    Level.REGENCY: _LevelSpec(Regency, "province_id", ("name", "kind")),
    Level.DISTRICT: _LevelSpec(District, "regency_id", ("name",)),
    Level.VILLAGE: _LevelSpec(Village, "district_id", ("name", "kind")),
}
_PARENT_MODEL = {Level.REGENCY: Province, Level.DISTRICT: Regency, Level.VILLAGE: District}


class RegionImport(_Run):
    format = FORMAT_REGIONS

    def validate(self) -> None:
        if not self.check_columns(REGION_COLUMNS, REGION_COLUMNS):
            return
        self.report.columns = ["tingkat", "kode", "nama", "jenis"]
        code_at, name_at = self.table.index("kode"), self.table.index("nama")
        seen: dict[str, tuple[int, str]] = {}
        self.by_level: dict[Level, list[tuple[int, str, str]]] = {level: [] for level in LEVELS}
        hint = ", ".join(codes.SHAPE_HINT[level] for level in Level)
        for line, cells in self.table.rows:
            code, name = self.cell(cells, code_at), _name(self.cell(cells, name_at))
            level = codes.level_of(code)
            valid = True
            if not code:
                self.problems.add(line, "kode", _("Kode kosong."))
                valid = False
            elif level is None:
                self.problems.add(
                    line,
                    "kode",
                    _("Kode “%(code)s” tidak sah: bentuk yang benar seperti %(hint)s.")
                    % {"code": code, "hint": hint},
                )
                valid = False
            if not name:
                self.problems.add(line, "nama", _("Nama kosong."))
                valid = False
            elif len(name) > 120:
                self.problems.add(
                    line,
                    "nama",
                    _("Nama terlalu panjang: %(length)d karakter, paling banyak 120.")
                    % {"length": len(name)},
                )
                valid = False
            if not code:
                continue
            if code in seen:
                first_line, first_name = seen[code]
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
                continue
            seen[code] = (line, name)
            if valid and level is not None:
                self.by_level[level].append((line, code, name))
        self.check_parents(seen)

    def check_parents(self, in_file: dict[str, tuple[int, str]]) -> None:
        for level, parent_model in _PARENT_MODEL.items():
            missing: dict[str, list[int]] = {}
            for line, code, _nm in self.by_level[level]:
                parent = codes.parent_code(code)
                if parent not in in_file:
                    missing.setdefault(parent, []).append(line)
            if not missing:
                continue
            found = _existing_codes(parent_model, missing)
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
            return (name, str(Regency.kind_for_name(name)))
        if level is Level.VILLAGE:
            return (name, str(Village.kind_for_code(code)))
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
            for batch in _chunks(rows, BATCH_SIZE):
                self.write_batch(level, spec, batch, counts, taken_slugs)
                done += len(batch)
                self.tick(done, total)

    def write_batch(self, level, spec: _LevelSpec, batch, counts: Counts, taken_slugs) -> None:
        model = spec.model
        existing = existing_text_rows(model, spec.fields, [code for _line, code, _n in batch])
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
                    values["slug"] = unique_slug(name, code, taken_slugs)
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
            insert_rows(model, new)
        if changed:
            model.objects.bulk_update(changed, list(spec.fields), batch_size=BATCH_SIZE)


# --------------------------------------------------------------------------------------------------
# Format 2: PMD's mapped villages
# --------------------------------------------------------------------------------------------------

# column -> (model attname, parser)
MAPPING_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "lokus_ovop": ("is_ovop_locus", parse_bool),
    "komoditas": ("commodity", _text(200)),
    "skor_keberlanjutan": ("sustainability_score", parse_score),
    "tanggal_pemetaan": ("mapped_on", parse_date),
    "petugas": ("mapped_by", _text(120)),
    "lintang": ("latitude", parse_latitude),
    "bujur": ("longitude", parse_longitude),
    "catatan": ("mapping_notes", _text(squeeze=False)),
    "catatan_bahan_baku": ("raw_material_notes", _text(squeeze=False)),
}


class MappingImport(_Run):
    format = FORMAT_MAPPING

    def validate(self) -> None:
        known = MAPPING_COLUMNS + MAPPING_OPTIONAL_COLUMNS
        if not self.check_columns(MAPPING_COLUMNS, known):
            return
        header = self.table.header
        self.columns = [c for c in MAPPING_FIELDS if c in header]
        self.attnames = [MAPPING_FIELDS[c][0] for c in self.columns]
        self.report.columns = ["kode", *self.columns, "desa_satelit"]
        parsers = [(c, self.table.index(c), MAPPING_FIELDS[c][1]) for c in self.columns]
        code_at, satellites_at = self.table.index("kode"), self.table.index("desa_satelit")
        village_hint = codes.SHAPE_HINT[Level.VILLAGE]
        seen: dict[str, tuple[int, tuple]] = {}
        self.rows: list[tuple[int, str, tuple, tuple[str, ...]]] = []
        referenced: dict[str, list[tuple[int, str]]] = {}  # code -> [(line, column)]
        for line, cells in self.table.rows:
            valid = True
            code = self.cell(cells, code_at)
            if codes.level_of(code) is not Level.VILLAGE:
                self.problems.add(
                    line,
                    "kode",
                    _("Kode desa/kelurahan “%(code)s” tidak sah: bentuk yang benar seperti %(hint)s.")
                    % {"code": code, "hint": village_hint}
                    if code
                    else _("Kode kosong."),
                )
                valid = False
            values = []
            for column, index, parse in parsers:
                try:
                    values.append(parse(self.cell(cells, index)))
                except CellError as error:
                    self.problems.add(line, column, str(error))
                    valid = False
            satellites = parse_satellites(self.cell(cells, satellites_at))
            for satellite in satellites:
                if codes.level_of(satellite) is not Level.VILLAGE:
                    self.problems.add(
                        line,
                        "desa_satelit",
                        _("Kode desa satelit “%(code)s” tidak sah: bentuk yang benar seperti %(hint)s.")
                        % {"code": satellite, "hint": village_hint},
                    )
                    valid = False
                elif satellite == code:
                    self.problems.add(
                        line, "desa_satelit", _("Desa tidak dapat menjadi desa satelit bagi dirinya sendiri.")
                    )
                    valid = False
                else:
                    referenced.setdefault(satellite, []).append((line, "desa_satelit"))
            if codes.level_of(code) is Level.VILLAGE:
                referenced.setdefault(code, []).append((line, "kode"))
                content = (tuple(values), frozenset(satellites))
                if code in seen:
                    first_line, first_content = seen[code]
                    if first_content != content:
                        self.problems.add(
                            line,
                            "kode",
                            _("Desa %(code)s sudah ada di baris %(line)d dengan isi lain.")
                            % {"code": code, "line": first_line},
                        )
                    else:
                        self.report.warnings.append(
                            _("Baris %(line)d mengulang baris %(first)d dan dilewati.")
                            % {"line": line, "first": first_line}
                        )
                    continue
                seen[code] = (line, content)
            if valid:
                self.rows.append((line, code, tuple(values), satellites))
        found = _existing_codes(Village, referenced)
        for code, places in referenced.items():
            if code in found:
                continue
            for line, column in places:
                if column == "kode":
                    message = _(
                        "Desa/kelurahan %(code)s tidak ada di basis data: impor dulu daftar wilayah "
                        "Kemendagri."
                    )
                else:
                    message = _("Desa satelit %(code)s tidak ada di basis data.")
                self.problems.add(line, column, message % {"code": code})

    def write(self) -> None:
        total = len(self.rows)
        counts = self.report.counts.setdefault(str(Village._meta.verbose_name), Counts())
        done = 0
        for batch in _chunks(self.rows, BATCH_SIZE):
            self.write_batch(batch, counts)
            done += len(batch)
            self.tick(done, total)

    def write_batch(self, batch, counts: Counts) -> None:
        link = Village.satellite_villages.through
        batch_codes = [code for _line, code, _values, _sats in batch]
        existing = {
            row[0]: row[1:]
            for row in Village.objects.filter(code__in=batch_codes).values_list("code", *self.attnames)
        }
        current_links: dict[str, set[str]] = {}
        for source, target in link.objects.filter(from_village_id__in=batch_codes).values_list(
            "from_village_id", "to_village_id"
        ):
            current_links.setdefault(source, set()).add(target)
        changed, relinked = [], []
        label = LEVEL_NAMES[Level.VILLAGE]
        for line, code, values, satellites in batch:
            before = existing.get(code)
            if before is None:
                raise IntegrityError(_("Desa %(code)s terhapus selama impor.") % {"code": code})
            before_links = current_links.get(code, set())
            fields_differ = tuple(before) != values
            links_differ = before_links != set(satellites)
            if fields_differ:
                changed.append(Village(code=code, **dict(zip(self.attnames, values, strict=True))))
            if links_differ:
                relinked.append((code, satellites))
            kind = "update" if fields_differ or links_differ else "skip"
            if self.count(counts, kind):
                self.report.changes.append(
                    Change(
                        line,
                        kind,
                        label,
                        code,
                        self.shown(code, before, before_links),
                        self.shown(code, values, satellites),
                    )
                )
        if self.dry_run:
            return
        if changed:
            Village.objects.bulk_update(changed, self.attnames, batch_size=BATCH_SIZE)
        if relinked:
            link.objects.filter(from_village_id__in=[code for code, _s in relinked]).delete()
            link.objects.bulk_create(
                [
                    link(from_village_id=code, to_village_id=target)
                    for code, sats in relinked
                    for target in sats
                ],
                batch_size=BATCH_SIZE * 5,
            )

    def shown(self, code: str, values: Sequence[Any], satellites: Iterable[str]) -> dict[str, str]:
        shown = {"kode": code}
        shown |= {column: _display(value) for column, value in zip(self.columns, values, strict=True)}
        shown["desa_satelit"] = _display(tuple(satellites))
        return shown


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def import_table(
    table: Table, *, dry_run: bool = False, progress: Progress | None = None, preview: int = 0
) -> ImportReport:
    """Validate every row of `table` and, when all are good and not `dry_run`, write them.

    `preview` > 0 keeps up to that many per-row changes in the report (for the admin's preview).
    """
    kind = detect_format(table.header) if table.header else None
    if kind == FORMAT_MAPPING:
        return MappingImport(table, dry_run=dry_run, progress=progress, preview=preview).run()
    if kind == FORMAT_REGIONS:
        return RegionImport(table, dry_run=dry_run, progress=progress, preview=preview).run()
    report = ImportReport(
        dry_run=dry_run, encoding=table.encoding, delimiter=table.delimiter, rows=len(table.rows)
    )
    problems = _Problems()
    problems.items.extend(table.problems)
    if not table.problems:
        problems.add(
            1,
            "",
            _(
                "Kepala kolom tidak dikenali (%(header)s). Gunakan “kode,nama” untuk daftar wilayah "
                "Kemendagri atau “%(mapping)s” untuk pemetaan desa."
            )
            % {"header": ",".join(table.header), "mapping": ",".join(MAPPING_COLUMNS)},
        )
    problems.finish(report, table)
    return report


def import_file(
    source: bytes | str | Path | io.IOBase,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    preview: int = 0,
) -> ImportReport:
    """Read, validate and (unless `dry_run` or refused) write a region list or a mapping file."""
    return import_table(read_table(source), dry_run=dry_run, progress=progress, preview=preview)
