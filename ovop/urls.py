from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path
from django.views.decorators.cache import cache_page

from . import health, media, pwa, views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("sehat/", health.sehat, name="sehat"),  # health check: no language prefix, no SSL redirect
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sw.js", pwa.service_worker, name="service_worker"),  # scope /: not under /static/
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path(
        "sitemap.xml",
        cache_page(60 * 60)(sitemap_view),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("tentang/", views.about, name="about"),
    path("", include("catalogue.urls")),
    path("", include("catalogue.urls.places")),  # keeps the villages: URL names
    prefix_default_language=False,
)

handler403 = "ovop.views.permission_denied"
handler404 = "ovop.views.page_not_found"
handler500 = "ovop.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_MEDIA:
    # `make serve` on one machine; behind nginx, /media/ is an alias instead (README).
    urlpatterns += [path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media.media, name="media")]
