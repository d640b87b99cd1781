"""Order emails: a confirmation to the buyer (if they gave an address) and one to the order inbox.

Sent after the order's transaction commits (see ``checkout.place_order``); a mail server that is
down never undoes an order, it is logged.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from catalogue.models import Order

logger = logging.getLogger(__name__)


def order_context(order: Order) -> dict:
    return {
        "order": order,
        "parts": list(order.parts.all()),
        "order_url": settings.SITE_URL + order.get_absolute_url(),
        "deadline": order.payment_deadline(),
        "payment_hours": settings.ORDER_PAYMENT_HOURS,
    }


def _message(template: str, subject: str, context: dict, to: list[str]) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def send_order_emails(order_id: int) -> int:
    """Send the order's emails; return how many were sent."""
    order = Order.objects.with_parts().select_related("regency").filter(pk=order_id).first()
    if order is None:
        return 0
    # Emails go out in Indonesian, whatever language the request that placed the order used.
    with translation.override(settings.LANGUAGE_CODE):
        context = order_context(order)
        messages = []
        if order.buyer_email:
            messages.append(
                _message(
                    "emails/order_buyer.txt",
                    translation.gettext("Pesanan %(number)s diterima · Beli Produk NTT")
                    % {"number": order.number},
                    context,
                    [order.buyer_email],
                )
            )
        if settings.ORDER_INBOX_EMAIL:
            messages.append(
                _message(
                    "emails/order_inbox.txt",
                    translation.gettext("Pesanan baru %(number)s (%(parts)d produsen)")
                    % {"number": order.number, "parts": len(context["parts"])},
                    context,
                    [settings.ORDER_INBOX_EMAIL],
                )
            )
    sent = 0
    for message in messages:
        try:
            sent += message.send()
        except Exception:
            logger.exception("Could not send the email for order %s to %s.", order.number, message.to)
    return sent
