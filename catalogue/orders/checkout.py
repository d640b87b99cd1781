"""The checkout, from the cart to a placed order: the one service behind the checkout page.

- :func:`start` (the page is shown): the cart's summary, acknowledged, and a one-time key (``kunci``)
  issued into the session;
- :func:`submit` (the form is posted): the key checked against the session, the summary compared
  with what was shown, the order placed, the cart cleared and the key spent. The view only parses
  the form and renders what this returns;
- :func:`place_order`: the order, its parts and lines and the stock taken, in one transaction.

A placed order keeps its key in ``Order.checkout_key`` (unique), so a second submit of the same
form (double click, refresh, back-and-resubmit) finds the order and lands on its page.

Stock is never read-then-written. Taking stock is one conditional UPDATE per product
(``stock = stock - n WHERE stock >= n``), so two checkouts for the last unit cannot both succeed:
on PostgreSQL the second UPDATE waits for the first's row lock and then re-checks its condition;
on SQLite writers are serialised (``transaction_mode: IMMEDIATE``). What may be ordered is the
availability rule's answer (``availability.py``), asked before and, when an UPDATE takes nothing,
again after.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import caching, identifiers, tasks
from catalogue.models import Order, OrderLine, OrderPart, PartStatus, Product
from villages.models import Regency

from . import availability
from .cart import Cart, CartSummary

logger = logging.getLogger(__name__)

NUMBER_ATTEMPTS = 5  # a fresh random order number if one is already taken that day
KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
ISSUED_KEYS = "checkout_keys"  # the session's list of keys issued and not yet spent
MAX_ISSUED_KEYS = 10  # a few open tabs; older keys simply stop working


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
class OrderDetails:
    """What the checkout form says about the order, beyond the cart's lines."""

    buyer: Buyer
    delivery: str
    payment: str
    address: str = ""
    regency: Regency | None = None
    note: str = ""


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    created: bool  # False when the checkout key had already placed this order (a repeat submit)


class OrderRejected(Exception):
    """Nothing was written; ``problems`` are messages for the shopper, one per product."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


# --- the one-time key, kept in the session ---------------------------------------------------------


def _issued_keys(session: MutableMapping) -> list[str]:
    keys = session.get(ISSUED_KEYS)
    if not isinstance(keys, list):
        return []
    return [key for key in keys if isinstance(key, str) and KEY_PATTERN.fullmatch(key)]


def _issue_key(session: MutableMapping) -> str:
    key = uuid.uuid4().hex
    session[ISSUED_KEYS] = [*_issued_keys(session), key][-MAX_ISSUED_KEYS:]
    return key


def _spend_key(session: MutableMapping, key: str) -> None:
    session[ISSUED_KEYS] = [issued for issued in _issued_keys(session) if issued != key]


# --- the checkout page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    summary: CartSummary
    key: str  # for the form's ``kunci``


def start(*, session: MutableMapping) -> Started | None:
    """The checkout page is about to be shown: None when there is nothing to order; otherwise the
    summary (its notices are shown on the page, so its prices become the ones the shopper saw) and
    a fresh one-time key."""
    cart = Cart(session)
    summary = cart.summary()
    if not summary.can_order:
        return None
    cart.acknowledge(summary)
    return Started(summary=summary, key=_issue_key(session))


class Outcome(StrEnum):
    PLACED = "placed"  # a new order
    REPEATED = "repeated"  # this key had already placed the order: the same page again
    EMPTY = "empty"  # nothing (left) in the cart to order
    BAD_KEY = "bad_key"  # a key this session was never given: nothing ordered, a fresh key issued
    INVALID = "invalid"  # the form has errors
    CHANGED = "changed"  # the cart changed since the page was shown, or placing it was refused


@dataclass
class Submitted:
    outcome: Outcome
    summary: CartSummary | None = None  # what the page shows again (all but PLACED and REPEATED)
    order: Order | None = None  # PLACED and REPEATED
    problems: list[str] = field(default_factory=list)  # CHANGED: why placing was refused
    key: str = ""  # BAD_KEY: the fresh key for the form


def submit(*, session: MutableMapping, key: str, details: OrderDetails | None) -> Submitted:
    """The checkout form was posted with ``key`` (its ``kunci``) and ``details`` (None when the
    form is invalid). Places the order from the cart when everything agrees; writes nothing else."""
    if KEY_PATTERN.fullmatch(key):
        existing = Order.objects.filter(checkout_key=key).first()
        if existing is not None:
            return Submitted(Outcome.REPEATED, order=existing)  # a repeated submit of a placed form

    cart = Cart(session)
    summary = cart.summary()
    if not summary.can_order:
        return Submitted(Outcome.EMPTY, summary=summary)
    if key not in _issued_keys(session):
        # Forged, or from a session that has ended: the form comes back with a key to submit again.
        return Submitted(Outcome.BAD_KEY, summary=summary, key=_issue_key(session))
    if details is None:
        return Submitted(Outcome.INVALID, summary=summary)
    if summary.notices:
        # Something changed since the checkout page was shown (price, stock, a product withdrawn):
        # show it and let the shopper submit again, rather than order what they did not see.
        cart.acknowledge(summary)
        return Submitted(Outcome.CHANGED, summary=summary)

    try:
        placed = place_order(
            cart_lines=[
                LineRequest(line.product.pk, line.quantity, line.product.price) for line in summary.lines
            ],
            checkout_key=key,
            buyer=details.buyer,
            delivery=details.delivery,
            payment=details.payment,
            address=details.address,
            regency=details.regency,
            note=details.note,
        )
    except OrderRejected as rejected:
        summary = cart.summary()
        cart.acknowledge(summary)
        return Submitted(Outcome.CHANGED, summary=summary, problems=rejected.problems)
    cart.clear()
    _spend_key(session, key)
    return Submitted(Outcome.PLACED if placed.created else Outcome.REPEATED, order=placed.order)


# --- placing the order -----------------------------------------------------------------------------


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
    nothing. If the availability rule refuses any line (short, unpublished, price changed since the
    shopper saw it), raises :class:`OrderRejected` naming each one, and nothing is written.
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
    problems = [
        problem.message
        for line in lines
        for problem in availability.check(
            products.get(line.product_id), line.quantity, seen_price=line.expected_price
        )
    ]
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
            problems.append(_why_not_taken(product, line))
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
                status=PartStatus.first_for(fields["payment"]),
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


def _why_not_taken(product: Product, line: LineRequest) -> str:
    """The conditional UPDATE changed no row: the availability rule on the row as it is now."""
    fresh = Product.objects.filter(pk=product.pk).first()
    problems = availability.check(fresh, line.quantity, seen_price=product.price)
    if not problems:  # pragma: no cover (the row changed back meanwhile)
        return _("%(name)s tidak dapat dipesan saat ini; silakan coba lagi.") % {"name": product.name}
    return problems[0].message


def _announce(order_id: int) -> None:
    tasks.send_order_emails.enqueue(order_id)
