"""Faults become clear answers: a database outage is a 503 page in Indonesian, an unreadable body a 400.

`ServiceUnavailableMiddleware` sits high in MIDDLEWARE (just inside the security and CSP middleware,
above sessions and auth) and catches a database outage wherever it surfaces:

- in a view or a template (its `process_exception`),
- in a middleware below it, e.g. the session saved on the way out or the user loaded by auth
  (Django turns those into a 500 response one layer down; the `got_request_exception` receiver
  marks the request, and this middleware swaps that 500 for the 503).

A request body that cannot be parsed is a 400 even where Django's own 400 handler fails on it again
(it re-reads the body for its CSRF check): that second failure is marked the same way and its 500
swapped for a plain 400.

The 503 page is rendered from templates/503.html without context processors, so it needs no database.
Nothing is kept between requests: when PostgreSQL answers again, the next request simply connects
(CONN_HEALTH_CHECKS drops the broken persistent connection), so the site recovers by itself.
"""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("ovop.faults")

DATABASE_DOWN = (OperationalError, InterfaceError)
#: A body Django cannot parse (too big, too many fields, broken multipart, non-UTF-8 form charset).
BAD_BODY = (BadRequest, SuspiciousOperation, MultiPartParserError, UnreadablePostError)
RETRY_AFTER_SECONDS = 30
_MARK = "_ovop_database_down"
_BAD_BODY_MARK = "_ovop_bad_body"


def service_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 page: Indonesian text, no database, never cached, with Retry-After."""
    try:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    except Exception:  # e.g. a static manifest missing an entry: the outage still gets its answer
        logger.exception("The 503 page could not be rendered; answering in plain text.")
        response = HttpResponse(
            "Layanan sedang tidak tersedia. Silakan muat ulang halaman ini dalam beberapa saat.",
            content_type="text/plain; charset=utf-8",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def bad_request(request: HttpRequest, error: Exception) -> HttpResponse:
    """A plain 400 that reads nothing more from the request (the body is what is broken)."""
    logger.info("Unreadable request body on %s %s: %s", request.method, request.path, error)
    return HttpResponseBadRequest(
        "Permintaan tidak dapat dibaca: isi formulir rusak atau terlalu besar.",
        content_type="text/plain; charset=utf-8",
    )


@receiver(got_request_exception, dispatch_uid="ovop.middleware.mark_database_down")
def mark_database_down(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Sent from inside Django's except block, so sys.exc_info() is the exception being handled."""
    error = sys.exc_info()[1]
    if request is None:
        return
    if isinstance(error, DATABASE_DOWN):
        setattr(request, _MARK, error)
    elif isinstance(error, BAD_BODY):
        # Django answers these with 400, but its 400 handler reads the body again through the CSRF
        # check; when that raises too (a form posted with charset=latin-1), the answer becomes a 500.
        setattr(request, _BAD_BODY_MARK, error)


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_DOWN as error:  # only if something below let it escape unconverted
            return self._unavailable(request, error)
        if response.status_code >= 500:
            if (error := getattr(request, _MARK, None)) is not None:
                return self._unavailable(request, error)
            if (error := getattr(request, _BAD_BODY_MARK, None)) is not None:
                return bad_request(request, error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            return self._unavailable(request, exception)
        if isinstance(exception, UnreadablePostError):
            # The client hung up or sent a body shorter than its Content-Length: its fault, not ours.
            return bad_request(request, exception)
        return None

    @staticmethod
    def _unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
        return service_unavailable(request)
