"""Admin for the region tree and PMD's village mapping, with the village import and export.

Importing needs `villages.import_village`, which only the `Admin PMD` group holds (migration
villages 0003); the import button is hidden from everyone else and the import URLs answer 403.

The uploaded file waits between the preview and the confirmation in importing/uploads.py's private
storage; the confirmation accepts only a name that storage chose, and the copy goes on confirmation,
on refusal and after an hour at most.
"""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from ovop.exporting import DatedExportMixin

from .importing import uploads
from .models import District, Province, Regency, Village
from .resources import EscapedCSV, EscapedXLSX, VillageCSV, VillageImportResult, VillageResource

security_log = logging.getLogger("django.security.SuspiciousOperation")


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
    tmp_storage_class = uploads.PrivateUploadStorage

    @admin.display(description=_("kabupaten/kota"), ordering="district__regency__name")
    def regency(self, village: Village) -> Regency:
        return village.district.regency

    # ---- import: the temporary copy, private and short-lived ----------------------------------

    def import_action(self, request, **kwargs):
        if request.method == "POST":
            uploads.purge_stale_uploads()
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        form = context.get("form")
        if request.method == "POST" and form is not None and "confirm_form" not in context:
            # Refused (or unreadable): no confirmation will come for this copy.
            upload = getattr(form, "cleaned_data", {}).get("import_file")
            uploads.remove_upload(getattr(upload, "tmp_storage_name", None))
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "")
        if not uploads.is_upload_name(name):
            security_log.warning("Village import confirmation refused: import_file_name %r", name[:100])
            return HttpResponseBadRequest(
                gettext("Nama berkas pratinjau tidak sah. Unggah berkasnya lagi dari halaman impor."),
                content_type="text/plain; charset=utf-8",
            )
        if not (uploads.upload_folder() / name).is_file():
            messages.error(
                request,
                gettext("Pratinjau itu sudah kedaluwarsa atau sudah dipakai. Unggah berkasnya lagi."),
            )
            return HttpResponseRedirect(self.import_url())
        try:
            return super().process_import(request, **kwargs)
        finally:
            uploads.remove_upload(name)

    def import_url(self) -> str:
        return reverse("admin:villages_village_import", current_app=self.admin_site.name)

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
        return HttpResponseRedirect(self.import_url())

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        form.add_error("import_file", gettext("Berkas tidak dapat dibaca: %(error)s") % {"error": e})
