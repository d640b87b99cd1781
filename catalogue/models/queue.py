"""The bookkeeping of background work that the task queue itself does not keep.

- :class:`SentMessage`: one row per email or notification delivered, under an idempotency key, so that
  a retried or re-run task (or two workers racing) never delivers the same message twice.
- :class:`WorkerBeat`: each running worker's heartbeat; a task left running by a silent worker goes
  back to the queue (catalogue/background/worker.py).
- :class:`ScheduledRun`: one row per run of a periodic job and time slot, so that each slot is
  enqueued exactly once, whichever worker holds the scheduler (catalogue/background/scheduler.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentMessage(models.Model):
    key = models.CharField(_("kunci"), max_length=200, unique=True)
    channel = models.CharField(_("saluran"), max_length=20, default="email")
    sent_at = models.DateTimeField(_("terkirim"), auto_now_add=True)

    class Meta:
        verbose_name = _("pesan terkirim")
        verbose_name_plural = _("pesan terkirim")

    def __str__(self) -> str:
        return self.key


class WorkerBeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("pekerja antrean")
        verbose_name_plural = _("pekerja antrean")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class ScheduledRun(models.Model):
    job = models.CharField(max_length=64)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jadwal yang dijalankan")
        verbose_name_plural = _("jadwal yang dijalankan")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"
