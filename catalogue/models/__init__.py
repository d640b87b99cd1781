from .curation import Criterion, Curation, CurationScore, RubricGroup
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
from .support import Certificate, CertificateKind, Stage, StageChange, StageKind, StageStatus

__all__ = [
    "ActorKind",
    "Category",
    "Certificate",
    "CertificateKind",
    "Criterion",
    "Curation",
    "CurationScore",
    "Delivery",
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
    "RubricGroup",
    "ShippingRate",
    "Stage",
    "StageChange",
    "StageKind",
    "StageStatus",
]
