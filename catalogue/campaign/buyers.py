"""Who buys, when it is not a private person: what an order's CampaignPurchase records."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Agency, CampaignPurchase, Order


@dataclass(frozen=True)
class CampaignBuyer:
    kind: str  # BuyerKind.CIVIL_SERVANT or BuyerKind.AGENCY
    agency: Agency
    nip: str = ""
    official_name: str = ""
    official_title: str = ""
    npwp: str = ""


def record_purchase(order: Order, buyer: CampaignBuyer) -> CampaignPurchase:
    return CampaignPurchase.objects.create(
        order=order,
        kind=buyer.kind,
        agency=buyer.agency,
        nip=buyer.nip,
        official_name=buyer.official_name,
        official_title=buyer.official_title,
        npwp=buyer.npwp,
    )
