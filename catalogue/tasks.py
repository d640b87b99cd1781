"""Background work through Django's tasks framework, and the schedule of the periodic jobs.

Thin on purpose: each task calls a service. settings.TASK_QUEUE chooses where tasks run (README
"Background work"): in the database queue, run by `manage.py run_worker`, or at once (development).
``catalogue.tasks.expire_orders`` is named in the README and stays here.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.tasks import task

from catalogue import housekeeping, reminders
from catalogue.background.retry import retry_later
from catalogue.background.scheduler import Job
from catalogue.backoffice import curation
from catalogue.orders import emails, expiry
from catalogue.producers import notify


@task
def expire_orders() -> int:
    """Cancel QRIS parts unpaid past ORDER_PAYMENT_HOURS and cash parts unconfirmed past
    COD_CONFIRM_HOURS, and return their stock."""
    return expiry.expire_orders()


@task
def send_order_emails(order_id: int, attempt: int = 1) -> int | dict:
    """Confirm a new order to the buyer (when an email was given) and announce it to the inbox;
    while the mail server is down, try again later (each message goes out once)."""
    try:
        return emails.send_order_emails(order_id)
    except OSError as error:  # SMTP errors, refused and timed-out connections
        return retry_later(send_order_emails, order_id, attempt=attempt, error=error)


@task
def notify_producers(order_id: int, attempt: int = 1) -> int | dict:
    """Tell each producer of a new order that a part waits for them; while the mail server is down,
    try again later (each producer's email goes out once, and WhatsApp is queued once per part)."""
    try:
        return notify.new_parts(order_id)
    except OSError as error:  # SMTP errors, refused and timed-out connections
        return retry_later(notify_producers, order_id, attempt=attempt, error=error)


@task
def remind_certificates() -> int:
    return reminders.remind_certificates()


@task
def remind_producers() -> int:
    return reminders.remind_producers()


@task
def remind_curations() -> int:
    return curation.remind_expiring()


@task
def clean_up() -> dict[str, int]:
    return housekeeping.clean_up()


#: The periodic jobs (README "Background work"); `manage.py run_job NAME` runs one now.
SCHEDULE: list[Job] = [
    Job(
        "expire_orders",
        expire_orders,
        every=timedelta(minutes=5),
        description="Membatalkan bagian pesanan yang melewati batas bayar/konfirmasi; stok kembali.",
    ),
    Job(
        "remind_certificates",
        remind_certificates,
        daily_at=time(7, 0),
        description="Mengingatkan petugas: sertifikat berakhir dalam 90, 30 dan 7 hari.",
    ),
    Job(
        "remind_producers",
        remind_producers,
        daily_at=time(8, 0),
        description="Mengingatkan produsen yang pesanannya menunggu lebih dari 24 jam.",
    ),
    Job(
        "remind_curations",
        remind_curations,
        daily_at=time(7, 30),
        description="Mengingatkan petugas: kurasi Bintang OVOP NTT berakhir dalam 90, 30 dan 7 hari.",
    ),
    Job(
        "clean_up",
        clean_up,
        daily_at=time(3, 0),
        description="Menghapus berkas impor lebih dari 1 jam, sesi kedaluwarsa, catatan antrean lama.",
    ),
]
