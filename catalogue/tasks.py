"""Background work, through Django's tasks framework (settings.TASKS; immediate locally)."""

from __future__ import annotations

from django.tasks import task

from catalogue import emails, services


@task
def expire_orders() -> int:
    """Cancel QRIS order parts left unpaid past ORDER_PAYMENT_HOURS and return their stock."""
    return services.expire_orders()


@task
def send_order_emails(order_id: int) -> int:
    """Confirm a new order to the buyer (when an email was given) and announce it to the inbox."""
    return emails.send_order_emails(order_id)
