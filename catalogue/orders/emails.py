"""Order emails: a confirmation to the buyer (if they gave an address) and one to the order inbox.

Sent by a worker once the order's transaction has committed (``checkout.place_order`` queues
``catalogue.tasks.send_order_emails``). Each message is delivered once under its own key
(``order:<id>:buyer``, ``order:<id>:inbox``): when the mail server is down the task raises, the queue
tries again later, and a message already delivered is not sent again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from catalogue.background.delivery import deliver_once
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
    """Send the order's emails not sent yet; return how many were sent now. Raises the mail server's
    error (after trying every message) when one could not be sent."""
    order = Order.objects.with_parts().select_related("regency").filter(pk=order_id).first()
    if order is None:
        return 0
    # Emails go out in Indonesian, whatever language the request that placed the order used.
    with translation.override(settings.LANGUAGE_CODE):
        context = order_context(order)
        messages = []
        if order.buyer_email:
            messages.append(
                (
                    f"order:{order.pk}:buyer",
                    _message(
                        "emails/order_buyer.txt",
                        translation.gettext("Pesanan %(number)s diterima · Beli Produk NTT")
                        % {"number": order.number},
                        context,
                        [order.buyer_email],
                    ),
                )
            )
        if settings.ORDER_INBOX_EMAIL:
            messages.append(
                (
                    f"order:{order.pk}:inbox",
                    _message(
                        "emails/order_inbox.txt",
                        translation.gettext("Pesanan baru %(number)s (%(parts)d produsen)")
                        % {"number": order.number, "parts": len(context["parts"])},
                        context,
                        [settings.ORDER_INBOX_EMAIL],
                    ),
                )
            )
    sent, failure = 0, None
    for key, message in messages:
        try:
            sent += deliver_once(key, message.send)
        except OSError as error:  # SMTP errors, refused and timed-out connections: try the others
            logger.warning("Could not send the email for order %s to %s: %s", order.number, message.to, error)
            failure = failure or error
    if failure is not None:
        raise failure
    return sent
