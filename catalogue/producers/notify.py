"""Messages the portal sends: the buyer hears about a shipping quote, a producer about a new part.

Mail that cannot go out is logged and never undoes the change that caused it. A new part's email
goes out once (`deliver_once`), and a mail outage makes `catalogue.tasks.notify_producers` try again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from catalogue.background.delivery import deliver_once
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
    part, catalogue/orders/notifications.py) and by email when they have one, once per part.

    Returns how many emails went out now; raises the mail server's error (after trying every
    producer) when one could not be sent, so that the task tries again."""
    parts = OrderPart.objects.filter(order_id=order_id).select_related("order", "producer")
    parts = list(parts.prefetch_related("lines"))
    for part in parts:
        items = sum(line.quantity for line in part.lines.all())
        notifications.notify(
            producer=part.producer,
            template="pesanan_baru",
            params=[
                part.producer.name,
                part.order.number,
                f"{items} barang, {format_rupiah(part.amount_due)}",
                _portal_url(part),
            ],
            key=f"part:{part.pk}:new",
        )
    sent, failure = 0, None
    for part in parts:
        if not part.producer.email:
            continue
        try:
            with translation.override(settings.LANGUAGE_CODE):  # Indonesian, whoever placed the order
                message = new_part_email(part)
            sent += deliver_once(f"part:{part.pk}:new:email", message.send)
        except OSError as error:  # SMTP errors, refused and timed-out connections: try the others
            logger.warning("Could not email part %s to its producer: %s", part.pk, error)
            failure = failure or error
    if failure is not None:
        raise failure
    return sent


def _portal_url(part: OrderPart) -> str:
    return settings.SITE_URL + reverse("catalogue:producer_part", kwargs={"part_id": part.pk})


def new_part_email(part: OrderPart) -> EmailMessage:
    """The email telling the part's producer that it waits for them."""
    return EmailMessage(
        subject=_("Pesanan baru %(number)s") % {"number": part.order.number},
        body=render_to_string(
            "emails/producer_new_part.txt",
            {"part": part, "order": part.order, "portal_url": _portal_url(part)},
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[part.producer.email],
    )
