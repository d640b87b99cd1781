"""Expiry: order parts nobody acted on give their stock back (``expire_orders``, run every 15 minutes).

- a QRIS part still unpaid ``ORDER_PAYMENT_HOURS`` after ordering;
- a cash part (paid on pickup or delivery) that neither the producer nor an officer confirmed
  within ``COD_CONFIRM_HOURS``.

Both are cancelled (``dibatalkan``) through :func:`statuses.cancel_part`, whose conditional UPDATE
lets only one caller win: an overlapping run, or an officer cancelling or confirming the same part
at the same moment, never returns a part's stock twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import OrderPart, PartStatus

from .statuses import cancel_part


def _cancel_each(parts, *, status: str, note: str, now: datetime) -> int:
    due = list(parts.order_by("pk").values_list("pk", flat=True))
    return sum(
        cancel_part(part_id, by="expire_orders", note=note, only_from={status}, now=now) for part_id in due
    )


def expire_orders(*, now: datetime | None = None) -> int:
    """Cancel the unpaid QRIS and unconfirmed cash parts past their deadline and return their stock;
    return how many parts this run cancelled."""
    now = now or timezone.now()
    unpaid = OrderPart.objects.unpaid_qris().filter(
        order__created_at__lte=now - timedelta(hours=settings.ORDER_PAYMENT_HOURS)
    )
    unconfirmed = OrderPart.objects.unconfirmed_cash().filter(
        order__created_at__lte=now - timedelta(hours=settings.COD_CONFIRM_HOURS)
    )
    return _cancel_each(
        unpaid, status=PartStatus.AWAITING_PAYMENT, note=_("Tidak dibayar sampai batas waktu."), now=now
    ) + _cancel_each(
        unconfirmed,
        status=PartStatus.AWAITING_CONFIRMATION,
        note=_("Tidak dikonfirmasi produsen sampai batas waktu."),
        now=now,
    )
