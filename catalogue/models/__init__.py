from .campaign import (
    Agency,
    AgencyKind,
    BuyerKind,
    CampaignPurchase,
    CampaignTarget,
    QuoteRequest,
    QuoteStatus,
)
from .downloads import FileDownload
from .orders import (
    ActorKind,
    Delivery,
    Order,
    OrderEvent,
    OrderLine,
    OrderPart,
    PartStatus,
    Payment,
    ShippingRate,
)
from .producers import ProducerLoginLink, ProducerMember
from .products import Category, Producer, Product, ProductImage
from .queue import ScheduledRun, SentMessage, WorkerBeat
from .support import Certificate, CertificateKind, Stage, StageChange, StageKind, StageStatus

__all__ = [
    "ActorKind",
    "Agency",
    "AgencyKind",
    "BuyerKind",
    "CampaignPurchase",
    "CampaignTarget",
    "Category",
    "Certificate",
    "CertificateKind",
    "Delivery",
    "FileDownload",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderPart",
    "PartStatus",
    "Payment",
    "Producer",
    "ProducerLoginLink",
    "ProducerMember",
    "Product",
    "ProductImage",
    "QuoteRequest",
    "QuoteStatus",
    "ScheduledRun",
    "SentMessage",
    "ShippingRate",
    "Stage",
    "StageChange",
    "StageKind",
    "StageStatus",
    "WorkerBeat",
]
