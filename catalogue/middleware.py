"""Each visitor's own CSRF token in forms that come out of the shared cache.

A cached fragment (catalogue/caching.py) is rendered once and served to everyone, so a form inside it
cannot carry `{% csrf_token %}`: the first visitor's token would be sent to all the others (and
would not match their cookie). Such forms use `{% csrf_slot %}` (catalogue/templatetags/storefront.py),
which writes a fixed marker; this middleware replaces every marker of an HTML response with a hidden
input holding this visitor's token, exactly what `{% csrf_token %}` writes.

It must sit *after* django.middleware.csrf.CsrfViewMiddleware in MIDDLEWARE: responses pass the
middleware in reverse order, so asking for the token here happens before the CSRF middleware decides
whether to set the cookie (catalogue.E001, below, says so at `manage.py check`). Streaming responses
are left alone (they are never fragment pages).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.middleware.csrf import get_token
from django.utils.html import format_html

from catalogue import caching

_SLOT = caching.CSRF_SLOT.encode()
_TOKEN_SLOT = caching.CSRF_TOKEN_SLOT.encode()
SLOT_MIDDLEWARE = "catalogue.middleware.CsrfSlotMiddleware"
CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"


class CsrfSlotMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        return fill_csrf_slots(request, response)


def fill_csrf_slots(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return response
    content = response.content
    has_field, has_token = _SLOT in content, _TOKEN_SLOT in content
    if not (has_field or has_token):
        return response
    token = get_token(request)
    if has_field:
        field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
        content = content.replace(_SLOT, field.encode(response.charset))
    if has_token:  # letters and digits only: nothing to escape
        content = content.replace(_TOKEN_SLOT, token.encode(response.charset))
    response.content = content
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response


def check_csrf_slot_middleware(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Forms in cached fragments carry `{% csrf_slot %}`; without this middleware they would fail.
    Registered by catalogue/apps.py."""
    middleware = list(settings.MIDDLEWARE)
    if (
        SLOT_MIDDLEWARE in middleware
        and CSRF_MIDDLEWARE in middleware
        and middleware.index(SLOT_MIDDLEWARE) > middleware.index(CSRF_MIDDLEWARE)
    ):
        return []
    return [
        checks.Error(
            f"{SLOT_MIDDLEWARE} must be in MIDDLEWARE, after {CSRF_MIDDLEWARE}.",
            hint="It writes each visitor's CSRF token into forms served from the fragment cache.",
            id="catalogue.E001",
        )
    ]


# --- Django's CSRF secrets and masks, from one read of the random source ---------------------------

#: Bytes below this pick a character (4 × 62: letters and digits); the rest are skipped, so that no
#: character is likelier than another.
_UNBIASED = 256 - 256 % len(csrf.CSRF_ALLOWED_CHARS)


def new_csrf_string() -> str:
    """CSRF_SECRET_LENGTH letters and digits from the operating system's random source, as Django's
    `_get_new_csrf_string()` makes a visitor's secret and each response's mask. Django draws them with
    `secrets.choice`, one system call per character: 64 calls for a visitor without the cookie (every
    first page, every crawler), about a sixth of a page served whole from the cache. Here one read of
    48 bytes gives them (about 1 in 33 reads needs a second). Installed by CatalogueConfig.ready()."""
    chars, length = csrf.CSRF_ALLOWED_CHARS, csrf.CSRF_SECRET_LENGTH
    picked: list[str] = []
    while len(picked) < length:
        picked += [chars[byte % len(chars)] for byte in secrets.token_bytes(48) if byte < _UNBIASED]
    return "".join(picked[:length])


def install_csrf_strings() -> None:
    """Django's CSRF middleware makes its secrets and masks with new_csrf_string(); the tokens are the
    same kind (letters and digits, CSRF_SECRET_LENGTH of them), checked the same way."""
    csrf._get_new_csrf_string = new_csrf_string
