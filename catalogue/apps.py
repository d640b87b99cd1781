from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from catalogue.middleware import check_csrf_slot_middleware, install_csrf_strings


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Katalog, pendampingan dan pesanan")

    def ready(self) -> None:
        checks.register(check_csrf_slot_middleware, checks.Tags.security)
        install_csrf_strings()
        # Imported here, not at the top: signals imports the models, which Django loads only after
        # it has imported every AppConfig.
        from catalogue import signals  # noqa: F401  (connects the receivers)
        from catalogue.search import fts

        # SQLite's search index and its triggers, which migrations know nothing of (search/fts.py).
        post_migrate.connect(fts.after_migrate, sender=self, dispatch_uid="catalogue.search_index")
