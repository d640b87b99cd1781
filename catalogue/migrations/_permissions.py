"""Grant group permissions from a data migration (a model added after 0004 needs its own grant).

Not a migration itself: the loader skips modules whose name starts with an underscore.
"""

from django.contrib.auth.management import create_permissions


def _ensure_permissions(apps) -> None:
    """Permissions are normally created after all migrations (post_migrate); make them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permissions(apps, app_label: str, actions_by_model: dict):
    Permission = apps.get_model("auth", "Permission")
    wanted = {f"{action}_{model}" for model, actions in actions_by_model.items() for action in actions}
    found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=wanted))
    missing = wanted - {perm.codename for perm in found}
    if missing:
        raise RuntimeError(f"Permissions missing: {sorted(missing)}")
    return found


def grant(apps, app_label: str, grants: dict) -> None:
    """grants: {group name: {model name: (action, ...)}}."""
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    for group_name, actions_by_model in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*_permissions(apps, app_label, actions_by_model))


def revoke(apps, app_label: str, grants: dict) -> None:
    Group = apps.get_model("auth", "Group")
    for group_name, actions_by_model in grants.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, app_label, actions_by_model))
