from django.contrib.admin.apps import AdminConfig


class OvopAdminConfig(AdminConfig):
    """django.contrib.admin with the project's site (ovop/admin_site.py) as `admin.site`."""

    default_site = "ovop.admin_site.OvopAdminSite"
