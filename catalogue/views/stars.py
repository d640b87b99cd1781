"""`/bintang/`: what the "Bintang OVOP NTT" stars on a product mean, read from the rubric itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue.models import Criterion, RubricGroup
from catalogue.models.curation import RUBRIC, STAR_FLOORS, VALID_MONTHS, group_maximum


@require_safe
def stars_page(request: HttpRequest) -> HttpResponse:
    groups = [
        {
            "label": label,
            "maximum": group_maximum(value),
            "criteria": [
                (criterion.label, RUBRIC[criterion].maximum)
                for criterion in Criterion
                if RUBRIC[criterion].group == value
            ],
        }
        for value, label in RubricGroup.choices
    ]
    bands = []
    ceiling = 100
    for floor, stars in STAR_FLOORS:
        points = f"{floor}–{ceiling}" if floor else _("di bawah %(floor)d") % {"floor": ceiling + 1}
        bands.append({"stars": "★" * stars, "count": stars, "points": points})
        ceiling = floor - 1
    context = {"groups": groups, "bands": bands, "valid_months": VALID_MONTHS}
    return render(request, "catalogue/stars.html", context)
