"""Admin PMD sees the failed background tasks and runs them again; nobody else touches the queue."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:django_tasks_database_dbtaskresult_changelist")


def signed_in(group: str | None = None, *, superuser: bool = False) -> Client:
    client = Client()
    client.force_login(backoffice.staff(group, superuser=superuser))
    return client


def run_again(client: Client, *tasks: DBTaskResult):
    return client.post(
        CHANGELIST,
        {"action": "run_again", ACTION_CHECKBOX_NAME: [str(task.pk) for task in tasks]},
        follow=True,
    )


def test_admin_pmd_finds_the_failed_tasks_with_their_error():
    failed = backoffice.task_result("FAILED")
    backoffice.task_result("SUCCESSFUL")
    page = signed_in(ADMIN_PMD).get(CHANGELIST, {"status__exact": "FAILED"}).content.decode()
    assert "expire_orders" in page and str(failed.pk) in page
    detail = signed_in(ADMIN_PMD).get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    )
    assert "Connection unexpectedly closed" in detail.content.decode()


def test_admin_pmd_runs_a_failed_task_again_once():
    failed = backoffice.task_result("FAILED")
    done = backoffice.task_result("SUCCESSFUL")
    client = signed_in(ADMIN_PMD)
    response = run_again(client, failed, done)
    assert "1 tugas gagal masuk antrean lagi" in response.content.decode()
    failed.refresh_from_db()
    done.refresh_from_db()
    assert failed.status == "READY" and failed.finished_at is None
    assert done.status == "SUCCESSFUL"  # a finished task is never run twice
    run_again(client, failed)
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.parametrize("group", [PENDAMPING, MITRA])
def test_other_groups_neither_see_the_queue_nor_run_tasks(group):
    failed = backoffice.task_result("FAILED")
    client = signed_in(group)
    assert client.get(CHANGELIST).status_code == 403
    assert run_again(client, failed).status_code == 403
    failed.refresh_from_db()
    assert failed.status == "FAILED"


def test_the_action_needs_the_change_permission_not_only_view():
    from django.contrib.auth.models import Permission

    viewer = backoffice.staff()
    viewer.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    client = Client()
    client.force_login(viewer)
    assert client.get(CHANGELIST).status_code == 200
    assert 'value="run_again"' not in client.get(CHANGELIST).content.decode()
