"""The daily clean-up: old import files, expired sessions, old bookkeeping of the queue."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalogue.models import ScheduledRun, WorkerBeat
from villages import importing

logger = logging.getLogger(__name__)

IMPORT_FILE_MAX_AGE = timedelta(hours=1)
#: Finished tasks are kept this long for the admin (failed ones until someone deals with them).
TASK_RESULT_DAYS = 14


def remove_old_import_files(*, max_age: timedelta = IMPORT_FILE_MAX_AGE) -> int:
    """Delete the village import's temporary copies (the admin's preview files) older than ``max_age``;
    return how many. The import owns its private folder and the rule (villages/importing/uploads.py)."""
    return importing.purge_stale_uploads(max_age=int(max_age.total_seconds()))


def remove_expired_sessions() -> int:
    """What `manage.py clearsessions` does for database sessions; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def remove_old_queue_rows(*, now=None) -> int:
    now = now or timezone.now()
    deleted = DBTaskResult.objects.successful().filter(finished_at__lt=now - timedelta(days=TASK_RESULT_DAYS))
    count, _ = deleted.delete()
    count += ScheduledRun.objects.filter(slot__lt=now - timedelta(days=TASK_RESULT_DAYS)).delete()[0]
    count += WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()[0]
    return count


def clean_up() -> dict[str, int]:
    """The whole daily clean-up; a count per kind of thing removed."""
    return {
        "import_files": remove_old_import_files(),
        "sessions": remove_expired_sessions(),
        "queue_rows": remove_old_queue_rows(),
    }
