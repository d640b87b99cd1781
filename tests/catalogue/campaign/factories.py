"""Small builders for campaign purchases: an order with one part, bought as ASN or agency."""

from __future__ import annotations

import itertools
import secrets

from catalogue.models import (
    Agency,
    AgencyKind,
    BuyerKind,
    CampaignPurchase,
    Order,
    OrderLine,
    OrderPart,
    PartStatus,
    Payment,
    Product,
)
from tests import factories

_phones = itertools.count(10_000_000)


def agency(name: str = "Dinas Pemberdayaan Masyarakat dan Desa Provinsi NTT") -> Agency:
    found, _ = Agency.objects.get_or_create(name=name, defaults={"kind": AgencyKind.PROVINCIAL})
    return found


def purchase(
    *,
    amount: int = 120_000,
    status: str = PartStatus.PAID,
    payment: str = Payment.QRIS,
    kind: str | None = BuyerKind.CIVIL_SERVANT,
    agency_: Agency | None = None,
    buyer_name: str = "Maria Goreti Bria",
    whatsapp: str | None = None,
    product_: Product | None = None,
    **campaign,
) -> OrderPart:
    """One order of one line worth `amount`, its part in `status`; a campaign purchase unless kind=None."""
    product_ = product_ or factories.product(price=amount)
    order = Order.objects.create(
        buyer_name=buyer_name,
        buyer_whatsapp=whatsapp or f"+62812{next(_phones)}",
        delivery="ambil",
        payment=payment,
        total=amount,
        checkout_key=secrets.token_hex(16),
    )
    part = OrderPart.objects.create(order=order, producer=product_.producer, status=status, subtotal=amount)
    OrderLine.objects.create(
        part=part,
        product=product_,
        product_name=product_.name,
        unit=product_.unit,
        unit_price=amount,
        quantity=1,
    )
    if kind is not None:
        CampaignPurchase.objects.create(order=order, kind=kind, agency=agency_ or agency(), **campaign)
    return part
