"""One-time sign-in links for producers, and the users they sign in.

A link carries a random token; only its SHA-256 is stored, with an expiry (``PRODUCER_LINK_MINUTES``)
and the moment it was used. Using it is one conditional UPDATE (``used_at IS NULL AND expires_at >
now``), so two taps on the same link sign in at most one phone. The user it signs in belongs to the
producer and the contact the link was sent to: no usable password, never staff.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import identifiers
from catalogue.models import Producer, ProducerLoginLink, ProducerMember
from catalogue.models.producers import hash_token

logger = logging.getLogger(__name__)

SESSION_DAYS = 30


def issue(producer: Producer, *, contact: str = "", now: datetime | None = None) -> str:
    """A new one-time sign-in URL (absolute, from ``SITE_URL``) for ``producer``."""
    token = secrets.token_urlsafe(32)
    now = now or timezone.now()
    ProducerLoginLink.objects.create(
        producer=producer,
        contact=contact,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.PRODUCER_LINK_MINUTES),
    )
    return settings.SITE_URL + reverse("catalogue:producer_link", kwargs={"token": token})


def consume(token: str, *, now: datetime | None = None) -> ProducerMember | None:
    """The member this link signs in, or None when it is unknown, used or expired. Single use."""
    now = now or timezone.now()
    with transaction.atomic():
        usable = ProducerLoginLink.objects.usable(now=now).filter(token_hash=hash_token(token))
        link = usable.select_related("producer").first()
        if link is None or not usable.filter(pk=link.pk).update(used_at=now):
            return None
        return member_for(link.producer, link.contact)


def member_for(producer: Producer, contact: str = "") -> ProducerMember:
    """The producer's user for this contact, created on first use (no password, not staff)."""
    member = ProducerMember.objects.select_related("user").filter(producer=producer, contact=contact).first()
    if member is not None:
        return member
    digest = hashlib.sha256(f"{producer.pk}:{contact}".encode()).hexdigest()[:10]
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=f"produsen-{producer.pk}-{digest}", is_staff=False, is_superuser=False
            )  # no password given: create_user sets an unusable one
            return ProducerMember.objects.create(user=user, producer=producer, contact=contact)
    except IntegrityError:  # the same contact signed in at the same moment from another phone
        return ProducerMember.objects.select_related("user").get(producer=producer, contact=contact)


def normalise_contact(raw: str) -> str:
    """A WhatsApp number in E.164 form, or an email in lower case; "" when it is neither."""
    raw = (raw or "").strip()
    if "@" in raw:
        return raw.lower()[:254]
    try:
        return identifiers.normalize_whatsapp(raw)
    except ValidationError:
        return ""


def producers_for(contact: str) -> list[Producer]:
    """Producers reachable at ``contact`` (their own number or email, or a member's contact)."""
    if not contact:
        return []
    field = "email__iexact" if "@" in contact else "whatsapp"
    known = Producer.objects.filter(**{field: contact}) | Producer.objects.filter(members__contact=contact)
    return list(known.distinct().order_by("pk"))


def invitation_text(producer: Producer, url: str) -> str:
    return _(
        "Halo %(name)s, ini tautan masuk ke halaman pesanan Beli Produk NTT: %(url)s . "
        "Tautan hanya bisa dipakai sekali dan berlaku %(minutes)d menit. Jangan teruskan ke orang lain."
    ) % {"name": producer.name, "url": url, "minutes": settings.PRODUCER_LINK_MINUTES}


def whatsapp_share_link(producer: Producer, url: str) -> str:
    """A wa.me link that opens a chat with the producer, the invitation already typed."""
    text = invitation_text(producer, url)
    if producer.whatsapp:
        return identifiers.whatsapp_link(producer.whatsapp, text)
    return "https://wa.me/?text=" + quote(text, safe="")  # no number: the officer picks the chat


def send_by_email(producer: Producer, url: str, *, to: str = "") -> bool:
    """Email the link to ``to`` (or the producer's address). Returns whether a message went out."""
    address = to or producer.email
    if not address:
        return False
    message = EmailMessage(
        subject=_("Tautan masuk Beli Produk NTT"),
        body=invitation_text(producer, url),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    try:
        message.send()
    except Exception:  # a mail server down is logged, never a 500 on the sign-in page
        logger.exception("Could not email a sign-in link to producer %s.", producer.pk)
        return False
    return True
