"""Order emails go out from the queue, after the order commits; a mail outage delays them, loses
none, and sends none twice (README "Background work")."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django_tasks_db.models import DBTaskResult

from catalogue.admin.tasks import run_again
from catalogue.models import SentMessage
from tests import factories
from tests.catalogue._shop import buy
from tests.catalogue.background.conftest import database_queue, drain  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


def mail_down(**kwargs):
    return mock.patch.object(
        EmailBackend, "send_messages", side_effect=ConnectionRefusedError("mail server down"), **kwargs
    )


def make_due() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=DBTaskResult.objects.first().enqueued_at)


@pytest.fixture
def order(client):
    kopi = factories.product("Kopi Bajawa", price=60000, stock=5)
    return buy(client, kopi, email="ina@example.com")


def test_no_email_is_sent_inside_the_checkout_request(order, mailoutbox):
    assert mailoutbox == []
    queued = DBTaskResult.objects.filter(status="READY")
    assert set(queued.values_list("task_path", flat=True)) == {
        "catalogue.tasks.send_order_emails",
        "catalogue.tasks.notify_producers",  # the new part's notice to its producer
    }
    assert queued.get(task_path="catalogue.tasks.send_order_emails").args_kwargs["args"] == [order.pk]
    drain()
    assert sorted(message.to[0] for message in mailoutbox) == ["ina@example.com", "pesanan@beliprodukntt.id"]


def test_a_mail_outage_delays_the_order_emails_and_loses_none(order, mailoutbox):
    with mail_down():
        drain()
        make_due()
        drain()
    assert mailoutbox == []
    assert DBTaskResult.objects.filter(status="READY").get().args_kwargs["kwargs"] == {"attempt": 3}
    make_due()
    drain()  # the mail server is back
    assert sorted(message.to[0] for message in mailoutbox) == ["ina@example.com", "pesanan@beliprodukntt.id"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_when_only_one_email_fails_the_retry_sends_only_that_one(order, mailoutbox):
    real_send = EmailBackend.send_messages

    def inbox_down(self, messages):
        if messages[0].to == ["pesanan@beliprodukntt.id"]:
            raise ConnectionRefusedError("inbox server down")
        return real_send(self, messages)

    with mock.patch.object(EmailBackend, "send_messages", inbox_down):
        drain()
    assert [message.to for message in mailoutbox] == [["ina@example.com"]]
    make_due()
    drain()
    assert [message.to for message in mailoutbox] == [["ina@example.com"], ["pesanan@beliprodukntt.id"]]
    assert set(SentMessage.objects.filter(key__startswith="order:").values_list("key", flat=True)) == {
        f"order:{order.pk}:buyer",
        f"order:{order.pk}:inbox",
    }


def test_running_the_task_again_sends_nothing_twice(order, mailoutbox):
    drain()
    DBTaskResult.objects.update(status="FAILED")  # an officer presses "run again" on it by mistake
    run_again(DBTaskResult.objects.all())
    drain()
    assert len(mailoutbox) == 2


def test_a_mail_outage_delays_the_producers_new_part_email_and_sends_it_once(client, mailoutbox):
    weaver = factories.producer(email="tenun@example.id")
    order = buy(client, factories.product("Tenun Ikat", producer_=weaver), email="ina@example.com")
    with mail_down():
        drain()
    assert mailoutbox == []
    retry = DBTaskResult.objects.get(status="READY", task_path="catalogue.tasks.notify_producers")
    assert retry.args_kwargs == {"args": [order.pk], "kwargs": {"attempt": 2}}
    make_due()
    drain()  # the mail server is back
    to_producer = [message for message in mailoutbox if message.to == ["tenun@example.id"]]
    assert len(to_producer) == 1 and order.number in to_producer[0].subject
    producer_tasks = DBTaskResult.objects.filter(task_path="catalogue.tasks.notify_producers")
    producer_tasks.update(status="FAILED")  # an officer presses "run again" on them by mistake
    run_again(producer_tasks)
    drain()
    assert [message.to for message in mailoutbox].count(["tenun@example.id"]) == 1  # never twice
