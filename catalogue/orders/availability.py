"""Whether a quantity of a product can be ordered now: THE one rule, with one wording.

The cart (adding, changing, showing), the checkout page and order placement all ask :func:`check`,
so a shopper reads the same sentence for the same problem wherever it is found. The cart may add
what it did about it (the line left the cart, its quantity was lowered), never a second wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from catalogue.models import Product
from catalogue.money import format_rupiah


class Reason(StrEnum):
    GONE = "gone"  # the product was deleted
    NOT_FOR_SALE = "not_for_sale"  # unpublished
    SOLD_OUT = "sold_out"
    PRICE_CHANGED = "price_changed"  # since the shopper saw it
    OVER_STOCK = "over_stock"


#: Nothing of the product can be ordered (the others still allow a smaller or repriced line).
BLOCKING = frozenset({Reason.GONE, Reason.NOT_FOR_SALE, Reason.SOLD_OUT})
#: Too many asked: ``Problem.orderable`` says how many can be ordered.
TOO_MANY = frozenset({Reason.OVER_STOCK})


@dataclass(frozen=True)
class Problem:
    reason: Reason
    message: str
    orderable: int = 0  # OVER_STOCK: the most that can be ordered now

    @property
    def blocks(self) -> bool:
        return self.reason in BLOCKING

    @property
    def too_many(self) -> bool:
        return self.reason in TOO_MANY


def most_orderable(product: Product) -> int:
    """The largest quantity of ``product`` one order can take now."""
    return max(product.stock, 0)


def check(product: Product | None, quantity: int, *, seen_price: int | None = None) -> list[Problem]:
    """Every reason why ``quantity`` of ``product`` cannot be ordered as the shopper saw it
    (``seen_price``: the price they were shown, when known); empty when it can.

    A blocking problem comes alone; a changed price and a quantity over the stock can come together.
    """
    if product is None:
        return [Problem(Reason.GONE, _("Salah satu produk di keranjang sudah tidak ada."))]
    if not product.is_published:
        return [Problem(Reason.NOT_FOR_SALE, _("%(name)s tidak lagi dijual.") % {"name": product.name})]
    if product.stock < 1:
        return [Problem(Reason.SOLD_OUT, _("Stok %(name)s habis.") % {"name": product.name})]
    problems = []
    if seen_price and seen_price != product.price:
        problems.append(
            Problem(
                Reason.PRICE_CHANGED,
                _("Harga %(name)s berubah dari %(old)s menjadi %(new)s.")
                % {
                    "name": product.name,
                    "old": format_rupiah(seen_price),
                    "new": format_rupiah(product.price),
                },
            )
        )
    most = most_orderable(product)
    if quantity > most:
        problems.append(
            Problem(
                Reason.OVER_STOCK,
                _("Stok tidak cukup untuk %(name)s: tersisa %(available)d, diminta %(requested)d.")
                % {"name": product.name, "available": most, "requested": quantity},
                orderable=most,
            )
        )
    return problems
