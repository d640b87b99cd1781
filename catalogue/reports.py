"""The programme's figures for the dashboard and the public about page.

Every function here runs a fixed number of queries, whatever the number of products: the pipeline
matrix reads the products once and all their stages once, and the sales figures are one aggregate
query each.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from catalogue.models import (
    Certificate,
    CertificateKind,
    OrderLine,
    OrderPart,
    PartStatus,
    Producer,
    Product,
    Stage,
    StageKind,
    StageStatus,
)
from villages.models import Regency

DEFAULT_PERIOD_DAYS = 30
EXPIRY_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Period:
    """A range of whole days in WITA, both ends included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start 00:00 WITA, the day after end 00:00 WITA) as aware datetimes."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class MatrixRow:
    product: Product
    statuses: list[str]

    @property
    def done(self) -> int:
        return self.statuses.count(StageStatus.DONE)

    @property
    def applicable(self) -> int:
        return len([status for status in self.statuses if status and status != StageStatus.NOT_APPLICABLE])

    @property
    def is_finished(self) -> bool:
        return self.applicable > 0 and self.done == self.applicable

    @property
    def is_waiting(self) -> bool:
        return all(
            status in {StageStatus.NOT_STARTED, StageStatus.NOT_APPLICABLE, ""} for status in self.statuses
        )

    @property
    def cells(self) -> list[tuple[str, str, str]]:
        """(stage label, status value, status label) per stage, in the programme's order."""
        return [
            (label, status, StageStatus(status).label if status else "-")
            for (_, label), status in zip(StageKind.choices, self.statuses, strict=True)
        ]


@dataclass(frozen=True)
class StageCompletion:
    kind: str
    label: str
    done: int
    applicable: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 0


class StageTotals:
    """The stages done of all those that apply, over every product (`stages`: one per kind)."""

    stages: list[StageCompletion]

    @property
    def done(self) -> int:
        return sum(stage.done for stage in self.stages)

    @property
    def applicable(self) -> int:
        return sum(stage.applicable for stage in self.stages)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 0


@dataclass
class PipelineProgress(StageTotals):
    """The pipeline's figures without its matrix (the public about page), counted by the database:
    three queries, and no product read, whatever their number. The rules are MatrixRow's: a test
    holds both to the same figures."""

    stages: list[StageCompletion]
    products: int
    finished: int
    waiting: int

    @property
    def in_progress(self) -> int:
        return self.products - self.finished - self.waiting


def progress(products: QuerySet[Product]) -> PipelineProgress:
    stages = Stage.objects.filter(product__in=products.values("pk"), kind__in=StageKind.values).order_by()
    done = Count("pk", filter=Q(status=StageStatus.DONE))
    applicable = Count("pk", filter=~Q(status=StageStatus.NOT_APPLICABLE))
    per_kind = {
        kind: (done_, applicable_)
        for kind, done_, applicable_ in stages.values("kind")
        .annotate(done=done, applicable=applicable)
        .values_list("kind", "done", "applicable")
    }
    per_product = (
        stages.values("product")
        .annotate(
            done=done,
            applicable=applicable,
            started=Count("pk", filter=~Q(status__in=[StageStatus.NOT_STARTED, StageStatus.NOT_APPLICABLE])),
        )
        .aggregate(
            finished_products=Count("product", filter=Q(applicable__gt=0, done=F("applicable"))),
            started_products=Count("product", filter=Q(started__gt=0)),
        )
    )
    count = products.count()
    return PipelineProgress(
        stages=[
            StageCompletion(kind, str(label), *per_kind.get(kind, (0, 0)))
            for kind, label in StageKind.choices
        ],
        products=count,
        finished=per_product["finished_products"],
        waiting=count - per_product["started_products"],
    )


@dataclass
class PipelineSummary(StageTotals):
    rows: list[MatrixRow]
    stages: list[StageCompletion] = field(default_factory=list)

    @property
    def finished(self) -> int:
        """Products whose every applicable stage is done: assistance finished."""
        return sum(row.is_finished for row in self.rows)

    @property
    def waiting(self) -> int:
        """Products whose assistance has not started yet."""
        return sum(row.is_waiting for row in self.rows)

    @property
    def in_progress(self) -> int:
        return len(self.rows) - self.finished - self.waiting


def pipeline(products: QuerySet[Product]) -> PipelineSummary:
    """The products × stages matrix and its completion figures: two queries."""
    product_list = list(products.with_places().order_by("producer__village__district__regency__name", "name"))
    positions = {kind: i for i, kind in enumerate(StageKind.values)}
    statuses: dict[int, list[str]] = {product.pk: [""] * len(positions) for product in product_list}
    stage_rows = Stage.objects.filter(product__in=products.values("pk")).values_list(
        "product_id", "kind", "status"
    )
    for product_id, kind, status in stage_rows:
        if product_id in statuses and kind in positions:
            statuses[product_id][positions[kind]] = status
    rows = [MatrixRow(product, statuses[product.pk]) for product in product_list]
    summary = PipelineSummary(rows=rows)
    for index, (kind, label) in enumerate(StageKind.choices):
        column = Counter(row.statuses[index] for row in rows)
        applicable = sum(n for status, n in column.items() if status and status != StageStatus.NOT_APPLICABLE)
        summary.stages.append(StageCompletion(kind, str(label), column[StageStatus.DONE], applicable))
    return summary


def expiring_certificates(products: QuerySet[Product], days: int = EXPIRY_WINDOW_DAYS) -> list[Certificate]:
    """Certificates of these products that expire within `days` days from today (WITA): one query."""
    return list(
        Certificate.objects.expiring_within(days)
        .filter(product__in=products.values("pk"))
        .for_list()
        .order_by("expires_on", "product__name")
    )


@dataclass(frozen=True)
class SalesRow:
    name: str
    place: str
    orders: int
    total: int


def paid(prefix: str = "") -> Q:
    """A part counts as a sale once its payment is confirmed (`paid_at`, set by the move to "Dibayar")
    or it is completed (cash on delivery is paid on completion), and it is not cancelled. The one rule
    for "Penjualan"; every other live part is unpaid and shown apart."""
    return (Q(**{f"{prefix}paid_at__isnull": False}) | Q(**{f"{prefix}status": PartStatus.DONE})) & ~Q(
        **{f"{prefix}status": PartStatus.CANCELLED}
    )


def _period_lines(products: QuerySet[Product], period: Period) -> QuerySet[OrderLine]:
    first, after = period.bounds()
    return OrderLine.objects.filter(
        part__order__created_at__gte=first,
        part__order__created_at__lt=after,
        product__in=products.values("pk"),
    ).order_by()


def _sales_lines(products: QuerySet[Product], period: Period) -> QuerySet[OrderLine]:
    return _period_lines(products, period).filter(paid("part__"))


@dataclass(frozen=True)
class Unpaid:
    parts: int
    total: int


def unpaid(products: QuerySet[Product], period: Period) -> Unpaid:
    """Live parts of the period not paid yet (awaiting a quote or a payment, or sent cash on delivery):
    how many and their rupiah, apart from the sales. One query."""
    figures = (
        _period_lines(products, period)
        .exclude(paid("part__"))
        .exclude(part__status=PartStatus.CANCELLED)
        .aggregate(parts=Count("part", distinct=True), total=Sum(F("unit_price") * F("quantity")))
    )
    return Unpaid(figures["parts"] or 0, figures["total"] or 0)


def sales_by_regency(products: QuerySet[Product], period: Period) -> list[SalesRow]:
    """Paid or completed orders and their rupiah, per regency of the producer: one query."""
    rows = (
        _sales_lines(products, period)
        .values(name=F("part__producer__village__district__regency__name"))
        .annotate(orders=Count("part__order", distinct=True), total=Sum(F("unit_price") * F("quantity")))
        .order_by("-total", "name")
    )
    return [SalesRow(row["name"], "", row["orders"], row["total"] or 0) for row in rows]


def sales_by_producer(products: QuerySet[Product], period: Period) -> list[SalesRow]:
    """Paid or completed orders and their rupiah, per producer: one query."""
    rows = (
        _sales_lines(products, period)
        .values(
            "part__producer_id",
            name=F("part__producer__name"),
            place=F("part__producer__village__district__regency__name"),
        )
        .annotate(orders=Count("part__order", distinct=True), total=Sum(F("unit_price") * F("quantity")))
        .order_by("-total", "name")
    )
    return [SalesRow(row["name"], row["place"], row["orders"], row["total"] or 0) for row in rows]


def certificate_counts() -> dict[str, int]:
    """Public (verified, unexpired) certificates per family: `halal`, `bpom`, `pirt`. One query."""

    per_kind = dict(Certificate.objects.public().order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        family: sum(per_kind.get(kind, 0) for kind in kinds)
        for family, kinds in CertificateKind.families().items()
    }


WAITING_HOURS = 24


@dataclass
class WaitingProducer:
    producer: Producer
    parts: list[OrderPart]

    @property
    def oldest(self) -> datetime.datetime:
        return min(part.status_changed_at for part in self.parts)


def waiting_on_producers(
    regency: Regency | None = None, *, hours: int = WAITING_HOURS, now: datetime.datetime | None = None
) -> list[WaitingProducer]:
    """Producers with parts waiting on them (a shipping quote, a cash confirmation, goods to send)
    for more than ``hours``, the longest wait first: one query."""
    since = (now or timezone.now()) - datetime.timedelta(hours=hours)
    parts = OrderPart.objects.waiting_on_producer(since=since).select_related("order", "producer")
    if regency is not None:
        parts = parts.filter(producer__village__district__regency=regency)
    grouped: dict[int, WaitingProducer] = {}
    for part in parts.order_by("status_changed_at", "pk"):
        grouped.setdefault(part.producer_id, WaitingProducer(part.producer, [])).parts.append(part)
    return list(grouped.values())
