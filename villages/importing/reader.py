"""Reading a file into a header and rows, as officers' tools write them, and strictly.

Accepted: UTF-8 with or without BOM, UTF-16 (with BOM), Windows-1252; ``,`` ``;`` or tab between cells
(sniffed on the header); CRLF; quoted cells; stray spaces; blank lines.

Refused, with the line and the column: a quote that is opened and never closed, text after a closing
quote, a cell that runs over several lines outside the free-text columns (what an unclosed quote
does when a later quote closes it: it swallows the next rows), and NUL or any other control
character. The same `Table` feeds the command, the admin's preview and its confirmation, so all
three refuse the same files (one validation path).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ovop.tabular import FORMULA_START, unescape_formula

from .columns import MULTILINE_COLUMNS
from .report import Problem

# C0 and C1 control characters, DEL; tab, LF and CR are judged per column (see Table.check_cells).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAK_OR_TAB = re.compile(r"[\t\r\n]")
_HEADER_SPACE = re.compile(r"[\s\-]+")
_ESCAPED_FORMULA = re.compile("'[" + re.escape("".join(FORMULA_START)) + "]")
# Spaces between a closing quote and the next delimiter or the line's end (`"Desa A"  ,`), which strict
# CSV reading would refuse: tools write them and they mean nothing.
_SPACE_AFTER_QUOTE = {d: re.compile(rf'"[ ]+(?=[{re.escape(d)}\r\n]|$)') for d in (",", ";", "\t")}


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

    def column_name(self, index: int) -> str:
        return self.header[index] if index < len(self.header) else str(index + 1)

    def check_cells(self, line: int, cells: Sequence[str]) -> None:
        """Refuse control characters anywhere, and tabs or line breaks outside the free-text columns."""
        for index, cell in enumerate(cells):
            column = self.column_name(index) if line > 1 else ""
            if match := _CONTROL.search(cell):
                self.problems.append(
                    Problem(
                        line,
                        column,
                        _("Ada karakter kendali U+%(code)04X di posisi %(position)d: hapus karakter itu.")
                        % {"code": ord(match.group()), "position": match.start() + 1},
                    )
                )
            elif column not in MULTILINE_COLUMNS and (match := _BREAK_OR_TAB.search(cell)):
                if match.group() == "\t":
                    message = _("Sel ini memuat karakter tab: hapus karakter itu.")
                else:
                    message = _(
                        "Sel ini berlanjut ke baris berikutnya: tanda kutip pembukanya belum ditutup. "
                        "Hanya kolom catatan yang boleh berisi beberapa baris."
                    )
                self.problems.append(Problem(line, column, message))


class _Unreadable(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


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


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header uses: `;` for Excel in the Indonesian locale, `,` or tab otherwise."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def normalize_header(name: str) -> str:
    return _HEADER_SPACE.sub("_", name.replace("\ufeff", "").strip().lower())


def clean_cell(value: str) -> str:
    # Our own exports escape formula-like text with a leading apostrophe: take it off again.
    return unescape_formula(value.strip())


def _first_line(lines: Iterable[str]) -> str:
    for line in lines:
        if line.strip():
            return line
    return ""


def _quote_problem(record: str, delimiter: str) -> tuple[int, int, str]:
    """Where a record's text breaks the quoting: (line offset in the record, cell index, what is wrong)."""
    index, state, offset = 0, "start", 0  # states: start of a cell, plain, quoted, after a closing quote
    opened_at: tuple[int, int] | None = None  # (offset, index) of a quote still open at a line's end
    for char in record:
        if char == "\n":
            if state == "quoted" and opened_at is None:
                opened_at = (offset, index)
            offset += 1
        if state == "quoted":
            state = "closed" if char == '"' else "quoted"
        elif char == delimiter:
            index, state = index + 1, "start"
        elif state == "closed":
            if char == '"':
                state = "quoted"  # a doubled quote inside a quoted cell
            elif opened_at is not None:
                break
            elif not char.isspace():
                return (
                    offset,
                    index,
                    _("Ada teks sesudah tanda kutip penutup: apit seluruh isi sel dengan tanda kutip."),
                )
        elif state == "start" and char == '"':
            state = "quoted"
        elif not char.isspace():
            state = "plain"
    if opened_at is None:
        opened_at = (0, index)
    return (*opened_at, _("Tanda kutip pembuka di sel ini tidak ditutup di baris yang sama."))


def _has_escaped_formula(text: str, delimiter: str) -> bool:
    """Whether a cell may start with our apostrophe before formula-like text (`'=SUM(...)`).

    An apostrophe and a formula character anywhere is not enough: names such as ``Kaliau''`` at a
    line's end (``'`` then a carriage return) are plenty in the national list. Only one at the start
    of a cell counts, blanks and an opening quote aside."""
    for match in _ESCAPED_FORMULA.finditer(text):
        start = match.start()
        while start and text[start - 1].isspace() and text[start - 1] not in "\r\n":
            start -= 1
        if not start or text[start - 1] in (delimiter, "\r", "\n", '"'):
            return True  # or a doubled quote inside a quoted cell: then the slower reading is exact
    return False


def read_table(source: bytes | str | Path | io.IOBase) -> Table:
    """Read a CSV file in any of the forms officers' tools produce into a header and rows.

    `source` is raw bytes, a path, or a binary file object. Problems (encoding, broken quoting,
    control characters, an empty file) are kept in `Table.problems`; nothing raises for bad content.
    """
    data = _read_bytes(source)
    try:
        text, encoding = _decode(data)
    except _Unreadable as error:
        return Table(header=[], rows=[], encoding="?", problems=[error.problem])
    lines = io.StringIO(text, newline="").readlines()
    delimiter = sniff_delimiter(_first_line(lines))
    table = Table(header=[], rows=[], encoding=encoding, delimiter=delimiter)
    # Most files hold no control character at all: then only rows spanning lines need a closer look.
    suspicious = bool(_CONTROL.search(text)) or (delimiter != "\t" and "\t" in text)
    escaped = _has_escaped_formula(text, delimiter)  # else no cell needs our apostrophe taken off
    if suspicious or escaped or not _read_simple(table, _tidy(lines, text, delimiter)):
        _read_records(table, lines, _tidy(lines, text, delimiter), suspicious, escaped)
    if not table.header and not table.problems:
        table.problems.append(Problem(1, "", _("Berkas kosong: tidak ada baris kepala kolom.")))
    elif not table.rows and not table.problems:
        table.problems.append(Problem(2, "", _("Berkas hanya berisi kepala kolom, tanpa baris data.")))
    return table


def _tidy(lines: list[str], text: str, delimiter: str) -> Iterable[str]:
    if '" ' not in text:
        return lines
    after_quote = _SPACE_AFTER_QUOTE[delimiter]
    return (after_quote.sub('"', line) if '" ' in line else line for line in lines)


def _read_simple(table: Table, lines: Iterable[str]) -> bool:
    """Read the common file in steps over whole lists, not row by row (the national list has 91,599
    rows, issue 17): one record per line (no cell spans lines), and no control character or escaped
    formula (the caller checks those). False, with the table untouched, for any other file, a
    quoting problem included: `_read_records` then reads it record by record and says where."""
    reader = csv.reader(lines, delimiter=table.delimiter, skipinitialspace=True, strict=True)
    try:
        records = list(reader)
    except csv.Error:
        return False
    if reader.line_num != len(records):
        return False
    records = [[cell.strip() for cell in cells] for cells in records]
    numbered = [(line, cells) for line, cells in enumerate(records, 1) if any(cells)]
    if numbered:
        table.header = [normalize_header(cell) for cell in numbered[0][1]]
        table.rows = numbered[1:]
    return True


def _read_records(
    table: Table, lines: list[str], tidy: Iterable[str], suspicious: bool, escaped: bool
) -> None:
    """Read record by record, checking the cells of suspicious files and of records spanning lines,
    and placing a quoting problem on its line and column."""
    reader = csv.reader(tidy, delimiter=table.delimiter, skipinitialspace=True, strict=True)
    rows = table.rows
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            cleaned = [cell.strip() for cell in cells]
            if escaped:
                cleaned = [unescape_formula(cell) if cell[:1] == "'" else cell for cell in cleaned]
            if not any(cleaned):
                continue
            if not table.header:
                table.header = [normalize_header(cell) for cell in cleaned]
                if suspicious:
                    table.check_cells(1, cleaned)
                continue
            rows.append((line, cleaned))
            if suspicious or last_line > line:
                table.check_cells(line, cleaned)
    except csv.Error:
        start = last_line + 1
        record = "".join(lines[start - 1 : max(reader.line_num, start)])
        offset, index, message = _quote_problem(record, table.delimiter)
        column = table.column_name(index) if table.header else ""
        table.problems.append(Problem(start + offset, column, message))


def table_from_rows(header: Sequence[Any], rows: Iterable[Sequence[Any]], first_line: int = 2) -> Table:
    """A Table from already-split rows (a tablib Dataset, a spreadsheet), numbered from `first_line`."""
    table = Table(header=[normalize_header(str(h or "")) for h in header], rows=[], encoding="", delimiter="")
    for line, row in enumerate(rows, first_line):
        cells = [clean_cell("" if value is None else str(value)) for value in row]
        if any(cells):
            table.rows.append((line, cells))
            table.check_cells(line, cells)
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
