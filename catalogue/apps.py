from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from catalogue.middleware import check_csrf_slot_middleware


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Katalog, pendampingan dan pesanan")

    def ready(self) -> None:
        checks.register(check_csrf_slot_middleware, checks.Tags.security)
        # Imported here, not at the top: signals imports the models, which Django loads only after
        # it has imported every AppConfig.
        from catalogue import signals  # noqa: F401  (connects the receivers)
