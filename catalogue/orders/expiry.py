"""Expiry: order parts nobody acted on give their stock back (``expire_orders``, run every 15 minutes).

An overlapping run, or an officer cancelling the same part at the same moment, returns each part's
stock only once (see :func:`statuses.cancel_part`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from catalogue.models import OrderPart, PartStatus

from .statuses import cancel_part


def expire_orders(*, now: datetime | None = None) -> int:
    """Cancel QRIS parts still unpaid ``ORDER_PAYMENT_HOURS`` after ordering; return how many
    this run cancelled (an overlapping run cancels and returns stock for each part only once)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.ORDER_PAYMENT_HOURS)
    due = (
        OrderPart.objects.unpaid_qris()
        .filter(order__created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(
        cancel_part(part_id, by="expire_orders", only_from={PartStatus.AWAITING_PAYMENT}, now=now)
        for part_id in list(due)
    )
