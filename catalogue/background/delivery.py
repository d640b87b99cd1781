"""Deliver each message at most once, whatever retries, re-runs and racing workers do."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from catalogue.models import SentMessage


def deliver_once(key: str, send: Callable[[], object], *, channel: str = "email") -> bool:
    """Call ``send()`` unless a message was already delivered under ``key``; True when this call did.

    The key's row is inserted in the same transaction as the send: when ``send`` raises (mail server
    down), the row goes with the rollback and the next try sends. A second worker with the same key
    waits on the first one's uncommitted row, then finds it delivered and sends nothing.
    """
    with transaction.atomic():
        _, created = SentMessage.objects.get_or_create(key=key, defaults={"channel": channel})
        if not created:
            return False
        send()
    return True


def delivered(key: str) -> bool:
    return SentMessage.objects.filter(key=key).exists()
