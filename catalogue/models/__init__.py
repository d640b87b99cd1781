from .campaign import (
    Agency,
    AgencyKind,
    BuyerKind,
    CampaignPurchase,
    CampaignTarget,
    QuoteRequest,
    QuoteStatus,
)
from .curation import Criterion, Curation, CurationScore, RubricGroup
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
    "Criterion",
    "Curation",
    "CurationScore",
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
    "RubricGroup",
    "ScheduledRun",
    "SentMessage",
    "ShippingRate",
    "Stage",
    "StageChange",
    "StageKind",
    "StageStatus",
    "WorkerBeat",
]
