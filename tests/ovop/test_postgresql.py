"""ovop/postgresql: Django's PostgreSQL backend, whose health check at the start of a request asks
the server (`SELECT 1`) only when the kept connection's socket has something waiting."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import end_on_the_server, on_postgres

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not on_postgres(), reason="a PostgreSQL connection's health check"),
]


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def check_as_a_request_starts() -> None:
    connection.close_if_unusable_or_obsolete()  # request_started: the check is due again
    connection.close_if_health_check_failed()  # the request's first query


def test_a_kept_connection_with_nothing_waiting_is_reused_without_asking_the_server(monkeypatch):
    pid = backend_pid()
    asked = []
    monkeypatch.setattr(connection, "is_usable", lambda: asked.append("SELECT 1") or True)
    for _ in range(3):
        check_as_a_request_starts()
    assert asked == []
    assert backend_pid() == pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_the_server_ended_is_noticed_and_replaced_before_the_request_uses_it():
    pid = backend_pid()
    end_on_the_server(pid)
    check_as_a_request_starts()
    assert connection.connection is None  # closed here, not failing the request's first query
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert backend_pid() != pid
