"""The officers' "hari ini" panel on the admin's home: what needs a nudge today.

Three short lists, each shown only to those who may open what it lists: order parts waiting on their
producer for more than a day, permits and certificates expiring within 90 days, and stages past
their target date. A few queries in all, whatever the size of the programme.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from catalogue.models import Certificate, OrderPart, Stage

WAITING_HOURS = 24
EXPIRY_DAYS = 90
ROWS = 8


@dataclass
class Panel:
    """One list: up to ROWS rows, how many there are in all, and whether the user may see it."""

    visible: bool = False
    rows: list = field(default_factory=list)
    count: int = 0


@dataclass
class Today:
    waiting_parts: Panel
    expiring_certificates: Panel
    overdue_stages: Panel

    @property
    def anything(self) -> bool:
        return any(
            panel.count for panel in (self.waiting_parts, self.expiring_certificates, self.overdue_stages)
        )


def _panel(user, permission: str, queryset) -> Panel:
    if not user.has_perm(permission):
        return Panel()
    rows = list(queryset[: ROWS + 1])
    count = len(rows) if len(rows) <= ROWS else queryset.count()
    return Panel(visible=True, rows=rows[:ROWS], count=count)


def waiting_parts(now: datetime.datetime):
    return (
        OrderPart.objects.waiting_on_producer(since=now - datetime.timedelta(hours=WAITING_HOURS))
        .select_related("order", "producer")
        .order_by("status_changed_at", "pk")
    )


def overdue_stages(today: datetime.date):
    return (
        Stage.objects.open()
        .filter(target_date__lt=today)
        .select_related("product", "officer")
        .order_by("target_date", "pk")
    )


def for_user(user, *, now: datetime.datetime | None = None) -> Today:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return Today(
        waiting_parts=_panel(user, "catalogue.view_orderpart", waiting_parts(now)),
        expiring_certificates=_panel(
            user,
            "catalogue.view_certificate",
            Certificate.objects.expiring_within(EXPIRY_DAYS, today)
            .select_related("product")
            .order_by("expires_on", "pk"),
        ),
        overdue_stages=_panel(user, "catalogue.view_stage", overdue_stages(today)),
    )
