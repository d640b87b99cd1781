"""The public pages' expensive parts, kept in the shared cache, and one number that invalidates them.

Every cached piece of a public page (a `{% cache %}` fragment in the template, or the small dict of
head data a view keeps with :func:`page_data`) depends on

- the catalogue's version (:func:`current_version`, a number in the cache under ``catalogue:version``)
  and today's date in WITA (a certificate's last valid day ends at midnight),
- the active language,
- the page's address *as the page understands it* (:func:`cache_path`): the path and only the query
  parameters the storefront reads, without empty values, in a fixed order. Links shared on social
  media carry ``fbclid``/``utm_*`` values that differ for every click; they must not make every
  visitor of a campaign burst miss the cache, nor be copied into other visitors' pages.

A fragment has all three in its key. The head data has the language and address in its key and
carries its version inside, so that one read (a Redis MGET) brings both the current version and the
head data of the page: a warm page costs two cache round trips, that one and its fragment's. For a
visitor without a session the whole page is kept the same way (catalogue/pagecache.py): one round trip.

The models own the invalidation: whatever changes what shoppers see (a product, its images,
certificates or stages, its stock, a producer, a category, a village or region) calls :func:`bump`,
and the next request reads a new version, so every old entry is simply never asked for again and
expires (``PUBLIC_FRAGMENT_CACHE_SECONDS``, default 600; 0 turns the fragment cache off). The list of
those models and the signals they send (save, delete, many-to-many) live in catalogue/signals.py; their
QuerySets derive from :class:`PublicQuerySet`, whose bulk writes (``update()`` for stock and
certificate verification, ``bulk_create``, ``bulk_update``), which send no signal, bump too. No call
site bumps by hand.

Nothing personal is ever inside a cached piece: the cart badge and messages are outside every
fragment, and a form inside one carries ``{% csrf_slot %}`` (a fixed marker, like the ``<body>``'s
``{% csrf_token_slot %}``) that catalogue.middleware.CsrfSlotMiddleware replaces with the visitor's
own token.

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
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone, translation

from ovop.cache_recovery import on_recovery  # not ovop.cache: that one loads redis-py

logger = logging.getLogger(__name__)

VERSION_KEY = "catalogue:version"
DEFAULT_SECONDS = 600
#: What `{% csrf_slot %}` writes inside a cached fragment. It starts with "<", which no escaped text
#: (product names, stories, search words, JSON-LD) can produce.
CSRF_SLOT = "<!--csrf-slot-->"
#: The same for the token alone (the `<body>`'s htmx headers), written by `{% csrf_token_slot %}`.
CSRF_TOKEN_SLOT = "<!--csrf-token-slot-->"  # noqa: S105  (a marker, not a secret)
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


def bump_on_change(using: str | None = None) -> None:
    """Bump now, and again when the surrounding transaction commits (once, however many writes).

    Now: this process (and a test inside its transaction) sees the change at once. At commit: a page
    rendered by another request between the first bump and the commit read the old rows, and was
    cached under the new number; the second bump leaves it behind."""
    bump()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
        transaction.on_commit(bump, using=using, robust=True)


# --- the models that public pages show own their invalidation ---------------------------------------


class PublicQuerySet(models.QuerySet):
    """The QuerySet of a model the public pages show: its bulk writes, which send no signal, bump.

    Saves, deletes (also a QuerySet's `delete()`, which sends `post_delete` per row once a receiver
    listens) and many-to-many changes bump through the receivers :func:`watch` connects."""

    def update(self, **kwargs) -> int:
        changed = super().update(**kwargs)
        if changed:
            bump_on_change(self.db)
        return changed

    def bulk_create(self, objs, *args, **kwargs) -> list:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump_on_change(self.db)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        if changed:
            bump_on_change(self.db)
        return changed


def _changed(sender, using: str | None = None, action: str = "post_save", **kwargs) -> None:
    """A receiver of post_save, post_delete and m2m_changed (whose `action` is pre_… or post_…)."""
    if action.startswith("post_"):
        bump_on_change(using)


def watch(*models_shown: type[models.Model]) -> None:
    """Bump on every save and delete of these models, and on every change of their many-to-many
    relations: they are what the public pages show (catalogue/signals.py lists them)."""
    for model in models_shown:
        name = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalogue.caching.save.{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"catalogue.caching.delete.{name}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _changed, sender=through, dispatch_uid=f"catalogue.caching.m2m.{name}.{field.name}"
            )


# --- keys -------------------------------------------------------------------------------------------


#: The query parameters a public page reads: the fields of the catalogue's filter form
#: (catalogue/filters.py, CatalogueFilter) and `page`. Any other parameter (`fbclid`, `utm_*`) is left
#: out of the keys. tests/catalogue/test_caching.py keeps this in step with the filter form.
PAGE_PARAMETERS = ("q", "kategori", "kabupaten", "sertifikat", "bintang", "urut", "page")


def cache_path(request: HttpRequest) -> str:
    """The page's address as far as its content goes: `/produk/?kabupaten=ngada&urut=nama`."""
    params = sorted((name, value) for name in PAGE_PARAMETERS if (value := request.GET.get(name, "")))
    return request.path + (f"?{urlencode(params)}" if params else "")


def request_version(request: HttpRequest) -> str:
    """The version and the WITA date, read once per request (the view and the template agree)."""
    version = getattr(request, _VERSION_ATTR, None)
    if version is None:
        version = _remember_version(request, current_version())
    return version


def _remember_version(request: HttpRequest, version: int) -> str:
    dated = f"{version}.{timezone.localdate().isoformat()}"
    setattr(request, _VERSION_ATTR, dated)
    return dated


def data_key(request: HttpRequest, name: str) -> str:
    """Key of a page's head data: per language, scheme and host too, since it holds absolute URLs.
    Not per version: the entry carries the version it was computed for (see page_data)."""
    parts = [translation.get_language() or "", request.scheme, request.get_host(), cache_path(request)]
    digest = hashlib.md5("\n".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"catalogue:page:{name}:{digest}"


def read_with_version(request: HttpRequest, key: str) -> object:
    """The entry at `key`, and the catalogue version for this request, in one round trip."""
    try:
        found = cache.get_many([key] if hasattr(request, _VERSION_ATTR) else [VERSION_KEY, key])
    except Exception:
        logger.warning("Could not read %s from the cache.", key, exc_info=True)
        found = {}
    if not hasattr(request, _VERSION_ATTR):
        version = found.get(VERSION_KEY)
        try:
            _remember_version(request, int(version))
        except (TypeError, ValueError):  # missing (first use, evicted, cache down) or garbled
            request_version(request)
    return found.get(key)


def page_data(request: HttpRequest, name: str, compute: Callable[[], dict]) -> dict:
    """`compute()` (the view's own small data: titles, canonical URLs, JSON-LD), cached with the
    fragments, and stored with the version it was computed for: an entry of an older version is
    computed again. The version and the entry come in one read. An exception from `compute`
    (Http404) propagates and nothing is stored."""
    if not enabled():
        return compute()
    key = data_key(request, name)
    stored = read_with_version(request, key)
    version = request_version(request)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == version:
        return stored[1]
    data = compute()
    store(key, (version, data))
    return data


def store(key: str, value: object) -> None:
    """Keep `value` for the fragments' lifetime. Never raises: a cache that cannot keep it only
    means the next request computes it again."""
    try:
        cache.set(key, value, seconds())
    except Exception:
        logger.warning("Could not store %s in the cache.", key, exc_info=True)
