"""Public pages of places: a regency (kabupaten/kota) and a village by its Kemendagri code, with the
producers and products there. They live in catalogue because they list what catalogue sells (villages
knows nothing of catalogue); their templates stay in templates/villages/ and their URL names stay
`villages:regency` and `villages:village` (catalogue/urls/places.py).

Their listings are one cached fragment each and their head data is cached with it
(catalogue/caching.py): views hand the templates lazy values, read only on a cache miss.
"""

from __future__ import annotations

from itertools import groupby

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from catalogue import caching
from catalogue.models import Producer, Product
from villages.models import Regency, Village

PRODUCTS_SHOWN = 24


@require_safe
def regency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    regency = SimpleLazyObject(
        lambda: get_object_or_404(Regency.objects.select_related("province"), slug=slug)
    )
    head = caching.page_data(
        request,
        "regency",
        lambda: {
            "name": regency.name,
            "canonical_url": request.build_absolute_uri(regency.get_absolute_url()),
        },
    )
    context = {
        "regency": regency,
        "listing": SimpleLazyObject(lambda: regency_listing(regency)),
        "head": head,
        "canonical_url": head["canonical_url"],
    }
    return render(request, "villages/regency_detail.html", context)


def regency_listing(regency: Regency) -> dict:
    villages = list(
        Village.objects.in_regency(regency)
        .select_related("district")
        .order_by("district__name", "district__code", "name")
    )
    producers = list(Producer.objects.in_regency(regency).with_places().order_by("name"))
    producing = {producer.village_id for producer in producers}
    products = Product.objects.published().for_cards().in_regency(regency).order_by("-is_featured", "name")
    return {
        "loci": [village for village in villages if village.is_ovop_locus or village.code in producing],
        "districts": [
            (district, list(group)) for district, group in groupby(villages, key=lambda v: v.district)
        ],
        "village_count": len(villages),
        "producers": producers,
        "products": products[:PRODUCTS_SHOWN],
        "product_count": products.count(),
    }


@require_safe
def village_detail(request: HttpRequest, code: str) -> HttpResponse:
    village = SimpleLazyObject(lambda: get_object_or_404(Village.objects.with_places(), code=code))
    head = caching.page_data(
        request,
        "village",
        lambda: {
            "kind": village.get_kind_display(),
            "name": village.name,
            "regency": village.district.regency.name,
            "canonical_url": request.build_absolute_uri(village.get_absolute_url()),
        },
    )
    context = {
        "village": village,
        "listing": SimpleLazyObject(lambda: village_listing(village)),
        "head": head,
        "canonical_url": head["canonical_url"],
    }
    return render(request, "villages/village_detail.html", context)


def village_listing(village: Village) -> dict:
    return {
        "satellites": list(village.satellite_villages.with_places().order_by("name")),
        "supplied_loci": list(village.supplied_loci.with_places().order_by("name")),
        "producers": list(
            village.producers.annotate(
                product_count=Count("products", filter=Q(products__is_published=True))
            ).order_by("name")
        ),
        "products": Product.objects.published()
        .for_cards()
        .in_village(village)
        .order_by("-is_featured", "name")[:PRODUCTS_SHOWN],
    }
