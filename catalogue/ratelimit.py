"""A per-IP request limit through the cache (Redis in production), as a view decorator.

A fixed one-minute window per client address: the first request of a minute creates the counter
(``cache.add``), every request increments it, and requests over the limit get the Indonesian 429
page. If the cache is unreachable the limiter lets the request through (fails open) and logs: a
broken Redis must not stop people from ordering.

The client address is ``REMOTE_ADDR``. Behind a reverse proxy set ``RATELIMIT_TRUST_X_FORWARDED_FOR``
to true; the right-most address of ``X-Forwarded-For`` (the one the proxy itself appended) is then
used. Never trust the header without a proxy that sets it: anyone could send a new address per
request.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


def client_ip(request: HttpRequest) -> str:
    if getattr(settings, "RATELIMIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [ip for ip in forwarded if ip]
        if forwarded:
            return forwarded[-1][:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


def _cache_key(scope: str, ip: str, window: int) -> str:
    digest = hashlib.sha256(ip.encode()).hexdigest()[:32]  # any address, safe for every cache backend
    return f"ratelimit:{scope}:{digest}:{window}"


def hit(scope: str, ip: str, limit: int, *, now: float | None = None) -> tuple[bool, int]:
    """Count one request; return ``(allowed, seconds until the window resets)``."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    retry_after = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    key = _cache_key(scope, ip, window)
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
        count = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): this request starts a new count.
        return True, retry_after
    except Exception:
        logger.warning("Rate limit cache unavailable; letting the request through.", exc_info=True)
        return True, retry_after
    return count <= limit, retry_after


def rate_limited(
    scope: str,
    *,
    limit: Callable[[], int],
    methods: Iterable[str] = ("POST",),
    template: str = "429.html",
) -> Callable:
    """Limit ``methods`` requests to a view to ``limit()`` per client IP per minute.

    ``limit`` is a callable so the setting is read per request (and tests can override it).
    """
    limited_methods = frozenset(method.upper() for method in methods)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in limited_methods:
                allowed, retry_after = hit(scope, client_ip(request), limit())
                if not allowed:
                    response = render(
                        request,
                        template,
                        {"retry_after": retry_after, "limit": limit()},
                        status=429,
                    )
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def checkout_limit() -> int:
    return settings.CHECKOUT_RATE_LIMIT_PER_MINUTE
