"""Whole public pages for visitors who bring nothing of their own, in one cache round trip.

A visitor without a session (no cart, not signed in) and without a pending message sees exactly what
every other such visitor sees on the same address, in the same language, at the same catalogue
version (catalogue/caching.py), except two values made for each response: the CSP nonce and the CSRF
token. So the page the view renders is kept whole, with the nonce replaced by a marker; the CSRF token
is already a marker there (`{% csrf_slot %}` in forms, `{% csrf_token_slot %}` in the `<body>`'s htmx
headers). The next such visitor gets it back after one read that brings the catalogue's version and
the page together (one Redis MGET), with a fresh nonce written in; the middleware outside the view then
does what it does for every page: catalogue.middleware.CsrfSlotMiddleware writes this visitor's token,
Django's CSP middleware sends the header with this response's nonce, LocaleMiddleware, the security
headers. Nothing is skipped but the view and its templates.

Everything else keeps the fragment cache: a shopper with a cart (the badge is theirs), staff, htmx
swaps (a partial answer), addresses with tracking parameters (`?utm_source=…`, which the language links
carry: the canonical address alone is kept, catalogue.caching.cache_path), and every response that
sets a cookie or writes the session. With PUBLIC_FRAGMENT_CACHE_SECONDS=0 it is off with the fragments.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

from catalogue import caching

#: Stands for the response's CSP nonce in a kept page. It starts with "<", which no escaped text can
#: produce, so only the places where the nonce was are filled.
NONCE_SLOT = b"<!--csp-nonce-slot-->"
#: Headers the outer middleware sets for each response; only the view's own are kept with the page.
_NOT_KEPT = {"content-length", "set-cookie", "content-security-policy", "content-security-policy-report-only"}


def servable(request: HttpRequest) -> bool:
    """Whether this request may be answered with, and may leave, a whole kept page."""
    return (
        caching.enabled()
        and request.method in ("GET", "HEAD")
        and not request.headers.get("HX-Request")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and get_nonce(request) is not None
        and request.get_full_path() == caching.cache_path(request)
    )


def keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """A page that holds this visitor's own CSRF token is never kept: a template that wrote
    `{% csrf_token %}` rather than `{% csrf_slot %}` (asking for the token marks the request's cookie
    for an update) would otherwise hand the first visitor's token to every later one."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
        and response.get("Content-Type", "").startswith("text/html")
    )


def whole_page(name: str) -> Callable:
    """Keep the view's page whole for visitors without a session (see the module's docstring)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not servable(request):
                return view(request, *args, **kwargs)
            key = caching.data_key(request, f"whole:{name}")
            stored = caching.read_with_version(request, key)
            version = caching.request_version(request)
            if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == version:
                return replay(request, headers=stored[1], body=stored[2])
            response = view(request, *args, **kwargs)
            if keepable(request, response):
                caching.store(key, (version, kept_headers(response), kept_body(request, response)))
            return response

        return wrapper

    return decorator


def kept_headers(response: HttpResponse) -> list[tuple[str, str]]:
    return [(header, value) for header, value in response.items() if header.lower() not in _NOT_KEPT]


def kept_body(request: HttpRequest, response: HttpResponse) -> bytes:
    nonce = get_nonce(request)
    body = response.content
    if nonce:  # generated, so written into the page: put the marker in its place
        body = body.replace(str(nonce).encode(), NONCE_SLOT)
    return body


def replay(request: HttpRequest, *, headers: list[tuple[str, str]], body: bytes) -> HttpResponse:
    if NONCE_SLOT in body:
        body = body.replace(NONCE_SLOT, str(get_nonce(request)).encode())
    response = HttpResponse(body)
    for header, value in headers:
        response[header] = value
    return response
