"""A task that fails a given number of times with a mail-server-like error, for the retry tests."""

from __future__ import annotations

from django.tasks import task

from catalogue.background.delivery import deliver_once
from catalogue.background.retry import retry_later

state = {"failures_left": 0, "calls": 0, "delivered": 0}


def _send() -> None:
    state["calls"] += 1
    if state["failures_left"] > 0:
        state["failures_left"] -= 1
        raise ConnectionRefusedError("mail server down")
    state["delivered"] += 1


@task
def send_flaky(key: str, attempt: int = 1) -> int | dict:
    try:
        return int(deliver_once(key, _send))
    except OSError as error:
        return retry_later(send_flaky, key, attempt=attempt, error=error)
