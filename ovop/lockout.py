"""Password guessing: a sign-in name is locked from one client address after AXES_FAILURE_LIMIT
failures, for LOGIN_LOCKOUT_MINUTES (django-axes, database handler).

The admin login needs nothing from here: Django's `authenticate()` goes through axes' backend
(AUTHENTICATION_BACKENDS), and axes' middleware answers a locked request with `page()`. The client
address is the one the checkout's rate limit counts (`catalogue.ratelimit.client_ip`: REMOTE_ADDR,
or the proxy's X-Forwarded-For entry when RATELIMIT_TRUST_X_FORWARDED_FOR is on), if it is one.
Admin PMD unlocks by deleting the row in the admin's "Access attempts" list.

Another sign-in form (the producer portal, signing in by WhatsApp number) shares the same lock and
the same unlock list with three calls, keyed by a scope so its names never meet admin usernames:

    name = lockout.name("produsen", contact)
    if lockout.is_locked(request, name):
        return lockout.page(request)
    if not the_code_is_right:
        lockout.failed(request, name)            # the fifth failure locks at once
        return lockout.page(request) if lockout.is_locked(request, name) else form_again
    lockout.succeeded(request, name)             # forgets the earlier failures
"""

from __future__ import annotations

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalogue.ratelimit import client_ip


def client_address(request: HttpRequest) -> str | None:
    """The client address axes counts (AXES_CLIENT_IP_CALLABLE): the rate limit's, when it is an IP
    address at all. A request without one (a test's bare HttpRequest, a unix socket) or a garbled
    X-Forwarded-For gives None, which axes stores as empty (PostgreSQL refuses anything else in its
    address column)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def name(scope: str, identifier: str) -> str:
    """The name a non-admin sign-in is counted under, e.g. `produsen:+6281234567890`."""
    return f"{scope}:{identifier}"


def _credentials(username: str) -> dict[str, str]:
    return {"username": username}


def is_locked(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(username))


def failed(request: HttpRequest, username: str) -> None:
    """Count one failed sign-in for `username` from this request's address."""
    user_login_failed.send(sender=__name__, credentials=_credentials(username), request=request)


def succeeded(request: HttpRequest, username: str) -> None:
    """Forget the failures of `username` from this address (a right answer before the limit)."""
    AxesProxyHandler.reset_attempts(ip_address=client_address(request), username=username)


def page(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The Indonesian lock-out page (AXES_LOCKOUT_CALLABLE): 429 with the time to wait."""
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    response = render(
        request,
        "lockout.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
