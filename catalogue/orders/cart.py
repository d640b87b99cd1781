"""The shopping cart: a small class over ``request.session`` (no login, no rows until checkout).

The session holds, per product id, the quantity and the price the shopper saw when adding it::

    session["keranjang"] = {"12": {"q": 2, "p": 25000}, ...}

Everything read back from the session is checked (a tampered or outdated session is cleaned,
never trusted), and every product is re-read from the database, so the cart always shows the
current state: whatever the availability rule (``availability.py``) finds, a changed price, an
unpublished product or a smaller stock, is reported as a notice and the current values are used.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from itertools import groupby

from django.utils.translation import gettext as _

from catalogue.models import Producer, Product

from . import availability

SESSION_KEY = "keranjang"
MAX_LINES = 50  # distinct products in one cart
MAX_QUANTITY = 2_147_483_647  # what an order line can hold; the real bound is the stock
_PRODUCT_ID = re.compile(r"[1-9][0-9]{0,17}")  # fits a bigint on every database


class CartError(Exception):
    """A cart change that cannot be made; ``message`` is shown to the shopper."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_int(value: object) -> bool:
    return type(value) is int  # bool is an int subclass and must not count


def _clean(raw: object) -> dict[str, dict[str, int]]:
    """What can be trusted of a session value: well-formed lines only, at most MAX_LINES."""
    if not isinstance(raw, dict):
        return {}
    items: dict[str, dict[str, int]] = {}
    for key, value in raw.items():
        if len(items) >= MAX_LINES:
            break
        if not isinstance(key, str) or not _PRODUCT_ID.fullmatch(key) or not isinstance(value, dict):
            continue
        quantity, price = value.get("q"), value.get("p")
        if not _is_int(quantity) or not 1 <= quantity <= MAX_QUANTITY:
            continue
        # An unknown seen price (0) only means no "price changed" notice can be given.
        items[key] = {"q": quantity, "p": price if _is_int(price) and price >= 1 else 0}
    return items


@dataclass
class CartLine:
    product: Product
    quantity: int
    seen_price: int

    @property
    def price(self) -> int:
        return self.product.price

    @property
    def total(self) -> int:
        return self.product.price * self.quantity

    @property
    def price_changed(self) -> bool:
        return bool(self.seen_price) and self.seen_price != self.product.price


@dataclass
class ProducerGroup:
    producer: Producer
    lines: list[CartLine]

    @property
    def subtotal(self) -> int:
        return sum(line.total for line in self.lines)


@dataclass
class CartSummary:
    """The cart as it stands now: what can be ordered, what cannot, and what changed."""

    lines: list[CartLine] = field(default_factory=list)
    unavailable: list[CartLine] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def groups(self) -> list[ProducerGroup]:
        ordered = sorted(self.lines, key=lambda line: (line.product.producer.name, line.product.producer_id))
        return [
            ProducerGroup(producer=lines[0].product.producer, lines=lines)
            for lines in (
                list(group) for _key, group in groupby(ordered, key=lambda line: line.product.producer_id)
            )
        ]

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not self.lines and not self.unavailable

    @property
    def can_order(self) -> bool:
        return bool(self.lines)


class Cart:
    def __init__(self, session: MutableMapping) -> None:
        self.session = session
        raw = session.get(SESSION_KEY)
        self._items = _clean(raw)
        if raw is not None and raw != self._items:
            self._save()

    # --- reading without the database ------------------------------------------------------------

    @property
    def count(self) -> int:
        """Number of items (the header badge); no query."""
        return sum(item["q"] for item in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def quantity_of(self, product_id: int) -> int:
        item = self._items.get(str(product_id))
        return item["q"] if item else 0

    def __contains__(self, product_id: object) -> bool:
        return str(product_id) in self._items

    # --- changes ---------------------------------------------------------------------------------

    def add(self, product: Product, quantity: int) -> None:
        """Add ``quantity`` of a published product, as far as the availability rule allows."""
        key = str(product.pk)
        if key not in self._items and len(self._items) >= MAX_LINES:
            raise CartError(
                _("Keranjang sudah berisi %(count)d produk, jumlah terbanyak. Selesaikan pesanan dahulu.")
                % {"count": MAX_LINES}
            )
        in_cart = self.quantity_of(product.pk)
        problems = availability.check(product, in_cart + quantity)
        if problems:
            message = problems[0].message
            if in_cart and not problems[0].blocks:
                message += " " + _("Di keranjang sudah ada %(count)d.") % {"count": in_cart}
            raise CartError(message)
        self._items[key] = {"q": in_cart + quantity, "p": product.price}
        self._save()

    def set(self, product: Product, quantity: int) -> None:
        """Set the quantity of a product already in the cart, as far as the availability rule allows."""
        if str(product.pk) not in self._items:
            raise CartError(_("%(name)s tidak ada di keranjang.") % {"name": product.name})
        problems = availability.check(product, quantity)
        if problems:
            raise CartError(problems[0].message)
        self._items[str(product.pk)] = {"q": quantity, "p": product.price}
        self._save()

    def remove(self, product_id: int) -> bool:
        removed = self._items.pop(str(product_id), None) is not None
        if removed:
            self._save()
        return removed

    def clear(self) -> None:
        self._items = {}
        self._save()

    def acknowledge(self, summary: CartSummary) -> None:
        """The shopper has been shown ``summary``: its prices become the seen prices and the
        products that can no longer be ordered leave the cart."""
        for line in summary.lines:
            self._items[str(line.product.pk)] = {"q": line.quantity, "p": line.product.price}
        for line in summary.unavailable:
            self._items.pop(str(line.product.pk), None)
        self._save()

    # --- reading with the database ---------------------------------------------------------------

    def summary(self) -> CartSummary:
        """One query: the lines at current prices and stock, and a notice for everything that
        changed since the shopper added it (the availability rule's wording, and what the cart did
        about it). Quantities above what can be ordered are lowered to it."""
        summary = CartSummary()
        if not self._items:
            return summary
        # with_cover_fields: the cart, the checkout show each line's thumbnail without another query
        products = (
            Product.objects.select_related("producer__village__district__regency")
            .with_cover_fields()
            .in_bulk([int(key) for key in self._items])
        )
        changed = False
        for key, item in list(self._items.items()):
            product = products.get(int(key))
            problems = availability.check(product, item["q"], seen_price=item["p"])
            if product is None:
                del self._items[key]
                changed = True
                summary.notices.append(f"{problems[0].message} {_('Produk itu dihapus dari keranjang.')}")
                continue
            line = CartLine(product=product, quantity=item["q"], seen_price=item["p"])
            if problems and problems[0].blocks:
                summary.unavailable.append(line)
                summary.notices.append(f"{problems[0].message} {_('Produk ini tidak ikut dipesan.')}")
                continue
            for problem in problems:
                if problem.too_many:
                    line.quantity = item["q"] = problem.orderable
                    changed = True
                    done = _("Jumlah di keranjang disesuaikan menjadi %(count)d.") % {
                        "count": problem.orderable
                    }
                else:
                    done = _("Harga baru yang berlaku.")
                summary.notices.append(f"{problem.message} {done}")
            summary.lines.append(line)
        if changed:
            self._save()
        return summary

    # --- helpers ---------------------------------------------------------------------------------

    def _save(self) -> None:
        self.session[SESSION_KEY] = self._items
        if hasattr(self.session, "modified"):
            self.session.modified = True
