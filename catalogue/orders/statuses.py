"""Moving an order part along its statuses, and cancelling it with its stock returned exactly once.

Both are thin doors to :meth:`OrderPart.move`, the one writer of a part's status: it obeys
:meth:`PartStatus.next_allowed`, locks the row, writes one ``OrderEvent`` and, on a cancellation,
returns the stock exactly once however many callers (an officer, the expiry job, a second expiry
run, the producer) race.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from catalogue.models import OrderPart, PartStatus

logger = logging.getLogger(__name__)


def _part(part: OrderPart | int) -> OrderPart | None:
    return part if isinstance(part, OrderPart) else OrderPart.objects.filter(pk=part).first()


def set_part_status(
    part: OrderPart | int,
    status: str,
    *,
    by: AbstractBaseUser | str | None,
    note: str = "",
    only_from: Iterable[str] | None = None,
    now: datetime | None = None,
) -> bool:
    """Move a part to ``status`` if :meth:`PartStatus.next_allowed` permits it from where it is now.

    ``by`` is the user acting, or a name for the log when the system acts (``"expire_orders"``).
    Returns whether it moved.
    """
    found = _part(part)
    if found is None:
        return False
    user = None if by is None or isinstance(by, str) else by
    moved = found.move(to=status, by=user, note=note, only_from=only_from, now=now)
    if moved:
        logger.info("Order part %s moved to %s by %s.", found.pk, status, by)
    return moved


def cancel_part(
    part: OrderPart | int,
    *,
    by: AbstractBaseUser | str | None,
    note: str = "",
    only_from: Iterable[str] | None = None,
    now: datetime | None = None,
) -> bool:
    """Cancel a part and return its stock, exactly once however many callers race.

    ``only_from`` narrows the statuses a part may be cancelled from (expiry cancels only parts
    still awaiting payment or confirmation, never one a producer or an officer has just moved on).
    Returns whether this call cancelled the part.
    """
    return set_part_status(part, PartStatus.CANCELLED, by=by, note=note, only_from=only_from, now=now)
