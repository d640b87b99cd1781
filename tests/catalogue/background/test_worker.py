"""A task is never lost with its worker: one left running by a dead worker goes back to the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalogue import tasks
from catalogue.background.worker import beat, requeue_abandoned
from catalogue.models import WorkerBeat

from .conftest import drain

pytestmark = pytest.mark.django_db


def running_task(worker_id: str, *, started_ago: timedelta) -> DBTaskResult:
    tasks.expire_orders.enqueue()
    row = DBTaskResult.objects.get(status="READY")
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - started_ago)
    return DBTaskResult.objects.get(pk=row.pk)


def test_a_task_left_running_by_a_silent_worker_runs_again_in_another(database_queue):
    beat("killed-worker")
    WorkerBeat.objects.filter(pk="killed-worker").update(seen_at=timezone.now() - timedelta(minutes=2))
    task = running_task("killed-worker", started_ago=timedelta(minutes=2))
    assert requeue_abandoned() == 1
    assert drain() == 1
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids == ["killed-worker", "test-worker"]


def test_a_task_of_a_worker_that_still_beats_is_left_alone(database_queue):
    beat("slow-worker")
    task = running_task("slow-worker", started_ago=timedelta(minutes=10))
    assert requeue_abandoned() == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_just_claimed_is_left_alone_even_before_its_worker_beats(database_queue):
    task = running_task("new-worker", started_ago=timedelta(seconds=2))
    assert requeue_abandoned() == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_finished_task_is_marked_done_once_and_never_run_again(database_queue):
    tasks.expire_orders.enqueue()
    assert drain() == 1
    assert drain() == 0
    assert requeue_abandoned() == 0
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_worker_command_refuses_to_start_without_a_queue(settings):
    from django.core.management import CommandError, call_command

    settings.TASK_QUEUE = "immediate"
    with pytest.raises(CommandError, match="TASK_QUEUE"):
        call_command("run_worker")


def test_the_worker_command_runs_what_is_queued_and_stops_in_batch_mode(database_queue):
    from unittest import mock

    from django.core.management import call_command

    tasks.expire_orders.enqueue()
    # Inside the test's transaction the worker must not close the test's connection between tasks.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("run_worker", "--batch", "--worker-id", "batch-1")
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL" and task.worker_ids == ["batch-1"]
