"""Only the `Admin PMD` group may import regions and village mappings (villages.import_village).

The group comes from catalogue 0002_staff_groups; when it does not exist nothing is granted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Admin PMD"
CODENAME = "import_village"


def grant(apps, schema_editor):
    villages = apps.get_app_config("villages")
    villages.models_module = True  # permissions are normally made after all migrations
    create_permissions(villages, apps=apps, verbosity=0)
    villages.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return
    permission = Permission.objects.get(content_type__app_label="villages", codename=CODENAME)
    group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="villages", codename=CODENAME)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("villages", "0002_village_import_permission"),
        ("catalogue", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
