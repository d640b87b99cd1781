"""Order emails: a confirmation to the buyer (if they gave an address) and one to the order inbox.

Sent after the order's transaction commits (see ``checkout.place_order``); a mail server that is
down never undoes an order, it is logged.

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
    """Send the order's emails; return how many were sent."""
    order = Order.objects.with_parts().select_related("regency").filter(pk=order_id).first()
    if order is None:
        return 0
    # Emails go out in Indonesian, whatever language the request that placed the order used.
    with translation.override(settings.LANGUAGE_CODE):
        context = order_context(order)
        confirmation = _confirmation(order, context)
        inbox = None
        if settings.ORDER_INBOX_EMAIL:
            inbox = _message(
                "emails/order_inbox.txt",
                translation.gettext("Pesanan baru %(number)s (%(parts)d produsen)")
                % {"number": order.number, "parts": len(context["parts"])},
                context,
                [settings.ORDER_INBOX_EMAIL],
            )
    sent = 0
    for message in (confirmation, inbox):
        if message is None:
            continue
        try:
            sent += message.send()
        except Exception:
            logger.exception("Could not send the email for order %s to %s.", order.number, message.to)
            continue
        if message is confirmation:
            Order.objects.filter(pk=order.pk).update(confirmation_sent_at=timezone.now())
    return sent
