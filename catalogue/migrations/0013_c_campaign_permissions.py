"""Who may do what with the campaign's models (the matrix of 0004, extended).

- Admin PMD: everything (sets the monthly target, edits and imports agencies).
- Pendamping PMD: keeps the agency list, follows quotation requests and campaign purchases.
- Mitra: reads the agency list and the targets; never a campaign purchase (it carries the NIP).
"""

from django.db import migrations

from catalogue.migrations import _permissions

CAMPAIGN_MODELS = ("agency", "campaigntarget", "campaignpurchase", "quoterequest")
ALL = ("view", "add", "change", "delete")

GRANTS = {
    "Admin PMD": {model: ALL for model in CAMPAIGN_MODELS} | {"agency": (*ALL, "import")},
    "Pendamping PMD": {
        "agency": ("view", "add", "change", "import"),
        "campaigntarget": ("view",),
        "campaignpurchase": ("view",),
        "quoterequest": ("view", "change"),
    },
    "Mitra": {"agency": ("view",), "campaigntarget": ("view",)},
}


def grant(apps, schema_editor):
    _permissions.grant(apps, "catalogue", GRANTS)


def revoke(apps, schema_editor):
    _permissions.revoke(apps, "catalogue", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0012_c_campaign")]
    operations = [migrations.RunPython(grant, revoke)]
