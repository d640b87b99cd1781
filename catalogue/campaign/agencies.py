"""The agencies that buy for the campaign: the provincial OPD (fixtures/agencies-ntt.csv) and the
government of every regency and city in the database. Loading is idempotent and never renames or
deactivates what officers edited."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings

from catalogue.models import Agency, AgencyKind
from villages.models import Regency

AGENCIES_CSV = Path(settings.BASE_DIR) / "fixtures" / "agencies-ntt.csv"


def load_agencies(path: Path = AGENCIES_CSV) -> int:
    """Create the agencies that are missing; return how many were created."""
    existing = set(Agency.objects.values_list("name", flat=True))
    new: list[Agency] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["nama"].strip()
            if name and name not in existing:
                new.append(Agency(name=name, kind=row["jenis"].strip() or AgencyKind.PROVINCIAL))
                existing.add(name)
    for regency in Regency.objects.order_by("code"):
        name = f"Pemerintah {regency.name}"
        if name not in existing:
            new.append(Agency(name=name, kind=AgencyKind.REGENCY_GOVERNMENT, regency=regency))
            existing.add(name)
    for agency in new:
        agency.save()  # save() fills the slug
    return len(new)
