"""The download log of private files: read-only, for Admin PMD (the only group given its view
permission, migration 0005_x_file_downloads)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalogue.models import FileDownload


@admin.register(FileDownload)
class FileDownloadAdmin(admin.ModelAdmin):
    list_display = ["downloaded_at", "username", "kind_display", "file_link"]
    list_select_related = ["user"]
    list_filter = ["downloaded_at"]
    search_fields = ["username", "path"]
    search_help_text = _("Cari nama pengguna atau nama berkas.")
    date_hierarchy = "downloaded_at"
    list_per_page = 100
    fields = ["downloaded_at", "user", "username", "path"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("jenis"))
    def kind_display(self, download: FileDownload) -> str:
        return {"bukti": _("Bukti tahap"), "sertifikat": _("Pindaian sertifikat")}.get(
            download.kind, download.kind
        )

    @admin.display(description=_("berkas"), ordering="path")
    def file_link(self, download: FileDownload) -> str:
        address = reverse("catalogue:private_file", kwargs={"path": download.path})
        return format_html('<a href="{}">{}</a>', address, download.path)
