"""Each message is delivered at most once under its idempotency key."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from catalogue.background.delivery import deliver_once, delivered
from tests.conftest import on_postgres

pytestmark = pytest.mark.django_db


def test_a_message_is_sent_once_under_its_key():
    sent = []
    assert deliver_once("order:1:buyer", lambda: sent.append(1)) is True
    assert deliver_once("order:1:buyer", lambda: sent.append(1)) is False
    assert sent == [1]


def test_a_failed_send_records_nothing_and_the_next_try_sends():
    def down():
        raise ConnectionRefusedError("mail server down")

    with pytest.raises(ConnectionRefusedError):
        deliver_once("order:2:buyer", down)
    assert not delivered("order:2:buyer")
    sent = []
    assert deliver_once("order:2:buyer", lambda: sent.append(1)) is True
    assert sent == [1]


@pytest.mark.skipif(not on_postgres(), reason="two workers at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_message_at_once_send_it_once():
    sent = []
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        deliver_once("order:3:inbox", lambda: (time.sleep(0.3), sent.append(1)))
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sent == [1]
