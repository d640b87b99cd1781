"""The daily clean-up: old import files, expired sessions, old bookkeeping of the queue."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from catalogue import housekeeping
from tests.catalogue import backoffice
from villages.importing import uploads

pytestmark = pytest.mark.django_db


def test_import_files_older_than_an_hour_go_and_newer_ones_stay():
    folder = uploads.upload_folder()  # the import's own private folder, under PRIVATE_MEDIA_ROOT
    folder.mkdir(parents=True)
    old, new = folder / ("a" * 43 + ".csv"), folder / ("b" * 43 + ".csv")
    old.write_text("kode,nama\n")
    new.write_text("kode,nama\n")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert housekeeping.remove_old_import_files() == 1
    assert not old.exists() and new.exists()


def test_without_an_import_folder_nothing_is_touched():
    assert housekeeping.remove_old_import_files() == 0


def test_expired_sessions_go_and_live_ones_stay():
    live = SessionStore()
    live["keranjang"] = {"1": {"q": 1, "p": 60000}}
    live.create()
    expired = SessionStore()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    assert housekeeping.remove_expired_sessions() == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


def test_old_successful_tasks_go_and_failed_ones_stay_for_the_officers():
    old_done = backoffice.task_result("SUCCESSFUL")
    old_failed = backoffice.task_result("FAILED")
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=30))
    recent = backoffice.task_result("SUCCESSFUL")
    DBTaskResult.objects.filter(pk=recent.pk).update(finished_at=timezone.now())
    housekeeping.remove_old_queue_rows()
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {old_failed.pk, recent.pk}
    assert not DBTaskResult.objects.filter(pk=old_done.pk).exists()


def test_every_periodic_job_runs_as_a_command(capsys):
    for name in ["expire_orders", "remind_certificates", "remind_producers", "clean_up"]:
        call_command("run_job", name)
        assert capsys.readouterr().out.startswith(f"{name}: ")
    call_command("run_job", "--list")
    assert "setiap 5 menit" in capsys.readouterr().out
