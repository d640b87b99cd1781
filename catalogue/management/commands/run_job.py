"""`manage.py run_job NAME`: run one of the periodic jobs now, in this process (cron-free schedule
in catalogue/tasks.py; `--list` shows them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from catalogue.tasks import SCHEDULE


class Command(BaseCommand):
    help = "Menjalankan satu tugas berkala sekarang juga: " + ", ".join(job.name for job in SCHEDULE) + "."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", nargs="?", help="Nama tugas.")
        parser.add_argument("--list", action="store_true", help="Tampilkan jadwal semua tugas.")

    def handle(self, *args, name: str | None, list: bool, **options) -> None:
        jobs = {job.name: job for job in SCHEDULE}
        if list or not name:
            for job in SCHEDULE:
                self.stdout.write(f"{job.name:22} {job.when():32} {job.description}")
            return
        if name not in jobs:
            raise CommandError(f"Tugas {name!r} tidak ada; pilih salah satu: {', '.join(jobs)}.")
        result = jobs[name].task.call()
        self.stdout.write(self.style.SUCCESS(f"{name}: {result}"))
