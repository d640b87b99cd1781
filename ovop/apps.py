"""The project's app configurations."""

from django.contrib.admin.apps import SimpleAdminConfig


class OvopAdminConfig(SimpleAdminConfig):
    """django.contrib.admin with the project's site (ovop/admin_site.py: a guarded "view on site"), whose
    ModelAdmins (each app's admin.py) load when the admin is first used.

    Django's own AdminConfig imports every admin.py at start-up, and with them django-import-export,
    tablib and openpyxl: about a quarter of a second of every process, also of commands that never
    show a page (`import_villages`, issue 17). The site imports them on first use instead: its URLs,
    its checks, or any code that reads its registry.
    """

    default_site = "ovop.admin_site.OvopAdminSite"
