"""The admin site, discovering the ModelAdmins on first use (see ovop/apps.py)."""

from django.contrib import admin
from django.utils.module_loading import autodiscover_modules


class AdminSite(admin.AdminSite):
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
