"""The database queue for the tests that prove it (every other test runs tasks at once)."""

from __future__ import annotations

from unittest import mock

import pytest
from asgiref.local import Local
from django.tasks import task_backends
from django_tasks_db.management.commands.db_worker import Worker


def reset_task_backends() -> None:
    """django.tasks keeps its backends; make it read settings.TASKS again."""
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def database_queue(settings):
    settings.TASK_QUEUE = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    reset_task_backends()
    yield
    reset_task_backends()


def drain() -> int:
    """Run every task that is ready now, in this thread and transaction, as a worker would."""
    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    )
    # The worker closes stale connections between tasks; inside a test's transaction that would
    # close the test's own connection (PostgreSQL).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
    return worker._run_tasks
