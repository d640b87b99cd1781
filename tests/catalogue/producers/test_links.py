"""Sign-in links: the command, the sign-in form, and the one-time link itself."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import ProducerLoginLink, ProducerMember
from catalogue.models.producers import hash_token
from catalogue.producers import links
from tests import factories

pytestmark = pytest.mark.django_db

SIGNIN = "/produsen/masuk/"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_command_prints_an_absolute_one_time_url_as_its_last_line(settings):
    settings.SITE_URL = "https://beliprodukntt.id"
    producer = factories.producer()
    out = StringIO()
    call_command("producer_link", producer.slug, stdout=out)
    url = out.getvalue().strip().splitlines()[-1]
    assert url.startswith("https://beliprodukntt.id/produsen/masuk/")
    link = ProducerLoginLink.objects.get()
    assert link.token_hash == hash_token(token_of(url))  # stored hashed, never the token itself
    assert token_of(url) not in link.token_hash


def test_the_command_sends_the_link_by_email_with_send():
    producer = factories.producer(email="umkm@example.id")
    out = StringIO()
    call_command("producer_link", producer.slug, "--send", stdout=out)
    url = out.getvalue().strip().splitlines()[-1]
    assert mail.outbox[0].to == ["umkm@example.id"]
    assert url in mail.outbox[0].body


def test_the_command_refuses_an_unknown_slug():
    with pytest.raises(CommandError):
        call_command("producer_link", "tidak-ada", stdout=StringIO())


def test_a_link_signs_the_phone_in_for_30_days_as_a_producer_user_without_password_or_staff():
    producer = factories.producer()
    client = Client()
    response = client.get(token_path := links.issue(producer).removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 302
    assert response["Location"] == "/produsen/"
    member = ProducerMember.objects.get(producer=producer)
    assert client.session[SESSION_KEY] == str(member.user.pk)
    assert not member.user.is_staff and not member.user.is_superuser
    assert not member.user.has_usable_password()
    assert 29 * 86400 < client.session.get_expiry_age() <= 30 * 86400
    assert client.get("/produsen/").status_code == 200
    assert client.get("/admin/").status_code == 302  # the admin sends a producer to its login

    again = Client().get(token_path)
    assert again.status_code == 410
    assert "sudah tidak berlaku" in again.content.decode()
    assert 'name="kontak"' in again.content.decode()  # offers a new link


def test_an_expired_link_is_refused(settings):
    settings.PRODUCER_LINK_MINUTES = 30
    producer = factories.producer()
    url = links.issue(producer, now=timezone.now() - timedelta(minutes=31))
    assert Client().get(url.removeprefix(settings.SITE_URL)).status_code == 410
    assert not ProducerMember.objects.exists()


def test_an_unknown_token_is_refused():
    assert Client().get("/produsen/masuk/bukan-token/").status_code == 410


def test_several_phones_of_one_producer_are_several_users():
    producer = factories.producer()
    first = links.member_for(producer, "+6281211110001")
    second = links.member_for(producer, "produsen@example.id")
    assert first.user != second.user
    assert links.member_for(producer, "+6281211110001") == first


def portal_section(response) -> str:
    body = response.content.decode()
    return body[body.index('<section class="portal">') : body.index("</section>")]


def test_the_signin_page_answers_the_same_whether_the_contact_matched_or_not():
    factories.producer(whatsapp="+6281277770001", email="tenun@example.id")
    known = Client().post(SIGNIN, {"kontak": "0812-7777-0001"})
    unknown = Client().post(SIGNIN, {"kontak": "0812-9999-0001"})
    assert known.status_code == unknown.status_code == 200
    assert portal_section(known) == portal_section(unknown)
    assert "pendamping" in portal_section(known)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tenun@example.id"]
    assert "/produsen/masuk/" in mail.outbox[0].body


def test_the_signin_email_link_works_once():
    producer = factories.producer(email="tenun@example.id")
    Client().post(SIGNIN, {"kontak": "TENUN@example.id"})
    path = "/produsen/masuk/" + mail.outbox[0].body.split("/produsen/masuk/")[1].split("/")[0] + "/"
    client = Client()
    assert client.get(path).status_code == 302
    assert ProducerMember.objects.get().producer == producer
    assert client.get(path).status_code == 410


def test_a_contact_that_is_neither_a_number_nor_an_email_is_refused_with_a_message():
    response = Client().post(SIGNIN, {"kontak": "halo"})
    assert response.status_code == 400
    assert "nomor WhatsApp" in response.content.decode()


def test_repeated_requests_for_one_contact_are_locked_out(settings):
    settings.PRODUCER_SIGNIN_LOCKOUT_ATTEMPTS = 3
    settings.PRODUCER_SIGNIN_RATE_LIMIT_PER_MINUTE = 100
    factories.producer(email="tenun@example.id")
    statuses = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(SIGNIN, {"kontak": "tenun@example.id"}).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert len(mail.outbox) == 3


def test_one_ip_is_locked_out_across_contacts(settings):
    settings.PRODUCER_SIGNIN_LOCKOUT_ATTEMPTS = 3
    settings.PRODUCER_SIGNIN_RATE_LIMIT_PER_MINUTE = 100
    client = Client()
    statuses = [client.post(SIGNIN, {"kontak": f"08127777{n:04d}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_signin_form_is_rate_limited_per_ip(settings):
    settings.PRODUCER_SIGNIN_RATE_LIMIT_PER_MINUTE = 2
    client = Client()
    statuses = [client.post(SIGNIN, {"kontak": f"08127777{n:04d}"}).status_code for n in range(3)]
    assert statuses[-1] == 429


def test_the_admin_action_shows_the_link_and_a_whatsapp_message(admin_client):
    producer = factories.producer(whatsapp="+6281277770002")
    response = admin_client.post(
        reverse("admin:catalogue_producer_changelist"),
        {"action": "send_login_link", "_selected_action": [producer.pk]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "/produsen/masuk/" in body
    assert "https://wa.me/6281277770002?text=Halo" in body
    assert ProducerLoginLink.objects.filter(producer=producer).count() == 1


@pytest.mark.parametrize(
    "agent", ["WhatsApp/2.23.20.0 A", "facebookexternalhit/1.1", "TelegramBot (like TwitterBot)"]
)
def test_a_chat_apps_link_preview_does_not_spend_the_link(agent):
    path = links.issue(factories.producer()).removeprefix("http://127.0.0.1:8000")
    preview = Client(HTTP_USER_AGENT=agent).get(path)
    assert preview.status_code == 200
    assert not ProducerMember.objects.exists()
    assert Client().head(path).status_code == 405  # nor does a HEAD request
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10) Chrome/120 Mobile")
    assert phone.get(path).status_code == 302
