"""Periodic jobs without cron: exactly one scheduler among all workers, each time slot run once.

Every worker started by ``manage.py run_worker`` runs a scheduler thread, but only the one holding the
scheduler lock acts; the others wait to take over:

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``). It is held by the scheduler
  thread's own database connection, so it goes away by itself when that worker, its machine or its
  connection dies, and another worker takes over within one tick.
- SQLite (one machine): an exclusive ``flock`` on a file beside the database, released by the kernel
  when the process dies.

Whoever holds the lock, each job's time slot is claimed by inserting a :class:`ScheduledRun` row
(unique per job and slot) in the same transaction as the task's row in the queue: even two schedulers
(a lock lost and taken over within one tick) enqueue a slot only once. A slot missed while no worker
ran (a restart at 03:00) is caught up once, at the next tick: only the latest slot of each job runs.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import tempfile
import threading
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.tasks import Task
from django.utils import timezone

from catalogue.background.retry import enqueue_on_commit
from catalogue.models import ScheduledRun

logger = logging.getLogger(__name__)

LOCK_KEY = zlib.crc32(b"beli-produk-ntt:scheduler")  # the advisory lock's number
TICK_SECONDS = 10


@dataclass(frozen=True)
class Job:
    """A task run every ``every`` (aligned to the clock: every 5 min = :00, :05, …) or daily at
    ``daily_at`` WITA."""

    name: str
    task: Task
    every: timedelta | None = None
    daily_at: time | None = None
    description: str = ""

    def latest_slot(self, now: datetime) -> datetime:
        """The most recent time at or before ``now`` when this job was due."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            seconds = int(now.timestamp())
            return datetime.fromtimestamp(seconds - seconds % step, tz=UTC)
        assert self.daily_at is not None
        local = timezone.localtime(now)
        slot = local.replace(hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0)
        return slot if slot <= local else slot - timedelta(days=1)

    def when(self) -> str:
        if self.every is not None:
            return f"setiap {int(self.every.total_seconds() // 60)} menit"
        return f"setiap hari pukul {self.daily_at:%H.%M} WITA"


def claim(job: Job, *, now: datetime | None = None) -> bool:
    """Enqueue ``job`` for its latest slot unless that slot was enqueued already; True when it was now."""
    slot = job.latest_slot(now or timezone.now())
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job.name, slot=slot)
            enqueue_on_commit(job.task)
    except IntegrityError:
        return False
    logger.info("Scheduled %s for %s.", job.name, slot.isoformat())
    return True


def run_due(jobs: list[Job], *, now: datetime | None = None) -> list[str]:
    """One tick of the scheduler: the names of the jobs enqueued now."""
    now = now or timezone.now()
    return [job.name for job in jobs if claim(job, now=now)]


# --- the lock: one scheduler ------------------------------------------------------------------------


class SchedulerLock:
    """Held by at most one process at a time, released when the holder dies (see the module doc)."""

    def __init__(self) -> None:
        self._file = None
        self.held = False

    def acquire(self) -> bool:
        if self.held and self._still_held():
            return True
        self.held = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                self.held = bool(cursor.fetchone()[0])
        else:
            self.held = self._flock()
        return self.held

    def _still_held(self) -> bool:
        if connection.vendor != "postgresql":
            return True
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                    "AND objid = %s AND granted",
                    [LOCK_KEY & 0xFFFFFFFF],
                )
                return cursor.fetchone() is not None
        except Exception:
            connection.close()  # the session (and its lock) is gone; the next acquire reconnects
            return False

    @staticmethod
    def lock_path() -> Path:
        """Beside the database file; in the temporary folder for an in-memory database (tests)."""
        name = str(connection.settings_dict["NAME"])
        if name.startswith("file:") or name == ":memory:" or "mode=memory" in name:
            digest = hashlib.sha256(name.encode()).hexdigest()[:12]
            return Path(tempfile.gettempdir()) / f"beli-produk-ntt-scheduler-{digest}.lock"
        return Path(name + ".scheduler.lock")

    def _flock(self) -> bool:
        path = self.lock_path()
        if self._file is None:
            self._file = path.open("a")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        if connection.vendor == "postgresql":
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
            except Exception:  # noqa: S110 - the session is gone, and the lock with it
                pass
        elif self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)


class SchedulerThread(threading.Thread):
    """Inside a worker: try for the lock every tick; while holding it, enqueue the jobs that are due."""

    def __init__(self, jobs: list[Job], *, tick: float = TICK_SECONDS) -> None:
        super().__init__(name="scheduler", daemon=True)
        self.jobs = jobs
        self.tick = tick
        self.lock = SchedulerLock()
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.step()
                self.stopping.wait(self.tick)
        finally:
            self.lock.release()
            connection.close()

    def step(self) -> None:
        try:
            was_leader = self.lock.held
            if self.lock.acquire():
                if not was_leader:
                    logger.warning("This worker now runs the scheduler.")
                run_due(self.jobs)
        except Exception:
            logger.warning("The scheduler could not run this tick.", exc_info=True)
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
