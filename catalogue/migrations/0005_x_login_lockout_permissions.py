"""Only Admin PMD sees and clears the sign-in lock-outs (django-axes' admin, issue 10): viewing and
deleting an access attempt is how an officer unlocks a colleague before LOGIN_LOCKOUT_MINUTES pass.
Pendamping PMD and Mitra get nothing of axes (the attempts hold usernames and addresses)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AXES_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("accessattempt", "accesslog", "accessfailurelog")
    for action in ("view", "delete")
]


def grant(apps, schema_editor):
    axes = apps.get_app_config("axes")
    axes.models_module = True
    create_permissions(axes, apps=apps, verbosity=0)
    axes.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin PMD")
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=AXES_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Admin PMD"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="axes"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_backoffice_group_permissions"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
