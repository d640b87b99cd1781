"""The admin side of every import that goes through villages/importing/ (villages, candidates).

One workflow, written once: upload, preview, confirm. The uploaded file waits between the preview
and the confirmation in importing/uploads.py's private storage; the confirmation accepts only a name
that storage chose (anything else answers 400 without touching a file), and the copy goes on
confirmation, on refusal and after an hour at most. The resource's `import_data` returns a
`VillageImportResult` carrying the importing/ report; a file refused on confirmation (the database
changed since the preview) writes nothing and sends the officer back to the import page.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.forms import ImportForm

from .importing import uploads
from .resources import VillageCSV, VillageImportResult

security_log = logging.getLogger("django.security.SuspiciousOperation")


class ImportFileForm(ImportForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("Berkas CSV")
        self.fields["import_file"].help_text = _(
            "UTF-8 (dengan atau tanpa BOM) atau Windows-1252; pemisah koma atau titik koma."
        )
        self.fields["format"].label = _("Format")
        if "resource" in self.fields:
            self.fields["resource"].label = _("Jenis data")


class PrivateUploadImportMixin:
    """For a ModelAdmin with import-export's ImportMixin and a resource built on villages/importing/."""

    import_formats = [VillageCSV]
    import_form_class = ImportFileForm
    tmp_storage_class = uploads.PrivateUploadStorage
    import_log_label = _("impor")

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
            security_log.warning(
                "Import confirmation refused (%s): import_file_name %r", self.opts.label, name[:100]
            )
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
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_import", current_app=self.admin_site.name
        )

    # ---- import: one log entry per file, Indonesian messages, refusals on confirm ------------

    def generate_log_entries(self, result: VillageImportResult, request) -> None:
        if self.get_skip_admin_log():
            return
        report = result.report
        LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=None,
            object_repr=(result.file_name or str(self.import_log_label))[:200],
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
