"""Periodic jobs: one scheduler among all workers, and each time slot enqueued exactly once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from catalogue import tasks
from catalogue.background.scheduler import Job, SchedulerLock, claim, run_due
from catalogue.models import ScheduledRun

pytestmark = pytest.mark.django_db

WITA = timedelta(hours=8)
EVERY_5 = Job("expire_orders", tasks.expire_orders, every=timedelta(minutes=5))
DAILY_7 = Job("remind_certificates", tasks.remind_certificates, daily_at=time(7, 0))


def at(hour: int, minute: int, second: int = 0, day: int = 10) -> datetime:
    """A moment on 2026-12-<day> at the given WITA clock time."""
    return datetime(2026, 12, day, hour, minute, second, tzinfo=UTC) - WITA + timedelta(0)


def test_every_five_minutes_is_aligned_to_the_clock():
    assert EVERY_5.latest_slot(at(9, 7, 30)) == at(9, 5)
    assert EVERY_5.latest_slot(at(9, 10)) == at(9, 10)


def test_a_daily_job_is_due_at_its_wita_time_and_yesterdays_slot_counts_before_it():
    assert DAILY_7.latest_slot(at(7, 0)) == at(7, 0)
    assert DAILY_7.latest_slot(at(23, 59)) == at(7, 0)
    assert DAILY_7.latest_slot(at(6, 59, day=11)) == at(7, 0, day=10)


def test_each_slot_is_enqueued_once_however_often_the_scheduler_ticks(database_queue):
    assert claim(EVERY_5, now=at(9, 1)) is True
    assert claim(EVERY_5, now=at(9, 4, 50)) is False
    assert claim(EVERY_5, now=at(9, 5)) is True
    assert DBTaskResult.objects.filter(task_path="catalogue.tasks.expire_orders").count() == 2
    assert ScheduledRun.objects.count() == 2


def test_a_tick_enqueues_every_job_that_is_due_and_only_those(database_queue):
    assert sorted(run_due([EVERY_5, DAILY_7], now=at(7, 2))) == ["expire_orders", "remind_certificates"]
    assert run_due([EVERY_5, DAILY_7], now=at(7, 4)) == []
    assert run_due([EVERY_5, DAILY_7], now=at(7, 6)) == ["expire_orders"]


def test_a_day_missed_while_no_worker_ran_is_caught_up_once(database_queue):
    run_due([DAILY_7], now=at(8, 0, day=10))
    # Every worker was stopped on the 11th at 06:00 and came back on the 12th at 10:00:
    assert run_due([DAILY_7], now=at(10, 0, day=12)) == ["remind_certificates"]
    assert run_due([DAILY_7], now=at(10, 1, day=12)) == []
    assert ScheduledRun.objects.filter(job="remind_certificates").count() == 2


def test_the_schedule_has_the_jobs_the_readme_documents():
    schedule = {job.name: job.when() for job in tasks.SCHEDULE}
    assert schedule == {
        "expire_orders": "setiap 5 menit",
        "remind_certificates": "setiap hari pukul 07.00 WITA",
        "remind_producers": "setiap hari pukul 08.00 WITA",
        "remind_curations": "setiap hari pukul 07.30 WITA",
        "clean_up": "setiap hari pukul 03.00 WITA",
    }


@pytest.mark.django_db(transaction=True)
def test_only_one_of_several_workers_holds_the_scheduler_lock_until_it_lets_go():
    """Each worker's scheduler thread has its own database connection (PostgreSQL: advisory lock)."""
    results: dict[str, bool] = {}
    first_holds = threading.Event()
    release = threading.Event()

    def first() -> None:
        lock = SchedulerLock()
        results["first"] = lock.acquire()
        first_holds.set()
        release.wait(10)
        lock.release()
        connection.close()

    def second(name: str) -> None:
        lock = SchedulerLock()
        results[name] = lock.acquire()
        lock.release()
        connection.close()

    holder = threading.Thread(target=first)
    holder.start()
    assert first_holds.wait(10)
    contender = threading.Thread(target=second, args=("while held",))
    contender.start()
    contender.join()
    release.set()
    holder.join()
    taker = threading.Thread(target=second, args=("after release",))
    taker.start()
    taker.join()
    assert results == {"first": True, "while held": False, "after release": True}
