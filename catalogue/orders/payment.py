"""How each producer's part of an order is paid, as the order page shows it.

A QRIS part still awaiting payment gets a dynamic QRIS for exactly its subtotal, made from the
producer's static code (``catalogue/qris.py``) and drawn by the one QR helper
(``catalogue/barcodes.qr_svg``); every part gets a WhatsApp link to its producer with the order's
number and lines.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from catalogue import qris
from catalogue.barcodes import qr_svg
from catalogue.models import Order, OrderLine, OrderPart, PartStatus, Payment, Producer
from catalogue.money import format_rupiah

logger = logging.getLogger(__name__)


def whatsapp_text(order: Order, part: OrderPart, lines: list[OrderLine]) -> str:
    items = "\n".join(
        f"- {line.quantity} × {line.product_name} ({line.unit}) = {format_rupiah(line.line_total)}"
        for line in lines
    )
    return _(
        "Halo %(producer)s, saya memesan lewat Beli Produk NTT.\n"
        "Nomor pesanan: %(number)s\n%(items)s\nSubtotal: %(subtotal)s\n"
        "Pengiriman: %(delivery)s. Pembayaran: %(payment)s."
    ) % {
        "producer": part.producer.name,
        "number": order.number,
        "items": items,
        "subtotal": format_rupiah(part.subtotal),
        "delivery": order.get_delivery_display(),
        "payment": order.get_payment_display(),
    }


@dataclass
class PartView:
    """What the order page shows for one producer's part."""

    part: OrderPart
    lines: list[OrderLine]
    qris_payload: str = ""
    qris_svg: SafeString | str = ""
    whatsapp_url: str = ""

    @property
    def producer(self) -> Producer:
        return self.part.producer

    @property
    def is_final(self) -> bool:
        return not PartStatus.next_allowed(self.part.status)


def _with_qris(view: PartView, order: Order) -> None:
    part = view.part
    try:
        view.qris_payload = qris.to_dynamic(part.producer.qris_payload, part.subtotal)
    except (qris.QrisError, ValueError):
        # A stored code that no longer validates: pay on pickup rather than a broken QR.
        logger.warning("Producer %s has an unusable QRIS; order %s.", part.producer_id, order.number)
        return
    view.qris_svg = qr_svg(
        view.qris_payload,
        label=_("QRIS %(producer)s sebesar %(amount)s")
        % {"producer": part.producer.name, "amount": format_rupiah(part.subtotal)},
        css_class="qris-code",
    )


def part_views(order: Order, *, with_qris: bool = True) -> list[PartView]:
    """Each part of ``order`` (prefetched with ``Order.objects.with_parts()``) as the page shows it;
    ``with_qris=False`` leaves the codes out (the status poll needs none)."""
    views = []
    for part in order.parts.all():
        lines = list(part.lines.all())
        view = PartView(part=part, lines=lines)
        view.whatsapp_url = part.producer.whatsapp_link(whatsapp_text(order, part, lines))
        awaiting_qris = order.payment == Payment.QRIS and part.status == PartStatus.AWAITING_PAYMENT
        if with_qris and awaiting_qris and part.producer.has_qris:
            _with_qris(view, order)
        views.append(view)
    return views


def status_version(order: Order) -> str:
    """Changes whenever any part's status changes: the order page's status poll compares it."""
    statuses = ",".join(f"{part.pk}:{part.status}" for part in order.parts.all())
    return hashlib.sha256(statuses.encode()).hexdigest()[:12]
