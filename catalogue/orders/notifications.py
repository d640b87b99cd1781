"""Notifications to producers' WhatsApp, behind one small interface.

    notify(producer=producer, template="pesanan_baru", params=[...], key="part:12:new")

queues the notification when the caller's transaction commits; a worker sends it once per ``key``
(catalogue/background/delivery.py; the task is ``send_notification`` below), retrying while
the service is unreachable. The backend:

- ``ConsoleBackend`` (default): writes the message to the console (stdout), like the console mail
  backend; the shop never needs anything else to run.
- ``WhatsAppCloudBackend``: the WhatsApp Business Cloud API's template messages, switched on by
  ``WHATSAPP_TOKEN`` and ``WHATSAPP_PHONE_ID`` (``WHATSAPP_API_URL`` points elsewhere for tests).
  Each name in :data:`TEMPLATES` must exist, approved, in the WhatsApp Business account, with the
  same number of body parameters ({{1}}, {{2}}, …) in that order.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.tasks import task

from catalogue.background.delivery import deliver_once
from catalogue.background.retry import enqueue_on_commit, retry_later
from catalogue.models import Producer

logger = logging.getLogger(__name__)

#: Template name -> the Indonesian text the console shows (WhatsApp renders its own approved copy).
TEMPLATES = {
    "pesanan_baru": "Pesanan baru {1} untuk {0}: {2}. Lihat dan konfirmasi di {3}",
    "pengingat_pesanan": "Halo {0}, {1} pesanan menunggu Anda lebih dari 24 jam. Buka {2}",
}


class NotificationUnavailable(OSError):
    """The service did not answer or asked to try later: retried like a mail outage."""


class NotificationRejected(Exception):
    """The service refused this message (bad number, unknown template, wrong token): not retried."""


@dataclass(frozen=True)
class Notification:
    to: str  # international digits, no "+": 6281234567890
    template: str
    params: tuple[str, ...] = ()
    language: str = "id"

    def text(self) -> str:
        return TEMPLATES[self.template].format(*self.params)


class ConsoleBackend:
    def send(self, notification: Notification) -> str:
        sys.stdout.write(f"[WhatsApp ke +{notification.to}] {notification.text()}\n")
        sys.stdout.flush()
        return "console"


class WhatsAppCloudBackend:
    def __init__(self, *, token: str, phone_id: str, api_url: str, timeout: float = 10) -> None:
        self.token, self.phone_id, self.api_url, self.timeout = token, phone_id, api_url.rstrip("/"), timeout

    def payload(self, notification: Notification) -> dict:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": notification.to,
            "type": "template",
            "template": {
                "name": notification.template,
                "language": {"code": notification.language},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": p} for p in notification.params]}
                ],
            },
        }

    def send(self, notification: Notification) -> str:
        """Send; return WhatsApp's message id."""
        request = urllib.request.Request(  # noqa: S310 - https (or the test stub), from settings
            f"{self.api_url}/{self.phone_id}/messages",
            data=json.dumps(self.payload(notification)).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.load(response)
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode(errors="replace")
            if error.code == 429 or error.code >= 500:
                raise NotificationUnavailable(f"WhatsApp answered {error.code}: {detail}") from error
            raise NotificationRejected(f"WhatsApp refused the message ({error.code}): {detail}") from error
        except (urllib.error.URLError, TimeoutError) as error:
            raise NotificationUnavailable(f"WhatsApp is unreachable: {error}") from error
        return answer["messages"][0]["id"]


def backend() -> ConsoleBackend | WhatsAppCloudBackend:
    if settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_ID:
        return WhatsAppCloudBackend(
            token=settings.WHATSAPP_TOKEN,
            phone_id=settings.WHATSAPP_PHONE_ID,
            api_url=settings.WHATSAPP_API_URL,
        )
    return ConsoleBackend()


def notify(*, producer: Producer, template: str, params: Sequence[object] = (), key: str) -> bool:
    """Queue ``template`` with ``params`` to the producer's WhatsApp, sent once per ``key`` after the
    caller's transaction commits. False (nothing queued) when the producer has no WhatsApp number."""
    if template not in TEMPLATES:
        raise ValueError(f"Unknown notification template {template!r}; add it to TEMPLATES.")
    if not producer.whatsapp:
        return False
    enqueue_on_commit(send_notification, producer.pk, template, [str(p) for p in params], key)
    return True


def deliver(*, producer_id: int, template: str, params: Sequence[str], key: str) -> bool:
    producer = Producer.objects.filter(pk=producer_id).first()
    if producer is None or not producer.whatsapp:
        return False
    message = Notification(to=producer.whatsapp.lstrip("+"), template=template, params=tuple(params))
    return deliver_once(key, lambda: backend().send(message), channel="whatsapp")


@task
def send_notification(producer_id: int, template: str, params: list[str], key: str, attempt: int = 1):
    """One WhatsApp (or console) notification to a producer, once per key; retried while the service
    is unreachable. A task of this module, not of catalogue/tasks.py, so that nothing imports back."""
    try:
        return deliver(producer_id=producer_id, template=template, params=params, key=key)
    except NotificationUnavailable as error:
        return retry_later(
            send_notification, producer_id, template, params, key, attempt=attempt, error=error
        )
