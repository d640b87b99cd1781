from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Katalog, pendampingan dan pesanan")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
