"""Mail and notification tasks retry with a doubling delay capped at 60 s, and deliver once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalogue.background.retry import backoff, enqueue_on_commit

from . import flaky
from .conftest import drain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_flaky_state():
    flaky.state.update(failures_left=0, calls=0, delivered=0)


def make_due() -> None:
    """Let the clock pass every retry delay."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - timedelta(seconds=1))


def test_the_delay_doubles_and_is_capped_at_60_seconds():
    assert [backoff(attempt) for attempt in range(1, 9)] == [2, 4, 8, 16, 32, 60, 60, 60]


def test_a_mail_outage_delays_the_message_and_it_goes_out_once_when_the_server_is_back(database_queue):
    flaky.state["failures_left"] = 3
    flaky.send_flaky.enqueue("order:1:buyer")
    started = timezone.now()
    assert drain() == 1
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert timedelta(seconds=1) < retry.run_after - started < timedelta(seconds=4)
    assert drain() == 0  # not before its time
    for _ in range(3):
        make_due()
        drain()
    assert flaky.state == {"failures_left": 0, "calls": 4, "delivered": 1}
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    # A run of the same message again (a re-queued task, a second worker) delivers nothing more.
    flaky.send_flaky.enqueue("order:1:buyer")
    drain()
    assert flaky.state["delivered"] == 1


def test_after_the_last_try_the_task_fails_visibly(database_queue, settings):
    settings.TASK_RETRY_MAX_ATTEMPTS = 2
    flaky.state["failures_left"] = 5
    flaky.send_flaky.enqueue("order:2:inbox")
    drain()
    make_due()
    drain()
    failed = DBTaskResult.objects.get(status="FAILED")
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    assert "mail server down" in failed.traceback
    assert flaky.state["delivered"] == 0


def test_without_a_queue_a_failure_is_not_retried_in_the_request():
    """The immediate backend (development) cannot run later: the failure is recorded, not retried."""
    flaky.state["failures_left"] = 1
    result = flaky.send_flaky.enqueue("order:3:buyer")
    assert result.status == "FAILED"
    assert flaky.state["calls"] == 1


def test_a_task_enqueued_in_a_transaction_that_rolls_back_never_runs(database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(flaky.send_flaky, "order:4:buyer")
        raise RuntimeError("the order could not be placed")
    assert not DBTaskResult.objects.exists()


def test_a_task_enqueued_in_a_transaction_is_queued_with_it(database_queue):
    with transaction.atomic():
        enqueue_on_commit(flaky.send_flaky, "order:5:buyer")
    assert drain() == 1
    assert flaky.state["delivered"] == 1


def test_with_the_immediate_backend_the_task_runs_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_on_commit(flaky.send_flaky, "order:6:buyer")
        assert flaky.state["calls"] == 0
    assert len(callbacks) == 1
    assert flaky.state["delivered"] == 1
