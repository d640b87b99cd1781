"""Order emails: a confirmation to the buyer (if they gave an address) and one to the order inbox.

Sent by a worker once the order's transaction has committed (``checkout.place_order`` queues
``catalogue.tasks.send_order_emails``). Each message is delivered once under its own key
(``order:<id>:buyer``, ``order:<id>:inbox``): when the mail server is down the task raises, the queue
tries again later, and a message already delivered is not sent again.

Two guards, because a buyer types part of every email and chooses where the confirmation goes:

- text a buyer typed (name, address, note) appears only inside a marked, indented quote block,
  every line of it prefixed with ``QUOTE_PREFIX`` (:func:`quoted`), so a line break in a note
  can never start a line of the email ("Pembayaran: LUNAS" in a note stays visibly a quote);
- at most ``MAX_CONFIRMATIONS_PER_HOUR`` confirmations go to one address per hour: further
  orders still succeed, their confirmation is skipped and logged (the inbox is always told).
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from catalogue.background.delivery import deliver_once
from catalogue.models import Order

logger = logging.getLogger(__name__)

QUOTE_PREFIX = "    > "
MAX_CONFIRMATIONS_PER_HOUR = 3


def _visible(line: str) -> str:
    """``line`` without control or format characters: a tab becomes a space; bidi overrides,
    zero-width characters and other controls go."""
    return "".join(
        " " if char == "\t" else char
        for char in line
        if char == "\t" or not unicodedata.category(char).startswith("C")
    )


def quoted(text: str) -> str:
    """Buyer-typed ``text`` as a quote block: every line starts with ``QUOTE_PREFIX``.

    Every kind of line break ends a line (CR, LF, CRLF, VT, FF, NEL, the Unicode line and paragraph
    separators: ``str.splitlines``), so none can start a line of the email outside the block."""
    lines = [_visible(line).rstrip() for line in text.strip().splitlines()] or [""]
    return "\n".join((QUOTE_PREFIX + line).rstrip() for line in lines)


def order_context(order: Order) -> dict:
    return {
        "order": order,
        "parts": list(order.parts.all()),
        "order_url": settings.SITE_URL + order.get_absolute_url(),
        "deadline": order.payment_deadline(),
        "payment_hours": settings.ORDER_PAYMENT_HOURS,
        "quoted": {
            "name": quoted(order.buyer_name),
            "address": quoted(order.address),
            "note": quoted(order.note),
        },
    }


def _message(template: str, subject: str, context: dict, to: list[str]) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def _may_confirm(order: Order) -> bool:
    """Whether one more confirmation may go to the order's address this hour."""
    since = timezone.now() - timedelta(hours=1)
    sent = Order.objects.confirmed_by_email_to(order.buyer_email, since=since).count()
    return sent < MAX_CONFIRMATIONS_PER_HOUR


def _confirmation(order: Order, context: dict) -> EmailMessage | None:
    if not order.buyer_email:
        return None
    if not _may_confirm(order):
        logger.warning(
            "Confirmation email for order %s skipped: %d already went to its address in the last hour.",
            order.number,
            MAX_CONFIRMATIONS_PER_HOUR,
        )
        return None
    return _message(
        "emails/order_buyer.txt",
        translation.gettext("Pesanan %(number)s diterima · Beli Produk NTT") % {"number": order.number},
        context,
        [order.buyer_email],
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
        confirmation = _confirmation(order, context)
        if confirmation is not None:
            messages.append((f"order:{order.pk}:buyer", confirmation))
        if settings.ORDER_INBOX_EMAIL:
            inbox = _message(
                "emails/order_inbox.txt",
                translation.gettext("Pesanan baru %(number)s (%(parts)d produsen)")
                % {"number": order.number, "parts": len(context["parts"])},
                context,
                [settings.ORDER_INBOX_EMAIL],
            )
            messages.append((f"order:{order.pk}:inbox", inbox))
    sent, failure = 0, None
    for key, message in messages:
        try:
            delivered = deliver_once(key, message.send)
        except OSError as error:  # SMTP errors, refused and timed-out connections: try the others
            logger.warning("Could not send the email for order %s to %s: %s", order.number, message.to, error)
            failure = failure or error
            continue
        sent += delivered
        if delivered and message is confirmation:
            Order.objects.filter(pk=order.pk).update(confirmation_sent_at=timezone.now())
    if failure is not None:
        raise failure
    return sent
