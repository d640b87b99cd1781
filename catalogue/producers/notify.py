"""Messages the portal sends: the buyer hears about a shipping quote, a producer about a new part.

Mail that cannot go out is logged and never undoes the change that caused it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.models import OrderPart
from catalogue.money import format_rupiah
from catalogue.orders import notifications

logger = logging.getLogger(__name__)


def _send(subject: str, template: str, context: dict, to: str) -> bool:
    message = EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    try:
        message.send()
    except Exception:
        logger.exception("Could not send %s to %s.", template, to)
        return False
    return True


def shipping_quoted(part: OrderPart) -> bool:
    """Tell the buyer (when they left an email) the shipping and the new amount to pay."""
    order = part.order
    if not order.buyer_email:
        return False
    return _send(
        _("Ongkos kirim pesanan %(number)s") % {"number": order.number},
        "emails/shipping_quoted.txt",
        {"order": order, "part": part, "order_url": settings.SITE_URL + order.get_absolute_url()},
        order.buyer_email,
    )


def new_parts(order_id: int) -> int:
    """Tell each producer of a new order that a part waits for them: on WhatsApp (queued, once per
    part, catalogue/orders/notifications.py) and by email when they have one; returns how many emails
    went out."""
    parts = OrderPart.objects.filter(order_id=order_id).select_related("order", "producer")
    parts = list(parts.prefetch_related("lines"))
    for part in parts:
        portal_url = settings.SITE_URL + reverse("catalogue:producer_part", kwargs={"part_id": part.pk})
        items = sum(line.quantity for line in part.lines.all())
        notifications.notify(
            producer=part.producer,
            template="pesanan_baru",
            params=[
                part.producer.name,
                part.order.number,
                f"{items} barang, {format_rupiah(part.amount_due)}",
                portal_url,
            ],
            key=f"part:{part.pk}:new",
        )
    return sum(new_part(part) for part in parts if part.producer.email)


def new_part(part: OrderPart) -> bool:
    """Tell the part's producer (by email) that it waits for them."""
    portal_url = settings.SITE_URL + reverse("catalogue:producer_part", kwargs={"part_id": part.pk})
    return _send(
        _("Pesanan baru %(number)s") % {"number": part.order.number},
        "emails/producer_new_part.txt",
        {"part": part, "order": part.order, "portal_url": portal_url},
        part.producer.email,
    )
