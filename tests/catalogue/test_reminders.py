"""Daily reminders: certificates near expiry to the officers, waiting parts to their producers."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue import reminders
from catalogue.models import OrderPart, PartStatus
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def officers():
    for group, email in [(ADMIN_PMD, "admin@pmd.example"), (PENDAMPING, "pendamping@pmd.example")]:
        user = backoffice.staff(group)
        user.email = email
        user.save()
    partner = backoffice.staff(MITRA)
    partner.email = "mitra@bpom.example"
    partner.save()


def halal_expiring_in(days: int, name: str = "Kopi Bajawa", number: str = "ID53110000123450224"):
    return backoffice.certificate(
        factories.product(name),
        "halal",
        number,
        issued_on=TODAY - timedelta(days=700),
        expires_on=TODAY + timedelta(days=days),
    )


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(120, None), (91, None), (90, 90), (45, 90), (30, 30), (8, 30), (7, 7), (0, 7)],
)
def test_the_nearest_threshold_reached(days_left, expected):
    assert reminders.threshold(days_left) == expected


def test_officers_hear_of_a_certificate_at_90_30_and_7_days_once_each(officers, mailoutbox):
    certificate = halal_expiring_in(90)
    halal_expiring_in(200, "Tenun Sumba", "ID53110000999990224")  # not yet
    assert reminders.remind_certificates(today=TODAY) == 1
    assert reminders.remind_certificates(today=TODAY) == 0  # the job ran twice: nothing repeated
    assert reminders.remind_certificates(today=TODAY + timedelta(days=1)) == 0  # 89 days: still "90"
    assert reminders.remind_certificates(today=TODAY + timedelta(days=60)) == 1  # 30 days
    # The day of the 7-day reminder was missed (no worker ran): it goes out the day after.
    assert reminders.remind_certificates(today=TODAY + timedelta(days=84)) == 1
    assert len(mailoutbox) == 3
    first = mailoutbox[0]
    assert sorted(first.to) == ["admin@pmd.example", "pendamping@pmd.example"]  # not the partner
    assert "Kopi Bajawa" in first.subject and "90 hari" in first.subject
    assert certificate.number in first.body and f"/certificate/{certificate.pk}/change/" in first.body


def test_a_renewed_certificate_is_reminded_again_for_its_new_date(officers, mailoutbox):
    certificate = halal_expiring_in(7)
    reminders.remind_certificates(today=TODAY)
    certificate.expires_on = TODAY + timedelta(days=30)
    certificate.save()
    assert reminders.remind_certificates(today=TODAY) == 1


def test_without_officers_with_an_email_nothing_is_sent(mailoutbox):
    halal_expiring_in(7)
    assert reminders.remind_certificates(today=TODAY) == 0
    assert mailoutbox == []


def test_parts_waiting_more_than_24_hours_on_their_producer_are_found():
    product = factories.product("Kopi Bajawa")
    now = timezone.now()
    waiting = backoffice.order([(product, 1)], status=PartStatus.AWAITING_PAYMENT).parts.get()
    fresh = backoffice.order([(product, 1)], status=PartStatus.PAID).parts.get()
    shipped = backoffice.order([(product, 1)], status=PartStatus.SHIPPED).parts.get()
    OrderPart.objects.filter(pk__in=[waiting.pk, shipped.pk]).update(
        status_changed_at=now - timedelta(hours=25)
    )
    assert list(reminders.waiting_parts(now=now)) == [waiting]
    assert fresh not in reminders.waiting_parts(now=now)


def test_each_waiting_producer_gets_one_whatsapp_reminder_a_day(capsys, django_capture_on_commit_callbacks):
    product = factories.product(
        "Kopi Bajawa", producer_=factories.producer("Kopi Ngada", whatsapp="+6281200001111")
    )
    now = timezone.now()
    part = backoffice.order([(product, 1)], status=PartStatus.PAID).parts.get()
    OrderPart.objects.filter(pk=part.pk).update(status_changed_at=now - timedelta(hours=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_producers(now=now) == 1
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_producers(now=now)  # the job ran twice today
    out = capsys.readouterr().out
    assert out.count("[WhatsApp ke +6281200001111] Halo Kopi Ngada, 1 pesanan menunggu Anda") == 1
