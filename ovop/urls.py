from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path
from django.views.decorators.cache import cache_page

from . import health, media, views
from .sitemaps import SITEMAPS

admin.site.site_header = "Beli Produk NTT · Dinas PMD"
admin.site.site_title = "Kantor OVOP NTT"
admin.site.index_title = "Program One Village One Product"

urlpatterns = [
    path("sehat/", health.sehat, name="sehat"),  # health check: no language prefix, no SSL redirect
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots_txt"),
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
    path("", include("villages.urls")),
    prefix_default_language=False,
)

handler403 = "ovop.views.permission_denied"
handler404 = "ovop.views.page_not_found"
handler500 = "ovop.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_MEDIA:
    # `make serve` on one machine; behind nginx, /media/ is an alias instead (README).
    urlpatterns += [path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media.media, name="media")]
