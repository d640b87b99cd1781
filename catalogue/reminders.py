"""Daily reminders: certificates about to expire (to the officers) and parts waiting on a producer.

Each reminder is delivered once under its own key (catalogue/background/delivery.py), so a job that
runs twice, or again after a failure, repeats nothing, and a day missed is caught up the next day.
"""

from __future__ import annotations

import datetime
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from catalogue.background.delivery import deliver_once
from catalogue.models import Certificate, OrderPart, Producer
from catalogue.orders.notifications import notify

logger = logging.getLogger(__name__)

#: Days before expiry at which officers hear about a certificate, from the first to the last.
CERTIFICATE_THRESHOLDS = (90, 30, 7)
#: The groups whose members are told (with an email address).
OFFICER_GROUPS = ("Admin PMD", "Pendamping PMD")
#: A part in one of these states waits on its producer (to confirm, to ship, to hand over).
WAITING_ON_PRODUCER = ("menunggu_pembayaran", "menunggu_konfirmasi", "dibayar")
WAITING_HOURS = 24


def officer_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name__in=OFFICER_GROUPS)
    return sorted({email for email in users.values_list("email", flat=True) if email})


def threshold(days_left: int) -> int | None:
    """The nearest reminder threshold already reached: 95 days -> None, 60 -> 90, 10 -> 30, 3 -> 7."""
    reached = [days for days in CERTIFICATE_THRESHOLDS if days_left <= days]
    return min(reached) if reached else None


def _mail(template: str, subject: str, context: dict, to: list[str]) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def remind_certificates(*, today: datetime.date | None = None) -> int:
    """Tell the officers of each certificate that reached 90, 30 or 7 days before expiry; return how
    many reminders went out now."""
    today = today or timezone.localdate()
    recipients = officer_emails()
    if not recipients:
        logger.warning("No officer with an email address: certificate reminders are not sent.")
        return 0
    due = (
        Certificate.objects.expiring_within(max(CERTIFICATE_THRESHOLDS), today=today)
        .select_related("product__producer")
        .order_by("expires_on", "pk")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for certificate in due:
            days_left = (certificate.expires_on - today).days
            step = threshold(days_left)
            context = {"certificate": certificate, "days_left": days_left, "site_url": settings.SITE_URL}
            subject = translation.gettext("Sertifikat %(kind)s %(product)s berakhir dalam %(days)d hari") % {
                "kind": certificate.get_kind_display(),
                "product": certificate.product.name,
                "days": days_left,
            }
            message = _mail("emails/certificate_expiry.txt", subject, context, recipients)
            key = f"certificate:{certificate.pk}:{certificate.expires_on.isoformat()}:{step}"
            sent += deliver_once(key, message.send)
    return sent


def waiting_parts(*, now: datetime.datetime | None = None):
    cutoff = (now or timezone.now()) - timedelta(hours=WAITING_HOURS)
    return OrderPart.objects.filter(status__in=WAITING_ON_PRODUCER, status_changed_at__lte=cutoff)


def remind_producers(*, now: datetime.datetime | None = None) -> int:
    """Once a day, tell each producer whose parts have waited more than 24 hours; return how many
    producers were told now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    parts = waiting_parts(now=now).select_related("order").order_by("status_changed_at")
    by_producer: dict[int, list[OrderPart]] = {}
    for part in parts:
        by_producer.setdefault(part.producer_id, []).append(part)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for producer in Producer.objects.filter(pk__in=by_producer).order_by("pk"):
            told += _remind_producer(producer, by_producer[producer.pk], today)
    return told


def _remind_producer(producer: Producer, parts: list[OrderPart], today: datetime.date) -> bool:
    portal = f"{settings.SITE_URL}/produsen/"
    notified = notify(
        producer=producer,
        template="pengingat_pesanan",
        params=[producer.name, len(parts), portal],
        key=f"producer-reminder-whatsapp:{producer.pk}:{today.isoformat()}",
    )
    # Producer.email arrives with the producer portal (issue 12); until then WhatsApp only.
    email = getattr(producer, "email", "")
    if not email:
        return notified
    context = {"producer": producer, "parts": parts, "hours": WAITING_HOURS, "site_url": settings.SITE_URL}
    subject = translation.gettext("%(count)d pesanan menunggu Anda · Beli Produk NTT") % {"count": len(parts)}
    message = _mail("emails/producer_reminder.txt", subject, context, [email])
    return deliver_once(f"producer-reminder:{producer.pk}:{today.isoformat()}", message.send) or notified
