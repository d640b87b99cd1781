"""`/sehat/`: is this app server fit to take traffic? For load balancers, uptime checks and `make loadtest`.

200 when the database and the cache both answer, 503 otherwise, with a tiny JSON body naming which
part failed. It touches neither the session nor the CSRF token (so no cookie is set), is never cached,
and sits outside i18n_patterns and the SSL redirect, so a plain-HTTP probe from the proxy works.

`HealthCheckMiddleware` answers it just below the security, static-file and CSP middleware: a probe
needs no session, locale, CSRF token, user, messages or htmx details, and skipping those layers is
most of what a probe costs (issue 17). The security headers, the CSP header and X-Frame-Options are
still added on the way out, and the Host header is still checked against ALLOWED_HOSTS.

A healthy answer is reused by this process for HEALTH_CHECK_REUSE_SECONDS (1 s by default): probes
come every few seconds and see no difference, while a flood of requests to this public, unsigned
address cannot become a flood of database and Redis round trips. A failure is never reused: the
next probe checks again.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import Error as DatabaseError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("ovop.health")

_PROBE_KEY = "ovop:sehat"
HEALTHY = {"status": "ok", "database": "ok", "cache": "ok"}


class _LastHealthy:
    """When this process last found the database and the cache answering (time.monotonic())."""

    at = float("-inf")

    @classmethod
    def is_recent(cls) -> bool:
        return time.monotonic() - cls.at < settings.HEALTH_CHECK_REUSE_SECONDS

    @classmethod
    def forget(cls) -> None:
        cls.at = float("-inf")


def database_answers() -> bool:
    """Any driver error counts (OperationalError, InterfaceError: django.db.Error is their base)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("Health check: the database does not answer (%s).", error)
        return False


def cache_answers() -> bool:
    """A real round trip; the tolerant Redis cache reports outages through ping() instead of raising."""
    ping = getattr(cache, "ping", None)
    try:
        if ping is not None:
            return bool(ping())
        cache.set(_PROBE_KEY, 1, 10)
        return cache.get(_PROBE_KEY) == 1
    except Exception as error:
        logger.warning("Health check: the cache does not answer (%s).", error)
        return False


@never_cache
@require_safe
def sehat(request: HttpRequest) -> JsonResponse:
    if _LastHealthy.is_recent():
        return JsonResponse(HEALTHY)
    checks = {"database": database_answers(), "cache": cache_answers()}
    healthy = all(checks.values())
    if healthy:
        _LastHealthy.at = time.monotonic()
    body = {"status": "ok" if healthy else "gangguan"}
    body.update({part: "ok" if answered else "gagal" for part, answered in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)


class HealthCheckMiddleware:
    """Sends `/sehat/` (wherever the URLconf puts it) straight to the view, past the lower layers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._path: str | None = None  # reversed on the first request, once the URLconf can load

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._path is None:
            self._path = reverse("sehat")
        if request.path != self._path:
            return self.get_response(request)
        request.get_host()  # a Host outside ALLOWED_HOSTS: DisallowedHost, a 400, as in CommonMiddleware
        return sehat(request)
