"""Enqueueing after commit, and retrying with a doubling delay capped at TASK_RETRY_MAX_DELAY."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, /, *args, **kwargs) -> None:
    """Queue ``task`` so that a worker sees it only once the caller's transaction has committed.

    With the database queue the task's row is written inside that transaction: it commits with the
    order (or rolls back with it), so nothing is lost between the commit and the enqueue, even if the
    process dies right then. Any other backend (immediate in development and tests) enqueues on commit.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)


def backoff(attempt: int) -> int:
    """Seconds to wait after the ``attempt``-th try failed: 2, 4, 8, 16, 32, then the cap (60)."""
    return min(settings.TASK_RETRY_MAX_DELAY, 2 ** max(attempt, 1))


def retry_later(task: Task, *args, attempt: int, error: BaseException, **kwargs) -> dict:
    """Enqueue try ``attempt + 1`` of ``task`` after :func:`backoff`; the caller returns the result.

    Raises ``error`` instead when the tries are used up (the task then shows as failed in the admin,
    where Admin PMD can run it again) or when the backend cannot run a task later (immediate)."""
    if attempt >= settings.TASK_RETRY_MAX_ATTEMPTS or not task.get_backend().supports_defer:
        raise error
    delay = backoff(attempt)
    later = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    later.enqueue(*args, attempt=attempt + 1, **kwargs)
    logger.warning("%s failed (try %d: %s); trying again in %d s.", task.name, attempt, error, delay)
    return {"retry_in_seconds": delay, "attempt": attempt, "error": str(error)[:500]}
