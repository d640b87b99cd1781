"""Helpers for the back-office tests (issue 5): staff users of each group, certificates, documents,
orders written directly, and a tiny HTML form reader to post admin change forms as a browser would."""

from __future__ import annotations

import datetime
import io
import itertools
from html.parser import HTMLParser

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image

from catalogue.models import Certificate, Order, OrderLine, OrderPart, PartStatus, Product

_seq = itertools.count(1)

ADMIN_PMD = "Admin PMD"
PENDAMPING = "Pendamping PMD"
MITRA = "Mitra"
GROUPS = [ADMIN_PMD, PENDAMPING, MITRA]


def staff(group: str | None = None, *, username: str | None = None, superuser: bool = False):
    # No password: tests sign in with force_login, and hashing one costs about a second.
    user = get_user_model().objects.create_user(username=username or f"petugas{next(_seq)}", is_staff=True)
    if superuser:
        user.is_superuser = True
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def certificate(
    product: Product,
    kind: str = "bpom_md",
    number: str = "MD 224510107115",
    *,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    verified: bool = True,
) -> Certificate:
    cert = Certificate(product=product, kind=kind, number=number, issued_on=issued_on, expires_on=expires_on)
    if verified:
        cert.verified_at = timezone.now()
    cert.full_clean()
    cert.save()
    return cert


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#8a2d1c").save(buffer, fmt)
    return buffer.getvalue()


def order(
    lines: list[tuple[Product, int]],
    *,
    created_at: datetime.datetime | None = None,
    status: str = PartStatus.PAID,
) -> Order:
    """An order written directly (the checkout is another issue's): one part per producer."""
    by_producer: dict[int, list[tuple[Product, int]]] = {}
    for product, quantity in lines:
        by_producer.setdefault(product.producer_id, []).append((product, quantity))
    total = sum(product.price * quantity for product, quantity in lines)
    created = Order.objects.create(
        checkout_key=f"test-{next(_seq)}",
        buyer_name="Maria Pembeli Rahasia",
        buyer_whatsapp="+6281299990000",
        buyer_email="maria.pembeli@example.com",
        delivery="ambil",
        payment="qris",
        total=total,
        created_at=created_at or timezone.now(),
    )
    paid = status in {PartStatus.PAID, PartStatus.SHIPPED, PartStatus.READY, PartStatus.DONE}
    for producer_lines in by_producer.values():
        part = OrderPart.objects.create(
            order=created,
            producer=producer_lines[0][0].producer,
            status=status,
            paid_at=created.created_at if paid else None,
            subtotal=sum(product.price * quantity for product, quantity in producer_lines),
        )
        for product, quantity in producer_lines:
            OrderLine.objects.create(
                part=part,
                product=product,
                product_name=product.name,
                unit=product.unit,
                unit_price=product.price,
                quantity=quantity,
            )
    return created


def sign_in_records() -> None:
    """One row of each django-axes model (a failed sign-in, a sign-in, a logged failure)."""
    fields = {"username": "pmd-admin", "ip_address": "10.0.0.7", "user_agent": "uji", "path_info": "/admin/"}
    AccessAttempt.objects.create(**fields, failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.create(**fields)
    AccessFailureLog.objects.create(**fields)


def task_result(status: str = "FAILED", task_path: str = "catalogue.tasks.expire_orders"):
    """A row of the database task queue, as a worker leaves it."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    return DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        worker_ids=["w1"] if status != "READY" else [],
        exception_class_path="smtplib.SMTPServerDisconnected" if status == "FAILED" else "",
        traceback="smtplib.SMTPServerDisconnected: Connection unexpectedly closed"
        if status == "FAILED"
        else "",
    )


class _FormReader(HTMLParser):
    """Collects the successful controls of the first <form> whose id matches (or the first form)."""

    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.done = False
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select" and self._select is not None:
            value = self._select_value if self._select_value is not None else self._select_first
            self.data.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data


def form_data(html: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    """What a browser would post from the form, as a dict for the test client."""
    reader = _FormReader(form_id)
    reader.feed(html)
    result: dict[str, str | list[str]] = {}
    for name, value in reader.data:
        if name in result:
            existing = result[name]
            result[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            result[name] = value
    return result
