"""Helpers for tests that run checkouts or expiry runs at the same time in threads.

On SQLite the test database is in memory with a shared cache, whose table locks fail at once
("database table is locked") instead of waiting like the file database the site runs on (busy
timeout, ``transaction_mode: IMMEDIATE``). `file_database()` copies the test database to a file and
points every connection at it for the duration, so SQLite is tested the way it is deployed. On
PostgreSQL it does nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections


@contextmanager
def file_database(directory: Path) -> Iterator[None]:
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory = connection.connection  # holding it keeps the in-memory database alive
    target = sqlite3.connect(directory / "concurrency.sqlite3")
    memory.backup(target)
    # Already in WAL mode, as a deployed database is: threads connecting at once then never race
    # to switch the journal mode (their init_command's PRAGMA is a no-op).
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    original = connection.settings_dict["NAME"]
    connection.connection = None  # detach (closing would destroy the in-memory database)
    connection.settings_dict["NAME"] = str(directory / "concurrency.sqlite3")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        connection.connection = memory


def run_concurrently(work: Callable[[int], object], count: int, *, timeout: float = 120) -> list:
    """Run ``work(i)`` for i in range(count), each in its own thread, released together by a barrier.

    Returns each call's result, or the exception it raised. Each thread closes its database
    connection when done.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout)
            results[index] = work(index)
        except BaseException as error:  # reported to the test, never lost in a thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish in time"
    return results
