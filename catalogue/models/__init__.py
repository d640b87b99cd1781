from .orders import Delivery, Order, OrderLine, OrderPart, PartStatus, Payment
from .products import Category, Producer, Product, ProductImage
from .queue import ScheduledRun, SentMessage, WorkerBeat
from .support import Certificate, CertificateKind, Stage, StageChange, StageKind, StageStatus

__all__ = [
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
    "ScheduledRun",
    "SentMessage",
    "Stage",
    "StageChange",
    "StageKind",
    "StageStatus",
    "WorkerBeat",
]
