"""`python manage.py purge_import_uploads [--max-age SECONDS]`: delete stale copies of admin imports.

The village admin keeps an uploaded file between its preview and its confirmation
(villages/importing/uploads.py); a preview nobody confirms leaves its copy behind. The scheduler runs
this hourly; every new preview also purges.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from villages.importing.uploads import MAX_AGE, purge_stale_uploads


class Command(BaseCommand):
    help = _("Hapus salinan sementara impor desa yang lebih tua dari satu jam.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--max-age",
            type=int,
            default=MAX_AGE,
            help=_("umur paling tua yang dipertahankan, dalam detik (bawaan %(default)s)"),
        )

    def handle(self, *args, max_age: int, **options) -> None:
        removed = purge_stale_uploads(max_age=max_age)
        self.stdout.write(_("%(count)d salinan sementara impor dihapus.") % {"count": removed})
