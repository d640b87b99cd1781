"""The sign-in form's rules: who gets a link, and when the form stops answering.

Rate limits: ``PRODUCER_SIGNIN_RATE_LIMIT_PER_MINUTE`` POSTs per IP and minute (catalogue/ratelimit.py),
and a lock-out like the staff login's: after ``PRODUCER_SIGNIN_LOCKOUT_ATTEMPTS`` requests for one
contact, or from one IP, within ``PRODUCER_SIGNIN_LOCKOUT_MINUTES``, no link is sent until the window
ends. Counters live in the cache; an unreachable cache lets the request through (and logs).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from . import links

logger = logging.getLogger(__name__)


def _over_limit(scope: str, value: str) -> bool:
    key = f"producer-signin:{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
    try:
        cache.add(key, 0, timeout=settings.PRODUCER_SIGNIN_LOCKOUT_MINUTES * 60)
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr(): a fresh window
        return False
    except Exception:
        logger.warning("Sign-in lock-out cache unavailable; letting the request through.", exc_info=True)
        return False
    return count > settings.PRODUCER_SIGNIN_LOCKOUT_ATTEMPTS


def allow(*, contact: str, ip: str) -> bool:
    """Count one request for ``contact`` from ``ip``; False once either is locked out."""
    over_contact = _over_limit("contact", contact)
    over_ip = _over_limit("ip", ip)
    return not (over_contact or over_ip)


def lockout_context() -> dict:
    return {"minutes": settings.PRODUCER_SIGNIN_LOCKOUT_MINUTES}


def send_links(contact: str) -> int:
    """Email a fresh link to each producer reachable at ``contact`` that has an email address (the
    typed email itself when that is how they matched). Returns how many went out; callers never
    tell the visitor, so the page cannot be used to find out who is a producer."""
    sent = 0
    for producer in links.producers_for(contact):
        to = contact if "@" in contact else producer.email
        if to and links.send_by_email(producer, links.issue(producer, contact=contact), to=to):
            sent += 1
    return sent
