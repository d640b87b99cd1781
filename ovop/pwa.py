"""The installable shop (PWA): the web app manifest, the service worker and the offline page.

The service worker is served from /sw.js (not /static/) so that its scope is the whole site; it is a
file like any other script, so the Content-Security-Policy needs nothing inline. What it caches, and
what it never caches (/admin/, /produsen/, POST answers): templates/pwa/sw.js.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

#: Bump when the service worker's caching changes: old caches are dropped on activation.
SW_VERSION = "1"
OFFLINE_PATH = "/offline/"


@require_safe
@cache_control(max_age=0, no_cache=True)  # browsers check for a new worker on every visit
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "version": SW_VERSION,
        "offline_url": OFFLINE_PATH,
        "static_url": settings.STATIC_URL,
        "media_url": settings.MEDIA_URL,
    }
    response = render(request, "pwa/sw.js", context, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@cache_control(max_age=60 * 60 * 24)
def manifest(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/manifest.webmanifest", content_type="application/manifest+json")


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page that was never visited, without a connection."""
    return render(request, "pwa/offline.html")
