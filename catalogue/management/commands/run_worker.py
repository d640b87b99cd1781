"""`manage.py run_worker`: one task worker (and a candidate for the one scheduler)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string

from catalogue.background.worker import Worker
from catalogue.tasks import SCHEDULE


class Command(BaseCommand):
    help = (
        "Menjalankan pekerja antrean tugas (email, notifikasi, tugas berkala). Boleh banyak, di mesin "
        "mana saja yang memakai basis data yang sama; hanya satu yang menjadi penjadwal."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="Jangan ikut menjadi penjadwal.")
        parser.add_argument("--interval", type=float, default=1.0, help="Detik menunggu saat antrean kosong.")
        parser.add_argument("--batch", action="store_true", help="Kerjakan yang ada, lalu berhenti.")
        parser.add_argument("--worker-id", default="", help="Nama unik pekerja (bawaan: acak).")

    def handle(self, *args, no_scheduler: bool, interval: float, batch: bool, worker_id: str, **options):
        if settings.TASK_QUEUE != "database":
            raise CommandError(
                "TASK_QUEUE bukan 'database': tugas dijalankan langsung, tidak ada antrean untuk pekerja."
            )
        worker_id = worker_id or f"{get_random_string(12)}"
        self.stdout.write(f"Pekerja {worker_id} mulai{'' if no_scheduler else ' (calon penjadwal)'}.")
        worker = Worker(
            jobs=None if no_scheduler or batch else SCHEDULE,
            queue_names=["*"],
            excluded_queue_names=[],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id[:64],
        )
        worker.configure_signals()
        worker.run()
