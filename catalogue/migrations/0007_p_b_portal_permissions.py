"""Who may see the producer portal's records in the back office.

- Admin PMD: everything on the new models (shipping rates, order events, producers' users, links).
- Pendamping PMD: edits shipping rates, reads each part's status history, sees and removes a
  producer's users (a lost phone); never the sign-in links.
- Mitra: nothing (rates and events belong to orders).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NEW_MODELS = ["shippingrate", "orderevent", "producermember", "producerloginlink"]
PENDAMPING = {
    "shippingrate": ("view", "add", "change", "delete"),
    "orderevent": ("view",),
    "producermember": ("view", "delete"),
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    catalogue = Permission.objects.filter(content_type__app_label="catalogue")
    admin, _ = Group.objects.get_or_create(name="Admin PMD")
    admin.permissions.add(*catalogue.filter(content_type__model__in=NEW_MODELS))
    pendamping, _ = Group.objects.get_or_create(name="Pendamping PMD")
    wanted = [f"{action}_{model}" for model, actions in PENDAMPING.items() for action in actions]
    pendamping.permissions.add(*catalogue.filter(codename__in=wanted))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    new = Permission.objects.filter(content_type__app_label="catalogue", content_type__model__in=NEW_MODELS)
    for group in Group.objects.filter(name__in=["Admin PMD", "Pendamping PMD"]):
        group.permissions.remove(*new)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0007_p_a_portal")]

    operations = [migrations.RunPython(grant, revoke)]
