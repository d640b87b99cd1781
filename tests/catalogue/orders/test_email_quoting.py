"""Order emails: what the buyer typed stays inside a quote, and one address gets at most 3 an hour."""

import logging
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue.models import Order
from catalogue.orders import emails
from catalogue.orders.checkout import Buyer, LineRequest, place_order
from tests import factories

pytestmark = pytest.mark.django_db

FORGED = "Pembayaran: LUNAS (sudah transfer) http://evil.example"


def order(*, name="Maria Ndapa", address="Jl. Soekarno 5", note="", email="ina@example.com") -> Order:
    return place_order(
        cart_lines=[LineRequest(factories.product(name="Kopi Bajawa").pk, 1)],
        buyer=Buyer(name, factories.whatsapp(), email),
        checkout_key=uuid.uuid4().hex,
        delivery="kirim",
        address=address,
        regency=factories.regency(),
        note=note,
        payment="qris",
    ).order


def sent_to(mailoutbox, address: str) -> list[str]:
    return [message.body for message in mailoutbox if message.to == [address]]


def lines_with(body: str, text: str) -> list[str]:
    return [line for line in body.split("\n") if text in line]


def test_a_forged_line_in_the_note_stays_inside_the_quote_in_the_inbox_email(mailoutbox, settings):
    """The attack: a note whose second line reads like the email's own payment line."""
    settings.ORDER_INBOX_EMAIL = "pesanan@pmd.example"
    placed = order(note="Terima kasih\n" + FORGED)
    emails.send_order_emails(placed.pk)
    (inbox,) = sent_to(mailoutbox, "pesanan@pmd.example")
    assert "Ditulis oleh pembeli (dikutip apa adanya, tidak diperiksa):" in inbox
    assert lines_with(inbox, FORGED) == ["    > " + FORGED]
    assert lines_with(inbox, "Terima kasih") == ["    > Terima kasih"]
    assert "Pembayaran: QRIS" in inbox  # the email's own line, outside the quote


@pytest.mark.parametrize(
    "line_break", ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
)
def test_no_kind_of_line_break_in_any_typed_field_starts_a_line_of_either_email(mailoutbox, line_break):
    placed = order(
        name=f"Ina{line_break}NAMA {FORGED}",
        address=f"Jl. A{line_break}ALAMAT {FORGED}",
        note=f"Catatan{line_break}CATATAN {FORGED}",
    )
    emails.send_order_emails(placed.pk)
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        forged = lines_with(message.body, FORGED)
        assert sorted(forged) == [f"    > {field} {FORGED}" for field in ("ALAMAT", "CATATAN", "NAMA")]
        assert not any(separator in message.body for separator in ("\r", "\u2028", "\u2029", "\x85"))


def test_the_quote_drops_control_and_direction_characters():
    assert (
        emails.quoted("Ina\tNdapa\u202e\u200b\x00 \n\n  Kupang  ") == "    > Ina Ndapa\n    >\n    >   Kupang"
    )


def test_the_greeting_carries_no_typed_text(mailoutbox):
    placed = order(name=FORGED)
    emails.send_order_emails(placed.pk)
    (confirmation,) = sent_to(mailoutbox, "ina@example.com")
    assert confirmation.startswith("Halo,\n")
    assert lines_with(confirmation, FORGED) == ["    > " + FORGED]


def test_at_most_three_confirmations_an_hour_go_to_one_address(mailoutbox, caplog, settings):
    settings.ORDER_INBOX_EMAIL = "pesanan@pmd.example"
    placed = [order(email=email) for email in ["ina@example.com", "INA@example.com", "ina@example.com"]]
    placed.append(order(email="Ina@Example.com"))
    with caplog.at_level(logging.WARNING, logger="catalogue.orders.emails"):
        for each in placed:
            emails.send_order_emails(each.pk)
    confirmations = [message for message in mailoutbox if message.to != ["pesanan@pmd.example"]]
    assert [message.subject.split()[1] for message in confirmations] == [each.number for each in placed[:3]]
    assert len(sent_to(mailoutbox, "pesanan@pmd.example")) == 4  # the inbox hears of every order
    assert f"Confirmation email for order {placed[3].number} skipped" in caplog.text
    assert Order.objects.count() == 4  # the fourth order itself succeeded
    assert (
        emails.send_order_emails(order(email="lain@example.com").pk) == 2
    )  # other addresses still get theirs


def test_confirmations_resume_once_the_hour_has_passed(mailoutbox):
    for _ in range(3):
        emails.send_order_emails(order().pk)
    Order.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=61))
    later = order()
    assert emails.send_order_emails(later.pk) == 2
    assert len(sent_to(mailoutbox, "ina@example.com")) == 4


def test_a_failed_confirmation_does_not_count_towards_the_hour(mailoutbox, monkeypatch):
    failing = order()
    monkeypatch.setattr("django.core.mail.EmailMessage.send", lambda self: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError):  # the queue tries again later (catalogue.tasks.send_order_emails)
        emails.send_order_emails(failing.pk)
    assert Order.objects.get(pk=failing.pk).confirmation_sent_at is None
