from .campaign import (
    Agency,
    AgencyKind,
    BuyerKind,
    CampaignPurchase,
    CampaignTarget,
    QuoteRequest,
    QuoteStatus,
)
from .orders import Delivery, Order, OrderLine, OrderPart, PartStatus, Payment
from .products import Category, Producer, Product, ProductImage
from .support import Certificate, CertificateKind, Stage, StageChange, StageKind, StageStatus

__all__ = [
    "Agency",
    "AgencyKind",
    "BuyerKind",
    "CampaignPurchase",
    "CampaignTarget",
    "Category",
    "Certificate",
    "CertificateKind",
    "Delivery",
    "Order",
    "OrderLine",
    "OrderPart",
    "PartStatus",
    "Payment",
    "Producer",
    "Product",
    "ProductImage",
    "QuoteRequest",
    "QuoteStatus",
    "Stage",
    "StageChange",
    "StageKind",
    "StageStatus",
]
