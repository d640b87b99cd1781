"""What /gerakan/ shows: the month's paid campaign purchases, with nobody's spending singled out.

"Paid" is the campaign's rule: a QRIS part counts once the producer or an officer confirmed the payment
(and in every later step), a cash part once it is completed. A purchase belongs to the month its order
was placed in (WITA). An agency is named only once at least `MIN_BUYERS_TO_NAME` different buyers
(WhatsApp numbers) bought for it that month; smaller ones are summed as "instansi lain".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from catalogue.models import CampaignTarget, OrderPart, PartStatus, Payment

MIN_BUYERS_TO_NAME = 3
OTHER_AGENCIES = "instansi lain"
CHART_MONTHS = 6

PAID_QRIS_STATUSES = (PartStatus.PAID, PartStatus.SHIPPED, PartStatus.READY, PartStatus.DONE)


def paid_parts() -> QuerySet[OrderPart]:
    """Order parts whose money reached the producer, by the campaign's rule."""
    qris_paid = Q(order__payment=Payment.QRIS, status__in=PAID_QRIS_STATUSES)
    cash_done = Q(order__payment=Payment.COD, status=PartStatus.DONE)
    return OrderPart.objects.filter(qris_paid | cash_done)


def is_paid(part: OrderPart) -> bool:
    """The same rule as `paid_parts`, for a part already loaded with its order."""
    if part.order.payment == Payment.QRIS:
        return part.status in PAID_QRIS_STATUSES
    return part.status == PartStatus.DONE


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(add_months(month, 1), datetime.time.min, tzinfo=zone)
    return start, end


@dataclass
class Row:
    name: str
    amount: int = 0
    count: int = 0


@dataclass
class MonthFigures:
    month: datetime.date
    total: int = 0
    count: int = 0
    target: int | None = None
    agencies: list[Row] = field(default_factory=list)
    regencies: list[Row] = field(default_factory=list)

    @property
    def percent_of_target(self) -> int | None:
        if not self.target:
            return None
        return min(100, round(self.total * 100 / self.target))


def campaign_parts(month: datetime.date) -> QuerySet[OrderPart]:
    start, end = month_bounds(month)
    return paid_parts().filter(
        order__campaign__isnull=False, order__created_at__gte=start, order__created_at__lt=end
    )


def part_amount(part: OrderPart) -> int:
    return part.subtotal + (getattr(part, "shipping", 0) or 0)


def month_figures(month: datetime.date) -> MonthFigures:
    """The figures for one month: total, count, per agency (small ones grouped) and per regency."""
    figures = MonthFigures(month=month)
    target = CampaignTarget.objects.filter(month=month).first()
    figures.target = target.amount if target else None
    per_agency: dict[str, Row] = {}
    buyers: dict[str, set[str]] = defaultdict(set)
    per_regency: dict[str, Row] = {}
    parts = campaign_parts(month).select_related(
        "order__campaign__agency", "producer__village__district__regency"
    )
    for part in parts:
        amount = part_amount(part)
        figures.total += amount
        figures.count += 1
        agency = part.order.campaign.agency.name
        row = per_agency.setdefault(agency, Row(agency))
        row.amount += amount
        row.count += 1
        buyers[agency].add(part.order.buyer_whatsapp)
        regency = part.producer.village.district.regency.name
        place = per_regency.setdefault(regency, Row(regency))
        place.amount += amount
        place.count += 1
    figures.agencies = group_small_agencies(per_agency, buyers)
    figures.regencies = sorted(per_regency.values(), key=lambda r: (-r.amount, r.name))
    return figures


def group_small_agencies(rows: dict[str, Row], buyers: dict[str, set[str]]) -> list[Row]:
    named = [row for name, row in rows.items() if len(buyers[name]) >= MIN_BUYERS_TO_NAME]
    others = Row(OTHER_AGENCIES)
    for name, row in rows.items():
        if len(buyers[name]) < MIN_BUYERS_TO_NAME:
            others.amount += row.amount
            others.count += row.count
    named.sort(key=lambda r: (-r.amount, r.name))
    return [*named, others] if others.count else named


def monthly_totals(last: datetime.date, months: int = CHART_MONTHS) -> list[tuple[datetime.date, int]]:
    """(month, paid campaign total) for the `months` months ending with `last`, oldest first."""
    first = add_months(last, -(months - 1))
    totals = {add_months(first, i): 0 for i in range(months)}
    start, _ = month_bounds(first)
    _, end = month_bounds(last)
    parts = (
        paid_parts()
        .filter(order__campaign__isnull=False, order__created_at__gte=start, order__created_at__lt=end)
        .select_related("order")
    )
    for part in parts:
        month = month_start(timezone.localtime(part.order.created_at).date())
        totals[month] += part_amount(part)
    return list(totals.items())
