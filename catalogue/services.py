"""Writes that touch several models at once: placing an order, and cancelling or moving its parts.

Stock is never read-then-written. Taking stock is one conditional UPDATE per product
(``stock = stock - n WHERE stock >= n``), so two checkouts for the last unit cannot both succeed:
on PostgreSQL the second UPDATE waits for the first's row lock and then re-checks its condition;
on SQLite writers are serialised (``transaction_mode: IMMEDIATE``). Returning stock is guarded the
same way: the part's status flips to ``dibatalkan`` with ``stock_returned`` in one conditional
UPDATE, and only the caller whose UPDATE changed the row gives the stock back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import caching, identifiers
from catalogue.models import Order, OrderLine, OrderPart, PartStatus, Product
from catalogue.money import format_rupiah
from villages.models import Regency

logger = logging.getLogger(__name__)

NUMBER_ATTEMPTS = 5  # a fresh random order number if one is already taken that day


@dataclass(frozen=True)
class LineRequest:
    """One line the shopper wants: ``expected_price`` is the price they were shown (if known)."""

    product_id: int
    quantity: int
    expected_price: int | None = None


@dataclass(frozen=True)
class Buyer:
    name: str
    whatsapp: str
    email: str = ""


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    created: bool  # False when the checkout key had already placed this order (a repeat submit)


class OrderRejected(Exception):
    """Nothing was written; ``problems`` are messages for the shopper, one per product."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def place_order(
    *,
    cart_lines: Iterable[LineRequest],
    buyer: Buyer,
    checkout_key: str,
    delivery: str,
    payment: str,
    address: str = "",
    regency: Regency | None = None,
    note: str = "",
    now: datetime | None = None,
) -> PlacedOrder:
    """Write the order, one part per producer, its lines and the stock decrement, in one transaction.

    A checkout key that already placed an order returns that order (``created=False``) and writes
    nothing. If any product is short, unpublished or changed its price since the shopper saw it,
    raises :class:`OrderRejected` naming each one, and nothing is written.
    """
    if not checkout_key:
        raise ValueError("place_order needs the checkout form's one-time key.")
    lines = _merged(cart_lines)
    if not lines:
        raise OrderRejected([_("Keranjang masih kosong.")])
    whatsapp = identifiers.normalize_whatsapp(buyer.whatsapp)
    existing = Order.objects.filter(checkout_key=checkout_key).first()
    if existing is not None:
        return PlacedOrder(existing, created=False)

    for attempt in range(1, NUMBER_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                order = _write_order(
                    lines,
                    fields={
                        "checkout_key": checkout_key,
                        "buyer_name": buyer.name,
                        "buyer_whatsapp": whatsapp,
                        "buyer_email": buyer.email,
                        "delivery": delivery,
                        "payment": payment,
                        "address": address,
                        "regency": regency,
                        "note": note,
                        "created_at": now or timezone.now(),
                    },
                )
                transaction.on_commit(partial(_announce, order.pk), robust=True)
                # Stock was taken with UPDATE (no signal): cards and product pages show the new stock.
                caching.bump_on_change()
            return PlacedOrder(order, created=True)
        except IntegrityError:
            # The same key committed meanwhile (a double click racing us), or, rarely, the random
            # order number was already taken today: the first is an answer, the second a retry.
            existing = Order.objects.filter(checkout_key=checkout_key).first()
            if existing is not None:
                return PlacedOrder(existing, created=False)
            if attempt == NUMBER_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _merged(cart_lines: Iterable[LineRequest]) -> list[LineRequest]:
    merged: dict[int, LineRequest] = {}
    for line in cart_lines:
        if type(line.quantity) is not int or line.quantity < 1:
            raise ValueError(f"Quantity must be a positive int, not {line.quantity!r}.")
        previous = merged.get(line.product_id)
        if previous is not None:
            line = LineRequest(line.product_id, previous.quantity + line.quantity, line.expected_price)
        merged[line.product_id] = line
    return sorted(merged.values(), key=lambda line: line.product_id)  # one lock order for everyone


def _write_order(lines: list[LineRequest], *, fields: dict) -> Order:
    products = Product.objects.select_related("producer").in_bulk([line.product_id for line in lines])
    problems: list[str] = []
    for line in lines:
        product = products.get(line.product_id)
        if product is None or not product.is_published:
            problems.append(_unavailable_message(product))
        elif line.expected_price is not None and product.price != line.expected_price:
            problems.append(_price_message(product, line.expected_price))
    if problems:
        raise OrderRejected(problems)

    order = Order.objects.create(
        total=sum(products[line.product_id].price * line.quantity for line in lines), **fields
    )
    for line in lines:
        product = products[line.product_id]
        taken = Product.objects.filter(
            pk=product.pk, is_published=True, price=product.price, stock__gte=line.quantity
        ).update(stock=F("stock") - line.quantity)
        if not taken:
            problems.append(_why_not_taken(product, line.quantity))
    if problems:
        raise OrderRejected(problems)  # rolls back the order and every decrement above

    by_producer: dict[int, list[LineRequest]] = {}
    for line in lines:
        by_producer.setdefault(products[line.product_id].producer_id, []).append(line)
    parts = OrderPart.objects.bulk_create(
        [
            OrderPart(
                order=order,
                producer_id=producer_id,
                subtotal=sum(products[line.product_id].price * line.quantity for line in producer_lines),
                status=PartStatus.AWAITING_PAYMENT,
                status_changed_at=fields["created_at"],
            )
            for producer_id, producer_lines in sorted(by_producer.items())
        ]
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                part=part,
                product_id=line.product_id,
                product_name=products[line.product_id].name,
                unit=products[line.product_id].unit,
                unit_price=products[line.product_id].price,
                quantity=line.quantity,
            )
            for part in parts
            for line in by_producer[part.producer_id]
        ]
    )
    return order


def _unavailable_message(product: Product | None) -> str:
    if product is None:
        return _("Salah satu produk di keranjang sudah tidak ada.")
    return _("%(name)s tidak lagi dijual.") % {"name": product.name}


def _price_message(product: Product, seen: int) -> str:
    return _("Harga %(name)s berubah dari %(old)s menjadi %(new)s.") % {
        "name": product.name,
        "old": format_rupiah(seen),
        "new": format_rupiah(product.price),
    }


def short_message(name: str, available: int, requested: int) -> str:
    return _("Stok tidak cukup untuk %(name)s: tersisa %(available)d, diminta %(requested)d.") % {
        "name": name,
        "available": max(available, 0),
        "requested": requested,
    }


def _why_not_taken(product: Product, quantity: int) -> str:
    """The conditional UPDATE changed no row: say why, from the row as it is now."""
    fresh = Product.objects.filter(pk=product.pk).first()
    if fresh is None or not fresh.is_published:
        return _unavailable_message(fresh)
    if fresh.price != product.price:
        return _price_message(fresh, product.price)
    return short_message(fresh.name, fresh.stock, quantity)


def _announce(order_id: int) -> None:
    from catalogue.tasks import send_order_emails

    send_order_emails.enqueue(order_id)


# --- after the order: statuses, cancellation, expiry ----------------------------------------------

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
    still awaiting payment, never one a staff member has just marked paid). Returns whether this
    call cancelled the part.
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


def payment_deadline(order: Order) -> datetime:
    return order.created_at + timedelta(hours=settings.ORDER_PAYMENT_HOURS)


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
