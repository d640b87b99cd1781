"""The project's admin site: Django's own, with a "view on site" shortcut that asks for permission,
and the ModelAdmins discovered on first use (see ovop/apps.py).

Django's shortcut (`/admin/r/<content type>/<id>/`) checks only `is_staff` before redirecting to the
object's public address. For an order that address is the shopper's private token page, so a partner
(Mitra) could walk the sequential order ids and read every buyer's name and address. Here the
shortcut answers only to staff who may view (or change) that kind of object; anyone else gets the
same 404 as for an object that does not exist.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _


def may_view_model(user, model) -> bool:
    """Whether `user` holds the view or change permission of `model` (as the admin grants them)."""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


class OvopAdminSite(admin.AdminSite):
    site_header = "Beli Produk NTT · Dinas PMD"
    site_title = "Kantor OVOP NTT"
    index_title = "Program One Village One Product"

    def __init__(self, *args, **kwargs) -> None:
        self._discovered = False
        super().__init__(*args, **kwargs)

    @property
    def _registry(self) -> dict:
        if not self._discovered:
            self._discovered = True  # first, so that registering from the admin modules reads as usual
            autodiscover_modules("admin", register_to=self)
        return self._models

    @_registry.setter
    def _registry(self, value: dict) -> None:
        self._models = value

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, OverflowError, ContentType.DoesNotExist):
            model = None
        if model is None or not may_view_model(request.user, model):
            raise Http404(_("Halaman tidak ditemukan."))
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def get_urls(self) -> list:
        guarded = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [
            guarded if isinstance(url, URLPattern) and url.name == "view_on_site" else url
            for url in super().get_urls()
        ]
