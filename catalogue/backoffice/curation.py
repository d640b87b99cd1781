"""Reminders before a "Bintang OVOP NTT" curation expires, for the officers who renew it.

`remind_expiring()` is what the scheduler calls once a day (or `manage.py remind_curations`): it mails
the PMD officers (Admin PMD and Pendamping PMD with an email address) one message listing the
curations that expire in 90, 30 or 7 days or today, and marks them reminded so a second run the
same day sends nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Curation
from ovop import formats

REMIND_DAYS_BEFORE = (90, 30, 7, 0)
OFFICER_GROUPS = ("Admin PMD", "Pendamping PMD")


def officer_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, is_staff=True, groups__name__in=OFFICER_GROUPS)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def due_for_reminder(today: datetime.date):
    days = [today + datetime.timedelta(days=n) for n in REMIND_DAYS_BEFORE]
    return (
        Curation.objects.filter(valid_until__in=days)
        .exclude(reminded_on=today)
        .select_related("product__producer")
        .order_by("valid_until", "product__name")
    )


def remind_expiring(*, today: datetime.date | None = None) -> int:
    """Mail the officers about curations expiring soon; returns how many curations were listed."""
    today = today or timezone.localdate()
    recipients = officer_emails()
    with transaction.atomic():
        due = list(due_for_reminder(today).select_for_update(of=("self",)))
        if not due or not recipients:
            return 0
        lines = [
            _("- %(product)s (%(producer)s): %(stars)s, berlaku sampai %(until)s")
            % {
                "product": curation.product.name,
                "producer": curation.product.producer.name,
                "stars": curation.star_text,
                "until": formats.day(curation.valid_until),
            }
            for curation in due
        ]
        body = "\n".join(
            [
                _("Kurasi Bintang OVOP NTT berikut segera habis masa berlakunya; jadwalkan penilaian ulang:"),
                "",
                *lines,
            ]
        )
        send_mail(
            _("Pengingat: %(count)d kurasi Bintang OVOP segera habis") % {"count": len(due)},
            body,
            None,
            recipients,
        )
        Curation.objects.filter(pk__in=[curation.pk for curation in due]).update(reminded_on=today)
    return len(due)
