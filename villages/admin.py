"""Admin for the region tree and PMD's village mapping, with the village import and export.

Importing needs `villages.import_village`, which only the `Admin PMD` group holds (migration
villages 0003); the import button is hidden from everyone else and the import URLs answer 403.

The upload, preview and confirmation, with the file's private temporary copy, are import_admin.py's
(shared with the candidate import).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from ovop.exporting import DatedExportMixin

from .import_admin import PrivateUploadImportMixin
from .models import District, Province, Regency, Village
from .resources import EscapedCSV, EscapedXLSX, VillageResource


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


@admin.register(Village)
class VillageAdmin(PrivateUploadImportMixin, DatedExportMixin, ImportExportMixin, admin.ModelAdmin):
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
    export_formats = [EscapedCSV, EscapedXLSX]
    import_template_name = "admin/villages/village/import.html"
    import_export_change_list_template = "admin/villages/village/change_list_import_export.html"
    import_log_label = _("impor wilayah")

    @admin.display(description=_("kabupaten/kota"), ordering="district__regency__name")
    def regency(self, village: Village) -> Regency:
        return village.district.regency
