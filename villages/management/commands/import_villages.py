"""`python manage.py import_villages PATH [--dry-run]`: a Kemendagri region list or a PMD mapping file.

The format is read from the header. Every row is validated first; a file with any problem writes
nothing, lists every problem (line, column, reason) and exits with status 1. A progress bar is drawn
only when the output is a terminal.

Start-up is part of what an officer waits for (issue 17): the command skips the system checks (it
reads no URL, template or admin) and imports the importer only when it runs, not when `manage.py`
lists or helps commands.
"""

from __future__ import annotations

import atexit
import gc
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

BAR_WIDTH = 30


class Command(BaseCommand):
    help = _(
        "Impor daftar wilayah Kemendagri (kode,nama) atau berkas pemetaan desa PMD dari CSV. "
        "Semua baris diperiksa dulu; satu galat saja berarti tidak ada yang disimpan."
    )

    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help=_("berkas CSV"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("periksa dan hitung perubahan tanpa menyimpan apa pun"),
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # From the command line the process ends with the command, and Python's last act would be a
        # full collection that walks every object of Django once more (a tenth of a second); frozen
        # objects are left out of it. At exit, so that a test runner calling this stays as it is.
        atexit.register(gc.freeze)
        super().run_from_argv(argv)

    def handle(self, *args, path: Path, dry_run: bool, **options) -> None:
        if not path.is_file():
            raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": path})
        from villages import importing  # not at module top: `manage.py help` needs none of it

        started = time.perf_counter()
        progress = self.progress_bar if self.stdout.isatty() else None
        # The national list makes about half a million lists, tuples and strings, none in a reference
        # cycle: the cyclic collector would only walk them (and all of Django) again and again, a
        # third of the reading time. Reference counting frees them all the same.
        collecting = gc.isenabled()
        gc.disable()
        try:
            report = importing.import_file(path, dry_run=dry_run, progress=progress)
        finally:
            if collecting:
                gc.enable()
        if progress:
            self.stdout.write("")
        self.print_report(report, path, time.perf_counter() - started)
        if not report.ok:
            raise CommandError(
                _("Berkas ditolak: %(lines)d baris bermasalah. Tidak ada yang disimpan.")
                % {"lines": report.problem_line_count}
            )

    def progress_bar(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        percent = 100 * done // total if total else 100
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {percent:3d}%  {done}/{total}", ending="")
        self.stdout.flush()

    def print_report(self, report, path: Path, seconds: float) -> None:
        delimiter = {"\t": "tab"}.get(report.delimiter, report.delimiter)
        self.stdout.write(
            _("Berkas: %(path)s · format: %(format)s · %(encoding)s · pemisah %(delimiter)s")
            % {
                "path": path,
                "format": report.format_label,
                "encoding": report.encoding or "?",
                "delimiter": f"“{delimiter}”" if delimiter else "?",
            }
        )
        for warning in report.warnings[:20]:
            self.stderr.write(_("Peringatan: %(warning)s") % {"warning": warning})
        if len(report.warnings) > 20:
            self.stderr.write(
                _("Peringatan: … dan %(count)d peringatan lain.") % {"count": len(report.warnings) - 20}
            )
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.more_problem_lines:
            self.stderr.write(
                _("… dan %(count)d baris lain yang juga bermasalah (tidak ditampilkan).")
                % {"count": report.more_problem_lines}
            )
        for label, counts in report.counts.items():
            self.stdout.write(
                _("  %(label)s: %(new)d baru, %(updated)d diperbarui, %(unchanged)d tidak berubah")
                % {
                    "label": label,
                    "new": counts.new,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        summary = _(
            "Ringkasan: %(new)d baru, %(updated)d diperbarui, %(unchanged)d tidak berubah, "
            "%(errors)d galat (%(seconds).1f dtk)."
        ) % {
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": report.problem_line_count,
            "seconds": seconds,
        }
        if report.ok:
            self.stdout.write(self.style.SUCCESS(summary))
            if report.dry_run:
                self.stdout.write(_("Uji coba (--dry-run): tidak ada yang disimpan."))
        else:
            self.stdout.write(summary)
