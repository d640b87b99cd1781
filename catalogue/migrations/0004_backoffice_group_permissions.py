"""What each staff group may do in the back office (issue 5).

- Admin PMD: everything, including users and groups.
- Pendamping PMD (field officers): products, their images, pipeline stages and certificates,
  producers, villages; orders read-only (buyers' contact details visible there); no users or groups.
- Mitra (partners such as BPOM or Bank NTT): read-only products, pipeline and certificates; nothing
  about orders or buyers.

The matrix is frozen here (a migration must not change meaning when the code does); a later model
that staff should reach needs its own data migration. tests/catalogue/test_admin_permissions.py walks
every admin URL for every group and fails for a registered model missing from its own table.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ("view",)
READ_WRITE = ("view", "add", "change", "delete")

PENDAMPING = {
    "catalogue": {
        "product": READ_WRITE,
        "productimage": READ_WRITE,
        "stage": ("view", "change"),
        "stagechange": VIEW,
        "certificate": READ_WRITE,
        "producer": READ_WRITE,
        "category": VIEW,
        "order": VIEW,
        "orderpart": VIEW,
        "orderline": VIEW,
    },
    "villages": {
        "province": VIEW,
        "regency": VIEW,
        "district": VIEW,
        "village": ("view", "add", "change"),
    },
}

MITRA = {
    "catalogue": {
        "product": VIEW,
        "productimage": VIEW,
        "stage": VIEW,
        "stagechange": VIEW,
        "certificate": VIEW,
        "producer": VIEW,
        "category": VIEW,
    },
    "villages": {"province": VIEW, "regency": VIEW, "district": VIEW, "village": VIEW},
}

ADMIN_APPS = ["admin", "auth", "contenttypes", "sessions", "catalogue", "villages"]


def ensure_permissions(apps) -> None:
    """Permissions are normally created after all migrations (post_migrate); make them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def codenames(matrix: dict) -> list[tuple[str, str]]:
    return [
        (app_label, f"{action}_{model}")
        for app_label, models in matrix.items()
        for model, actions in models.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        wanted = set(pairs)
        found = [
            perm
            for perm in Permission.objects.select_related("content_type").filter(
                content_type__app_label__in={app for app, _ in wanted}
            )
            if (perm.content_type.app_label, perm.codename) in wanted
        ]
        missing = wanted - {(perm.content_type.app_label, perm.codename) for perm in found}
        if missing:
            raise RuntimeError(f"Permissions missing: {sorted(missing)}")
        return found

    admin, _ = Group.objects.get_or_create(name="Admin PMD")
    admin.permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    pendamping, _ = Group.objects.get_or_create(name="Pendamping PMD")
    pendamping.permissions.set(permissions(codenames(PENDAMPING)))
    mitra, _ = Group.objects.get_or_create(name="Mitra")
    mitra.permissions.set(permissions(codenames(MITRA)))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Admin PMD", "Pendamping PMD", "Mitra"]):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_backoffice_documents_and_defaults"),
        ("villages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
