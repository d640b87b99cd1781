"""The worker process: django-tasks-db's loop, plus a heartbeat and the recovery of abandoned tasks.

django-tasks-db claims a task by locking its row (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL,
an exclusive transaction on SQLite) and marking it running, so each task runs in one worker and is
marked done once. A worker stopped with SIGTERM/SIGINT finishes its task first. What the library
does not cover is a worker that dies mid-task (SIGKILL, a machine lost): its task would stay
"running" for ever. Here each worker writes a heartbeat every few seconds (:class:`WorkerBeat`), and
every worker puts back in the queue the tasks whose worker has been silent for TASK_WORKER_TIMEOUT
seconds. Mail and notifications are idempotent (catalogue/background/delivery.py), so the rare task
that ran partly before its worker died and runs again delivers nothing twice.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from catalogue.background.scheduler import Job, SchedulerThread
from catalogue.models import WorkerBeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 5


def beat(worker_id: str) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()},
    )


def requeue_abandoned(*, now=None, timeout: int | None = None) -> int:
    """Put back in the queue the tasks left running by a worker silent for ``timeout`` seconds."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=timeout or settings.TASK_WORKER_TIMEOUT)
    alive = set(WorkerBeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = 0
    running = (
        DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids", "started_at")
    )
    for task in running:
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        # Conditional: a worker that comes back to life and finishes first keeps its result.
        requeued += DBTaskResult.objects.filter(
            pk=task.pk, status=task.status, started_at=task.started_at
        ).update(status="READY", started_at=None)
        logger.warning(
            "Task %s (%s) was left running by a dead worker; queued again.", task.pk, task.task_path
        )
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return requeued


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, *, every: float = BEAT_SECONDS) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                try:
                    beat(self.worker_id)
                    requeue_abandoned()
                except Exception:
                    logger.warning("Heartbeat failed; trying again.", exc_info=True)
                    connection.close()
        finally:
            with contextlib.suppress(Exception):  # the row ages out on its own
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
            connection.close()

    def stop(self) -> None:
        self.stopping.set()


class Worker(DatabaseWorker):
    """One worker process; with ``jobs``, also a candidate for the one scheduler."""

    def __init__(self, *, jobs: list[Job] | None = None, **options) -> None:
        super().__init__(**options)
        self.heartbeat = Heartbeat(self.worker_id)
        self.scheduler = SchedulerThread(jobs) if jobs else None

    def run(self) -> None:
        beat(self.worker_id)  # before the first claim: a fresh worker is never taken for dead
        requeue_abandoned()
        self.heartbeat.start()
        if self.scheduler is not None:
            self.scheduler.start()
        try:
            super().run()
        finally:
            self.heartbeat.stop()
            if self.scheduler is not None:
                self.scheduler.stop()
            for thread in (self.heartbeat, self.scheduler):
                if thread is not None and thread.is_alive():
                    thread.join(timeout=5)
