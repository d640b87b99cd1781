"""Uploaded media for a one-machine production try (`make serve`), only when SERVE_MEDIA=1.

Whitenoise serves static files but not uploads. A real deployment lets nginx serve MEDIA_ROOT
(`location /media/ { alias ...; }`, README "Beyond one machine") or keeps media on S3-compatible
storage; this view exists so `make serve` shows the product photos without a web server in front.
Django's static view refuses paths outside MEDIA_ROOT and answers If-Modified-Since with 304.
Private documents (evidence, certificate scans) live in PRIVATE_MEDIA_ROOT and are never reachable here.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

MEDIA_MAX_AGE = 24 * 60 * 60


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response
