"""Notifications to producers: console by default, WhatsApp Cloud API template messages when
configured (tested against a local stub server: no request leaves the machine), each sent once."""

from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from catalogue.models import SentMessage
from catalogue.orders import notifications
from tests import factories
from tests.catalogue.background.conftest import database_queue, drain  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PHONE_ID = "109876543210"
TOKEN = "EAAG-uji-token"


class StubWhatsApp(BaseHTTPRequestHandler):
    """Answers like graph.facebook.com/<version>/<phone id>/messages; `status` sets the answer."""

    received: list[dict] = []
    status = 200

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append(
            {"path": self.path, "authorization": self.headers["Authorization"], "body": body}
        )
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        answer = {"messages": [{"id": "wamid.UJI123"}]} if self.status == 200 else {"error": {"code": 1}}
        self.wfile.write(json.dumps(answer).encode())

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def stub_server():
    server = None
    for port in range(8130, 8140):  # this helper's loopback ports
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), StubWhatsApp)
            break
        except OSError:
            continue
    assert server is not None, "no free port in 8130-8139"
    StubWhatsApp.received, StubWhatsApp.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v21.0"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def whatsapp(settings):
    with stub_server() as url:
        settings.WHATSAPP_TOKEN, settings.WHATSAPP_PHONE_ID, settings.WHATSAPP_API_URL = TOKEN, PHONE_ID, url
        yield StubWhatsApp


@pytest.fixture
def producer():
    return factories.producer("Kelompok Tenun Ina Ndao", whatsapp="+6281234567890")


@pytest.fixture
def notify_new_part(django_capture_on_commit_callbacks):
    """notify() inside a transaction that commits (the on-commit callbacks run, as after a commit)."""

    def notify(producer, key: str = "part:1:new") -> bool:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return notifications.notify(
                producer=producer,
                template="pesanan_baru",
                params=[
                    "Kelompok Tenun Ina Ndao",
                    "OVOP-2612-0001",
                    "Tenun Ikat 1 lembar",
                    "https://x/produsen/",
                ],
                key=key,
            )

    return notify


def test_by_default_the_notification_is_written_to_the_console_once(producer, capsys, notify_new_part):
    assert notify_new_part(producer) is True
    assert notify_new_part(producer) is True  # the same key again: queued, but sent once
    out = capsys.readouterr().out
    assert out.count("[WhatsApp ke +6281234567890] Pesanan baru OVOP-2612-0001") == 1
    assert SentMessage.objects.filter(key="part:1:new", channel="whatsapp").exists()


def test_a_producer_without_a_whatsapp_number_is_skipped(capsys, notify_new_part):
    assert notify_new_part(factories.producer(whatsapp="")) is False
    assert capsys.readouterr().out == ""


def test_an_unknown_template_is_a_programming_error(producer):
    with pytest.raises(ValueError, match="TEMPLATES"):
        notifications.notify(producer=producer, template="tidak_ada", key="x")


def test_with_whatsapp_configured_a_template_message_goes_to_the_cloud_api(
    producer, whatsapp, notify_new_part
):
    notify_new_part(producer)
    notify_new_part(producer)
    assert len(whatsapp.received) == 1
    request = whatsapp.received[0]
    assert request["path"] == f"/v21.0/{PHONE_ID}/messages"
    assert request["authorization"] == f"Bearer {TOKEN}"
    body = request["body"]
    assert body["messaging_product"] == "whatsapp" and body["type"] == "template"
    assert body["to"] == "6281234567890"
    assert body["template"]["name"] == "pesanan_baru"
    assert body["template"]["language"] == {"code": "id"}
    texts = [p["text"] for p in body["template"]["components"][0]["parameters"]]
    assert texts[1] == "OVOP-2612-0001"


@pytest.mark.usefixtures("database_queue")
def test_a_whatsapp_outage_is_retried_later_by_the_queue(producer, whatsapp, notify_new_part):
    whatsapp.status = 503
    notify_new_part(producer)
    drain()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert not SentMessage.objects.exists()
    whatsapp.status = 200
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=retry.enqueued_at)
    drain()
    assert SentMessage.objects.filter(key="part:1:new").exists()
    assert [r["body"]["to"] for r in whatsapp.received] == ["6281234567890", "6281234567890"]


@pytest.mark.usefixtures("database_queue")
def test_a_refused_message_is_not_retried_and_shows_as_failed(producer, whatsapp, notify_new_part):
    whatsapp.status = 400
    notify_new_part(producer)
    drain()
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert failed.exception_class_path == "catalogue.orders.notifications.NotificationRejected"
