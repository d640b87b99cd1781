"""The public pages' expensive parts, kept in the shared cache, and one number that invalidates them.

Every cached piece of a public page (a `{% cache %}` fragment in the template, or the small dict of
head data a view keeps with :func:`page_data`) has a key made of

- the catalogue's version (:func:`current_version`, a number in the cache under ``catalogue:version``)
  and today's date in WITA (a certificate's last valid day ends at midnight),
- the active language,
- the page's address *as the page understands it* (:func:`cache_path`): the path and only the query
  parameters the storefront reads, without empty values, in a fixed order. Links shared on social
  media carry ``fbclid``/``utm_*`` values that differ for every click; they must not make every
  visitor of a campaign burst miss the cache, nor be copied into other visitors' pages.

Whatever changes what shoppers see (a product, its images or certificates, its stock, a producer, a
category, a village or region) calls :func:`bump`: the next request reads a new version, so every
old entry is simply never asked for again and expires (``PUBLIC_FRAGMENT_CACHE_SECONDS``, default
600; 0 turns the fragment cache off). Receivers live in catalogue/signals.py; writes that bypass
signals (``QuerySet.update()`` for stock, bulk imports) call :func:`bump_on_change` themselves.

Nothing personal is ever inside a cached piece: the cart badge, messages and the CSRF token of the
``<body>`` are outside every fragment, and a form inside one carries ``{% csrf_slot %}`` (a fixed
marker) that catalogue.middleware.CsrfSlotMiddleware replaces with the visitor's own token.

The cache may be down (ovop.cache.TolerantRedisCache makes that a miss) or misbehave: nothing here
ever raises because of it; a version that cannot be read is a fresh, never used number, so pages are
rendered from the database rather than served stale.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from ovop.cache import on_recovery

logger = logging.getLogger(__name__)

VERSION_KEY = "catalogue:version"
DEFAULT_SECONDS = 600
#: What `{% csrf_slot %}` writes inside a cached fragment. It starts with "<", which no escaped text
#: (product names, stories, search words, JSON-LD) can produce.
CSRF_SLOT = "<!--csrf-slot-->"
_VERSION_ATTR = "_catalogue_cache_version"


def seconds() -> int:
    """How long a fragment lives; 0 means fragments are not cached at all."""
    return max(int(getattr(settings, "PUBLIC_FRAGMENT_CACHE_SECONDS", DEFAULT_SECONDS)), 0)


def enabled() -> bool:
    return seconds() > 0


# --- the version ------------------------------------------------------------------------------------


def _fresh() -> int:
    """A version number no earlier run has used: microseconds since 1970, times 1000, plus noise.

    Used when the counter is missing (first use, evicted, cache cleared or down). Counting up from
    1 instead could meet fragments still stored under an old 1, 2, 3… and serve them."""
    return time.time_ns() // 1000 * 1000 + secrets.randbelow(1000)


def current_version() -> int:
    """The catalogue's version, created on first read."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            fresh = _fresh()
            if cache.add(VERSION_KEY, fresh, timeout=None):
                return fresh
            version = cache.get(VERSION_KEY)
            if version is None:  # the cache cannot keep it: a number nobody shares, every read misses
                return fresh
        return int(version)
    except Exception:  # a broken cache must not take the shop down with it
        logger.warning("Could not read %s from the cache; rendering without it.", VERSION_KEY, exc_info=True)
        return _fresh()


def bump() -> None:
    """Invalidate every public fragment at once. Never raises."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there: whatever was cached under an older number is unreachable anyway
        try:
            cache.set(VERSION_KEY, _fresh(), timeout=None)
        except Exception:
            logger.warning("Could not reset %s in the cache.", VERSION_KEY, exc_info=True)
    except Exception:
        logger.warning("Could not bump %s in the cache.", VERSION_KEY, exc_info=True)


# A bump dropped while this process could not reach Redis (the officer's edit was saved, but other app
# servers still read the old version there) is made again as soon as Redis answers (ovop/cache.py).
on_recovery(bump)


def bump_on_change() -> None:
    """Bump now, and again when the surrounding transaction commits.

    Now: this process (and a test inside its transaction) sees the change at once. At commit: a page
    rendered by another request between the first bump and the commit read the old rows, and was
    cached under the new number; the second bump leaves it behind."""
    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump, robust=True)


# --- keys -------------------------------------------------------------------------------------------


def query_params() -> tuple[str, ...]:
    """The query parameters a public page reads: the catalogue's filters and `page`."""
    from catalogue.filters import CatalogueFilter

    return (*CatalogueFilter.base_fields, "page")


def cache_path(request: HttpRequest) -> str:
    """The page's address as far as its content goes: `/produk/?kabupaten=ngada&urut=nama`."""
    params = sorted((name, value) for name in query_params() if (value := request.GET.get(name, "")))
    return request.path + (f"?{urlencode(params)}" if params else "")


def request_version(request: HttpRequest) -> str:
    """The version and the WITA date, read once per request (the view and the template agree)."""
    version = getattr(request, _VERSION_ATTR, None)
    if version is None:
        version = f"{current_version()}.{timezone.localdate().isoformat()}"
        setattr(request, _VERSION_ATTR, version)
    return version


def data_key(request: HttpRequest, name: str) -> str:
    """Key of a page's head data: also per scheme and host, since it holds absolute URLs."""
    parts = [
        request_version(request),
        translation.get_language() or "",
        request.scheme,
        request.get_host(),
        cache_path(request),
    ]
    digest = hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"catalogue:page:{name}:{digest}"


def page_data(request: HttpRequest, name: str, compute: Callable[[], dict]) -> dict:
    """`compute()` (the view's own small data: titles, canonical URLs, JSON-LD), cached with the
    fragments. An exception from `compute` (Http404) propagates and nothing is stored."""
    if not enabled():
        return compute()
    key = data_key(request, name)
    try:
        data = cache.get(key)
    except Exception:
        logger.warning("Could not read %s from the cache.", key, exc_info=True)
        data = None
    if data is None:
        data = compute()
        try:
            cache.set(key, data, seconds())
        except Exception:
            logger.warning("Could not store %s in the cache.", key, exc_info=True)
    return data


# --- the CSRF slot needs its middleware --------------------------------------------------------------

SLOT_MIDDLEWARE = "catalogue.middleware.CsrfSlotMiddleware"
CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"


@checks.register(checks.Tags.security)
def check_csrf_slot_middleware(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Forms in cached fragments carry `{% csrf_slot %}`; without the middleware they would fail."""
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
