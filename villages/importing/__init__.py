"""Bulk import of the region tree and of PMD's village mapping from CSV files, all or nothing.

Two formats, told apart by the header (columns.py): the Kemendagri region list, ``kode,nama``
(regions.py), and PMD's mapped villages keyed by ``kode`` (mapping.py). Files come as Excel and other
tools write them and are read strictly (reader.py).

Every row is validated before anything is written, and every problem is reported with its line,
column and reason (report.py: the first ``MAX_REPORTED_LINES`` lines, and a count of the rest). A
file with any problem writes nothing. A clean file is written in one transaction, in batches of
``BATCH_SIZE`` with a fixed number of queries per batch (writers.py). After a write,
`villages.signals.regions_imported` is sent, for the caches of whoever shows places.

One entry point, `import_file()`, for a path, bytes, a file object or an already-read `Table` (the
admin reads the upload into a Table for its dataset). The admin's temporary copies: uploads.py.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _

from .base import Progress, Run
from .columns import FORMAT_MAPPING, FORMAT_REGIONS, MAPPING_COLUMNS, detect_format
from .reader import Table, read_table, table_from_rows
from .regions import RegionImport
from .report import Change, Counts, ImportReport, Problem, Problems
from .uploads import purge_stale_uploads
from .writers import BATCH_SIZE

__all__ = [
    "BATCH_SIZE",
    "Change",
    "Counts",
    "ImportReport",
    "Problem",
    "Table",
    "import_file",
    "purge_stale_uploads",
    "read_table",
    "table_from_rows",
]


def _importer(table: Table) -> type[Run] | None:
    kind = detect_format(table.header) if table.header else None
    if kind == FORMAT_MAPPING:
        # Imported for a mapping file only: its cell parsers (dates, decimals, yes/no) are start-up
        # that a region import, the national list's (issue 17), does not need.
        from .mapping import MappingImport

        return MappingImport
    return RegionImport if kind == FORMAT_REGIONS else None


def _unrecognised(table: Table, *, dry_run: bool) -> ImportReport:
    report = ImportReport(
        dry_run=dry_run, encoding=table.encoding, delimiter=table.delimiter, rows=len(table.rows)
    )
    problems = Problems()
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
    source: Table | bytes | str | Path | io.IOBase,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    preview: int = 0,
) -> ImportReport:
    """Read, validate and (unless `dry_run` or refused) write a region list or a mapping file.

    `preview` > 0 keeps up to that many per-row changes in the report (for the admin's preview).
    """
    table = source if isinstance(source, Table) else read_table(source)
    importer = _importer(table)
    if importer is None:
        return _unrecognised(table, dry_run=dry_run)
    return importer(table, dry_run=dry_run, progress=progress, preview=preview).run()
