from .downloads import FileDownload
from .orders import Delivery, Order, OrderLine, OrderPart, PartStatus, Payment
from .products import Category, Producer, Product, ProductImage
from .support import Certificate, CertificateKind, Stage, StageChange, StageKind, StageStatus

__all__ = [
    "Category",
    "Certificate",
    "CertificateKind",
    "Delivery",
    "FileDownload",
    "Order",
    "OrderLine",
    "OrderPart",
    "PartStatus",
    "Payment",
    "Producer",
    "Product",
    "ProductImage",
    "Stage",
    "StageChange",
    "StageKind",
    "StageStatus",
]
