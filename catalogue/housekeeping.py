"""The daily clean-up: old import files, expired sessions, old bookkeeping of the queue."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalogue.models import ScheduledRun, WorkerBeat

logger = logging.getLogger(__name__)

IMPORT_FILE_MAX_AGE = timedelta(hours=1)
#: Finished tasks are kept this long for the admin (failed ones until someone deals with them).
TASK_RESULT_DAYS = 14


def remove_old_import_files(*, max_age: timedelta = IMPORT_FILE_MAX_AGE) -> int:
    """Delete the village import's temporary files older than ``max_age``; return how many.

    The import owns its folder: when villages.importing offers ``remove_stale_files`` it is asked;
    otherwise the files directly inside ``IMPORT_TEMP_DIR`` (a folder only the import uses) go."""
    try:
        from villages import importing  # optional: the import may not offer it (yet)
    except ImportError:
        importing = None
    remover = getattr(importing, "remove_stale_files", None)
    if remover is not None:
        return int(remover(older_than=max_age))
    folder = getattr(settings, "IMPORT_TEMP_DIR", None)
    if not folder or not Path(folder).is_dir():
        return 0
    cutoff = time.time() - max_age.total_seconds()
    removed = 0
    for path in Path(folder).iterdir():
        if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


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
