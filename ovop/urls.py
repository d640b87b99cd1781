from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Beli Produk NTT · Dinas PMD"
admin.site.site_title = "Kantor OVOP NTT"
admin.site.index_title = "Program One Village One Product"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("catalogue.urls")),
    path("", include("villages.urls")),
    prefix_default_language=False,
)

handler404 = "ovop.views.page_not_found"
handler500 = "ovop.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
