"""Template context of the storefront. Nothing here touches the database."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from catalogue import caching


def public_cache(request: HttpRequest) -> dict:
    """What a `{% cache %}` fragment of a public page varies on (catalogue/caching.py)::

        {% cache catalogue_cache_seconds "name" catalogue_cache_version LANGUAGE_CODE catalogue_cache_path %}

    The version is read from the cache only when a template asks for it, so the admin and other
    pages without fragments never do."""
    return {
        "catalogue_cache_seconds": caching.seconds(),
        "catalogue_cache_version": SimpleLazyObject(partial(caching.request_version, request)),
        "catalogue_cache_path": SimpleLazyObject(partial(caching.cache_path, request)),
    }
