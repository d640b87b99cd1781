"""django-import-export glue for the village admin: villages/importing/ reads, checks and writes.

The admin keeps its workflow (upload, preview with per-row changes, confirm), but the rows never go
through import-export's per-row machinery: `WholeFileImport.import_data` hands the whole file to
`importing.import_file` (a dry run for the preview, the real write on confirm) and turns its report
into an import-export `Result` for the admin's templates.

Exports (CSV and XLSX) carry each village with its place and mapping in the mapped-village format, so
an exported file can be edited and imported again. Text cells that a spreadsheet would run as a
formula get a leading apostrophe (ovop/tabular.py, the rule every export follows); the importer drops
it again.
"""

from __future__ import annotations

from itertools import groupby

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from import_export import resources
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.results import InvalidRow, Result, RowResult

from ovop.tabular import FormulaSafeMixin, yes_no

from . import importing
from .models import Village

PREVIEW_ROWS = 5000


class EscapedCSV(FormulaSafeMixin, base_formats.CSV):
    pass


class EscapedXLSX(FormulaSafeMixin, base_formats.XLSX):
    pass


class TableDataset(tablib.Dataset):
    """A dataset that carries villages/importing/'s Table: line numbers, encoding and delimiter survive."""

    def __init__(self, table: importing.Table) -> None:
        super().__init__()
        self.table = table

    def __len__(self) -> int:
        return len(self.table.rows)

    def __bool__(self) -> bool:
        # An empty or unreadable file still goes to the importer, which says what is wrong with it.
        return True


class VillageCSV(base_formats.CSV):
    """CSV upload read as raw bytes: villages/importing/ finds the encoding (UTF-8, BOM, Windows-1252)
    and the delimiter itself, so the admin accepts every file the command accepts."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> TableDataset:
        return TableDataset(importing.read_table(in_stream))


class VillageImportResult(Result):
    """An import-export Result that also carries villages/importing/'s report (counts, problems)."""

    def __init__(self, report: importing.ImportReport, file_name: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.file_name = file_name
        # (problem, the row's cells) for the admin's list of refusals.
        self.problem_list = [(p, report.problem_rows.get(p.line, ())) for p in report.problems]


def _cell(change: importing.Change, column: str) -> SafeString:
    after = change.after.get(column, "")
    if change.before is None or change.before.get(column, "") == after:
        return conditional_escape(after)
    return format_html("<del>{}</del> <ins>{}</ins>", change.before.get(column, ""), after)


def result_from_report(
    report: importing.ImportReport, table: importing.Table, file_name: str | None = None
) -> VillageImportResult:
    """An import-export Result for the admin's templates from an importing/ report (villages, candidates)."""
    result = VillageImportResult(report, file_name)
    result.total_rows = report.rows
    if not report.ok:
        result.diff_headers = list(table.header)
        for line, problems in groupby(report.problems, key=lambda p: p.line):
            errors: dict[str, list[str]] = {}
            for problem in problems:
                errors.setdefault(problem.column or NON_FIELD_ERRORS, []).append(problem.message)
            values = tuple(report.problem_rows.get(line, ()))
            result.invalid_rows.append(InvalidRow(line, ValidationError(errors), values))
        result.totals[RowResult.IMPORT_TYPE_INVALID] = report.problem_line_count
        return result
    result.diff_headers = list(report.columns)
    for change in report.changes:
        row = RowResult()
        row.import_type = RowResult.IMPORT_TYPE_NEW if change.kind == "new" else RowResult.IMPORT_TYPE_UPDATE
        row.object_id = change.code
        row.object_repr = f"{change.label} {change.code}"
        row.diff = [_cell(change, column) for column in report.columns]
        result.append_row_result(row)
    result.totals[RowResult.IMPORT_TYPE_NEW] = report.new
    result.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
    result.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
    return result


class WholeFileImport:
    """For a ModelResource whose rows never go through import-export's per-row machinery: the whole
    file goes to `import_table()` (villages/importing/: one reader, all-or-nothing checks; a dry run
    for the preview, the real write on confirm), and its report becomes the `Result` the admin's
    templates show."""

    def import_table(self, table: importing.Table, *, dry_run: bool) -> importing.ImportReport:
        raise NotImplementedError

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ) -> VillageImportResult:
        if isinstance(dataset, TableDataset):
            table = dataset.table
        else:
            table = importing.table_from_rows(dataset.headers or [], dataset)
        report = self.import_table(table, dry_run=dry_run)
        return result_from_report(report, table, file_name=kwargs.get("file_name"))


class VillageResource(WholeFileImport, resources.ModelResource):
    kode = Field(attribute="code", column_name="kode")
    nama = Field(attribute="name", column_name="nama")
    jenis = Field(column_name="jenis")
    kecamatan = Field(column_name="kecamatan")
    kabupaten_kota = Field(column_name="kabupaten_kota")
    lokus_ovop = Field(column_name="lokus_ovop")
    komoditas = Field(attribute="commodity", column_name="komoditas")
    desa_satelit = Field(column_name="desa_satelit")
    skor_keberlanjutan = Field(attribute="sustainability_score", column_name="skor_keberlanjutan")
    tanggal_pemetaan = Field(attribute="mapped_on", column_name="tanggal_pemetaan")
    petugas = Field(attribute="mapped_by", column_name="petugas")
    lintang = Field(attribute="latitude", column_name="lintang")
    bujur = Field(attribute="longitude", column_name="bujur")
    catatan = Field(attribute="mapping_notes", column_name="catatan")
    catatan_bahan_baku = Field(attribute="raw_material_notes", column_name="catatan_bahan_baku")

    class Meta:
        model = Village
        name = "Wilayah Kemendagri atau pemetaan desa (CSV)"
        fields = (
            "kode",
            "nama",
            "jenis",
            "kecamatan",
            "kabupaten_kota",
            "lokus_ovop",
            "komoditas",
            "desa_satelit",
            "skor_keberlanjutan",
            "tanggal_pemetaan",
            "petugas",
            "lintang",
            "bujur",
            "catatan",
            "catatan_bahan_baku",
        )
        export_order = fields
        import_id_fields = ("kode",)
        chunk_size = 2000

    # ---- export -------------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("district__regency").prefetch_related("satellite_villages")

    def iter_queryset(self, queryset):
        # Django's iterator() honours prefetch_related when given a chunk size: no paginator queries.
        yield from queryset.iterator(chunk_size=self.get_chunk_size())

    def export_field(self, field, instance, **kwargs):
        method = getattr(self, f"dehydrate_{field.column_name}", None)
        if method is not None:
            return method(instance)
        value = field.get_value(instance)
        return "" if value is None else value

    def dehydrate_kode(self, village: Village) -> str:
        return village.code

    def dehydrate_nama(self, village: Village) -> str:
        return village.name

    def dehydrate_jenis(self, village: Village) -> str:
        return village.get_kind_display()

    def dehydrate_kecamatan(self, village: Village) -> str:
        return village.district.name

    def dehydrate_kabupaten_kota(self, village: Village) -> str:
        return village.district.regency.name

    def dehydrate_lokus_ovop(self, village: Village) -> str:
        return yes_no(village.is_ovop_locus)

    def dehydrate_desa_satelit(self, village: Village) -> str:
        return "|".join(sorted(v.code for v in village.satellite_villages.all()))

    # ---- import: villages/importing/ does the work (WholeFileImport) ---------------------------------

    def import_table(self, table: importing.Table, *, dry_run: bool) -> importing.ImportReport:
        return importing.import_file(table, dry_run=dry_run, preview=PREVIEW_ROWS)

    def get_user_visible_fields(self):
        return [self.fields["kode"], self.fields["nama"]]
