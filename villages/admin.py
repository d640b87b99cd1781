"""Admin for the region tree and PMD's village mapping, with the village import and export.

Importing needs `villages.import_village`, which only the `Admin PMD` group holds (migration
villages 0003); the import button is hidden from everyone else and the import URLs answer 403.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from ovop.exporting import DatedExportMixin

from .models import District, Province, Regency, Village
from .resources import EscapedCSV, EscapedXLSX, VillageCSV, VillageImportResult, VillageResource


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regency"]
    list_filter = ["regency__province", "regency"]
    list_select_related = ["regency"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["regency"]


class VillageImportForm(ImportForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("Berkas CSV")
        self.fields["import_file"].help_text = _(
            "UTF-8 (dengan atau tanpa BOM) atau Windows-1252; pemisah koma atau titik koma."
        )
        self.fields["format"].label = _("Format")
        if "resource" in self.fields:
            self.fields["resource"].label = _("Jenis data")


@admin.register(Village)
class VillageAdmin(DatedExportMixin, ImportExportMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "regency", "is_ovop_locus", "commodity"]
    list_filter = ["is_ovop_locus", "kind", "district__regency"]
    list_select_related = ["district__regency"]
    search_fields = ["code", "name", "commodity"]
    autocomplete_fields = ["district", "satellite_villages"]
    fieldsets = [
        (None, {"fields": ["code", "name", "district", "kind"]}),
        (
            _("Pemetaan PMD"),
            {
                "fields": [
                    "is_ovop_locus",
                    "commodity",
                    "raw_material_notes",
                    "sustainability_score",
                    "satellite_villages",
                    "mapped_on",
                    "mapped_by",
                    "latitude",
                    "longitude",
                    "mapping_notes",
                ]
            },
        ),
    ]
    readonly_fields = ["kind"]

    resource_classes = [VillageResource]
    export_file_stem = "desa"  # desa-2026-11-29.csv
    import_formats = [VillageCSV]
    export_formats = [EscapedCSV, EscapedXLSX]
    import_form_class = VillageImportForm
    import_template_name = "admin/villages/village/import.html"
    import_export_change_list_template = "admin/villages/village/change_list_import_export.html"

    @admin.display(description=_("kabupaten/kota"), ordering="district__regency__name")
    def regency(self, village: Village) -> Regency:
        return village.district.regency

    # ---- import: one log entry per file, Indonesian messages, refusals on confirm ------------

    def generate_log_entries(self, result: VillageImportResult, request) -> None:
        if self.get_skip_admin_log():
            return
        report = result.report
        LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(Village),
            object_id=None,
            object_repr=(result.file_name or gettext("impor wilayah"))[:200],
            action_flag=CHANGE,
            change_message=gettext("Impor %(format)s: %(new)d baru, %(updated)d diperbarui, %(same)d tetap.")
            % {
                "format": report.format_label,
                "new": report.new,
                "updated": report.updated,
                "same": report.unchanged,
            },
        )

    def add_success_message(self, result: VillageImportResult, request) -> None:
        report = result.report
        messages.success(
            request,
            gettext(
                "Impor selesai (%(format)s): %(new)d baru, %(updated)d diperbarui, %(same)d tidak berubah."
            )
            % {
                "format": report.format_label,
                "new": report.new,
                "updated": report.updated,
                "same": report.unchanged,
            },
        )

    def process_result(self, result: VillageImportResult, request):
        report = result.report
        if report.ok:
            return super().process_result(result, request)
        # The database changed between the preview and the confirmation: nothing was written.
        messages.error(
            request,
            gettext("Impor dibatalkan, tidak ada yang disimpan: %(lines)d baris bermasalah.")
            % {"lines": report.problem_line_count},
        )
        for problem in report.problems[:20]:
            messages.error(request, str(problem))
        return HttpResponseRedirect(
            reverse("admin:villages_village_import", current_app=self.admin_site.name)
        )

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        form.add_error("import_file", gettext("Berkas tidak dapat dibaca: %(error)s") % {"error": e})
