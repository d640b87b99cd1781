"""Background work, through Django's tasks framework (settings.TASKS; immediate locally).

Thin: each task calls the order side's service. ``catalogue.tasks.expire_orders`` is named in the
README and stays here.
"""

from __future__ import annotations

from django.tasks import task

from catalogue.orders import emails, expiry


@task
def expire_orders() -> int:
    """Cancel QRIS order parts left unpaid past ORDER_PAYMENT_HOURS and return their stock."""
    return expiry.expire_orders()


@task
def send_order_emails(order_id: int) -> int:
    """Confirm a new order to the buyer (when an email was given) and announce it to the inbox."""
    return emails.send_order_emails(order_id)
