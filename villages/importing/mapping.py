"""Format 2: PMD's mapped villages, one row per existing village keyed by ``kode``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from .. import codes
from ..codes import Level
from ..models import Village
from . import cells, writers
from .base import Run
from .cells import CellError
from .columns import FORMAT_MAPPING, LEVEL_NAMES, MAPPING_COLUMNS, MAPPING_OPTIONAL_COLUMNS
from .report import Change, Counts

# column -> (model attname, parser)
MAPPING_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "lokus_ovop": ("is_ovop_locus", cells.parse_bool),
    "komoditas": ("commodity", cells.text(200)),
    "skor_keberlanjutan": ("sustainability_score", cells.parse_score),
    "tanggal_pemetaan": ("mapped_on", cells.parse_date),
    "petugas": ("mapped_by", cells.text(120)),
    "lintang": ("latitude", cells.parse_latitude),
    "bujur": ("longitude", cells.parse_longitude),
    "catatan": ("mapping_notes", cells.text(squeeze=False)),
    "catatan_bahan_baku": ("raw_material_notes", cells.text(squeeze=False)),
}


class MappingImport(Run):
    format = FORMAT_MAPPING

    # ---- validation: columns, then each row, then one lookup of every village named --------------

    def validate(self) -> None:
        if not self.check_columns(MAPPING_COLUMNS, MAPPING_COLUMNS + MAPPING_OPTIONAL_COLUMNS):
            return
        self.prepare_columns()
        for line, row in self.table.rows:
            self.validate_row(line, row)
        self.check_villages_exist()

    def prepare_columns(self) -> None:
        header = self.table.header
        self.columns = [c for c in MAPPING_FIELDS if c in header]
        self.attnames = [MAPPING_FIELDS[c][0] for c in self.columns]
        self.report.columns = ["kode", *self.columns, "desa_satelit"]
        self.parsers = [(c, self.table.index(c), MAPPING_FIELDS[c][1]) for c in self.columns]
        self.code_at, self.satellites_at = self.table.index("kode"), self.table.index("desa_satelit")
        self.hint = codes.SHAPE_HINT[Level.VILLAGE]
        self.seen: dict[str, tuple[int, tuple]] = {}
        self.rows: list[tuple[int, str, tuple, tuple[str, ...]]] = []
        self.referenced: dict[str, list[tuple[int, str]]] = {}  # code -> [(line, column)]

    def validate_row(self, line: int, row: list[str]) -> None:
        code = self.cell(row, self.code_at)
        code_ok = self.check_code(line, code)
        values, values_ok = self.parse_values(line, row)
        satellites, satellites_ok = self.parse_satellites(line, row, code)
        if code_ok:
            self.referenced.setdefault(code, []).append((line, "kode"))
            if self.is_repeat(line, code, (tuple(values), frozenset(satellites))):
                return
        if code_ok and values_ok and satellites_ok:
            self.rows.append((line, code, tuple(values), satellites))

    def check_code(self, line: int, code: str) -> bool:
        if codes.level_of(code) is Level.VILLAGE:
            return True
        self.problems.add(
            line,
            "kode",
            _("Kode desa/kelurahan “%(code)s” tidak sah: bentuk yang benar seperti %(hint)s.")
            % {"code": code, "hint": self.hint}
            if code
            else _("Kode kosong."),
        )
        return False

    def parse_values(self, line: int, row: list[str]) -> tuple[list[Any], bool]:
        values, valid = [], True
        for column, index, parse in self.parsers:
            try:
                values.append(parse(self.cell(row, index)))
            except CellError as error:
                self.problems.add(line, column, str(error))
                valid = False
        return values, valid

    def parse_satellites(self, line: int, row: list[str], code: str) -> tuple[tuple[str, ...], bool]:
        satellites = cells.parse_satellites(self.cell(row, self.satellites_at))
        valid = True
        for satellite in satellites:
            if codes.level_of(satellite) is not Level.VILLAGE:
                self.problems.add(
                    line,
                    "desa_satelit",
                    _("Kode desa satelit “%(code)s” tidak sah: bentuk yang benar seperti %(hint)s.")
                    % {"code": satellite, "hint": self.hint},
                )
                valid = False
            elif satellite == code:
                self.problems.add(
                    line, "desa_satelit", _("Desa tidak dapat menjadi desa satelit bagi dirinya sendiri.")
                )
                valid = False
            else:
                self.referenced.setdefault(satellite, []).append((line, "desa_satelit"))
        return satellites, valid

    def is_repeat(self, line: int, code: str, content: tuple) -> bool:
        """A village seen before: a problem when its content differs, a warning when the row is the same."""
        if code not in self.seen:
            self.seen[code] = (line, content)
            return False
        first_line, first_content = self.seen[code]
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
        return True

    def check_villages_exist(self) -> None:
        found = writers.existing_codes(Village, self.referenced)
        for code, places in self.referenced.items():
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

    # ---- writing: per batch one read of the villages and their links, then bulk writes ------------

    def write(self) -> None:
        total = len(self.rows)
        counts = self.report.counts.setdefault(str(Village._meta.verbose_name), Counts())
        done = 0
        for batch in writers.chunks(self.rows, writers.BATCH_SIZE):
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
        if not self.dry_run:
            self.save(changed, relinked)

    def save(self, changed: list[Village], relinked: list[tuple[str, tuple[str, ...]]]) -> None:
        link = Village.satellite_villages.through
        if changed:
            Village.objects.bulk_update(changed, self.attnames, batch_size=writers.BATCH_SIZE)
        if relinked:
            link.objects.filter(from_village_id__in=[code for code, _s in relinked]).delete()
            link.objects.bulk_create(
                [
                    link(from_village_id=code, to_village_id=target)
                    for code, sats in relinked
                    for target in sats
                ],
                batch_size=writers.BATCH_SIZE * 5,
            )

    def shown(self, code: str, values: Sequence[Any], satellites: Iterable[str]) -> dict[str, str]:
        shown = {"kode": code}
        shown |= {column: cells.display(value) for column, value in zip(self.columns, values, strict=True)}
        shown["desa_satelit"] = cells.display(tuple(satellites))
        return shown
