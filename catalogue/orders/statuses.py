"""Moving an order part along its statuses, and cancelling it with its stock returned exactly once.

The allowed moves are :meth:`PartStatus.next_allowed` (the one place for them). Returning stock is
guarded like taking it: the part's status flips to ``dibatalkan`` with ``stock_returned`` in one
conditional UPDATE, and only the caller whose UPDATE changed the row gives the stock back, however
many callers (an officer, the expiry job, a second expiry run) race.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalogue import caching
from catalogue.models import OrderLine, OrderPart, PartStatus, Product

logger = logging.getLogger(__name__)

CANCELLABLE = frozenset(s for s in PartStatus.values if PartStatus.CANCELLED in PartStatus.next_allowed(s))


def cancel_part(
    part: OrderPart | int,
    *,
    by: str,
    only_from: Iterable[str] | None = None,
    now: datetime | None = None,
) -> bool:
    """Cancel a part and return its stock, exactly once however many callers race.

    ``only_from`` narrows the statuses a part may be cancelled from (expiry cancels only parts
    still awaiting payment or confirmation, never one a staff member has just moved on). Returns
    whether this call cancelled the part.
    """
    part_id = part if isinstance(part, int) else part.pk
    allowed = CANCELLABLE if only_from is None else CANCELLABLE & set(only_from)
    with transaction.atomic():
        won = OrderPart.objects.filter(pk=part_id, status__in=allowed, stock_returned=False).update(
            status=PartStatus.CANCELLED, stock_returned=True, status_changed_at=now or timezone.now()
        )
        if not won:
            return False
        returned = OrderLine.objects.filter(part_id=part_id).order_by("product_id")
        for product_id, quantity in returned.values_list("product_id", "quantity"):
            Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
        caching.bump_on_change()  # the stock came back with UPDATE (no signal)
    logger.info("Order part %s cancelled by %s; stock returned.", part_id, by)
    return True


def set_part_status(part: OrderPart | int, status: str, *, by: str, now: datetime | None = None) -> bool:
    """Move a part to ``status`` if :meth:`PartStatus.next_allowed` permits it from where it is now.

    Cancelling goes through :func:`cancel_part` so the stock comes back. Returns whether it moved.
    """
    if status == PartStatus.CANCELLED:
        return cancel_part(part, by=by, now=now)
    part_id = part if isinstance(part, int) else part.pk
    sources = [source for source in PartStatus.values if status in PartStatus.next_allowed(source)]
    moved = OrderPart.objects.filter(pk=part_id, status__in=sources).update(
        status=status, status_changed_at=now or timezone.now()
    )
    if moved:
        logger.info("Order part %s moved to %s by %s.", part_id, status, by)
    return bool(moved)
