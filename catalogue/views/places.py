"""Public pages of places: a regency (kabupaten/kota) and a village by its Kemendagri code, with the
producers and products there. They live in catalogue because they list what catalogue sells (villages
knows nothing of catalogue); their templates stay in templates/villages/ and their URL names stay
`villages:regency` and `villages:village` (catalogue/urls/places.py).

Their listings are one cached fragment each and their head data is cached with it
(catalogue/caching.py): views hand the templates lazy values, read only on a cache miss.
"""

from __future__ import annotations

from itertools import groupby
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from catalogue import caching, compiled, escaping
from catalogue.addresses import url_template
from catalogue.models import Producer, Product
from catalogue.models.products import cards_of
from catalogue.pagecache import whole_page
from villages.models import Regency, Village

PRODUCTS_SHOWN = 24
PLACES_SHOWN = 24


@require_safe
@whole_page("regency")
def regency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    regency = SimpleLazyObject(lambda: compiled.one_or_404(regency_by_slug, [slug]))
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
    """What the regency page lists, read as plain rows: a regency has hundreds of villages and can
    have hundreds of producers, so they are tuples with their addresses built from one URL lookup
    each, not model instances with one lookup per link (59 ms to 9 ms of CPU for a regency of 278
    villages and producers). Loci and producers show the first PLACES_SHOWN and a count; every
    village stays listed, grouped by district."""
    village_url = url_template("villages:village", "code")
    producer_url = url_template("catalogue:producer", "slug")
    # Each kind translated once, not once a village (a regency has hundreds).
    kinds = {kind: str(label) for kind, label in Village.Kind.choices}
    rows = compiled.values(villages_of, [regency.code])
    # Each district's "Kecamatan …" translated once, not once a village (a blocktranslate in the
    # template's loops cost more than the rest of their rendering).
    labels = {district: district_label(district) for district in {row[-1] for row in rows}}
    villages = [
        PlaceRow(village_url(code), name, kinds.get(kind, ""), locus, commodity, district, labels[district])
        for code, name, kind, locus, commodity, district in rows
    ]
    # The first producers with their count, and apart the villages that have one: the page shows
    # PLACES_SHOWN of a regency's hundreds of producers, and joining every one to its village made
    # PostgreSQL read all the villages (1.0 ms, against 0.2 + 0.2 ms for these two).
    producers = compiled.values(producers_of, [regency.code, regency.code], PLACES_SHOWN)
    producing = {code for (code,) in compiled.values(producing_villages, [regency.code])}
    # Compared by code, not by an address built for every producing village.
    loci = [
        village
        for village, (code, *_rest) in zip(villages, rows, strict=True)
        if village.is_locus or code in producing
    ]
    # The code twice: once for the products, once for their count (compiled.py: a value used twice
    # would make the statement be built again on every call).
    products = compiled.values(products_of, [regency.code, regency.code], PRODUCTS_SHOWN)
    return {
        "loci": loci[:PLACES_SHOWN],
        "more_loci": max(len(loci) - PLACES_SHOWN, 0),
        "districts": [
            (group[0].district_label, village_links([(v.url, v.name) for v in group]), len(group))
            for group in (list(g) for _d, g in groupby(villages, key=lambda v: v.district))
        ],
        "village_count": len(villages),
        "producers": [
            {"url": producer_url(slug), "name": name, "village": village}
            for name, slug, village, _count in producers
        ],
        "more_producers": max((producers[0][3] if producers else 0) - PLACES_SHOWN, 0),
        "products": cards_of([pk for pk, _count in products]),
        "product_count": products[0][1] if products else 0,
    }


# The places pages' statements, compiled once (catalogue/compiled.py): the page's own row by its
# slug or code, and a regency's listing by the regency's code.


def regency_by_slug(slugs: list[str]) -> QuerySet:
    return Regency.objects.select_related("province").filter(slug=slugs[0])


def village_by_code(codes: list[str]) -> QuerySet:
    return Village.objects.with_places().filter(code=codes[0])


def villages_of(codes: list[str]) -> QuerySet:
    return (
        Village.objects.in_regency(codes[0])
        .order_by("district__name", "district__code", "name")
        .values_list("code", "name", "kind", "is_ovop_locus", "commodity", "district__name")
    )


def producers_of(codes: list[str], shown: int) -> QuerySet:
    """The first `shown` producers of the regency `codes[0]` by name, with their village's name, each
    with the count of the producers of `codes[1]` (the same regency), as products_of() does."""
    count = compiled.counted(Producer.objects.in_regency(codes[1]))
    return (
        Producer.objects.in_regency(codes[0])
        .order_by("name", "pk")
        .values_list("name", "slug", "village__name", Subquery(count))[:shown]
    )


def producing_villages(codes: list[str]) -> QuerySet:
    """The codes of the villages of the regency `codes[0]` that have a producer."""
    return Producer.objects.in_regency(codes[0]).order_by().values_list("village_id").distinct()


def products_of(codes: list[str], shown: int) -> QuerySet:
    """The first `shown` published products of the regency `codes[0]`, featured first, each with the
    count of the published products of `codes[1]` (the same regency: one query for the cards' ids
    and the "Lihat semua" count). Both read from their index (Product.Meta: product_regency_listing),
    the count as a subquery the database runs once; a window count (COUNT(*) OVER ()) made it read
    every product of the regency: 0.7 ms for 800 on SQLite."""
    count = compiled.counted(Product.objects.published().in_regency(codes[1]))
    return (
        Product.objects.published()
        .in_regency(codes[0])
        .order_by("-is_featured", "name")
        .values_list("pk", Subquery(count))[:shown]
    )


class PlaceRow(NamedTuple):
    url: str
    name: str
    kind: str
    is_locus: bool
    commodity: str
    district: str
    district_label: str  # "Kecamatan …", in the page's language


def district_label(district: str) -> str:
    return gettext("Kecamatan %(district)s") % {"district": district}


def village_links(villages: list[tuple[str, str]]) -> SafeString:
    """A district's villages as list items, escaped; joined in Python, since a template loop over
    hundreds of links costs several milliseconds."""
    return escaping.join_html('<li><a href="{}">{}</a></li>', villages)


@require_safe
@whole_page("village")
def village_detail(request: HttpRequest, code: str) -> HttpResponse:
    village = SimpleLazyObject(lambda: compiled.one_or_404(village_by_code, [code]))
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
    """What a village's page lists: its satellite villages, the loci it supplies, its producers and
    their published products. Each query's SQL compiled once (catalogue/compiled.py): built by
    Django on every request, the four took more than half of a cold village page (5.3 ms)."""
    products = compiled.values(village_products, [village.code], PRODUCTS_SHOWN)
    return {
        "satellites": compiled.rows(satellites_of, [village.code]),
        "supplied_loci": compiled.rows(loci_supplied_by, [village.code]),
        "producers": compiled.rows(producers_in, [village.code]),
        "products": cards_of([pk for (pk,) in products]),
    }


# A village's listing by the village's code, compiled once.


def satellites_of(codes: list[str]) -> QuerySet:
    return Village.objects.with_places().filter(supplied_loci=codes[0]).order_by("name")


def loci_supplied_by(codes: list[str]) -> QuerySet:
    return Village.objects.with_places().filter(satellite_villages=codes[0]).order_by("name")


def producers_in(codes: list[str]) -> QuerySet:
    """The village's producers by name, each with `product_count`: its published products."""
    return (
        Producer.objects.filter(village=codes[0])
        .annotate(product_count=Count("products", filter=Q(products__is_published=True)))
        .order_by("name")
    )


def village_products(codes: list[str], shown: int) -> QuerySet:
    """The ids of the first `shown` published products of the village, featured first."""
    return (
        Product.objects.published()
        .in_village(codes[0])
        .order_by("-is_featured", "name")
        .values_list("pk")[:shown]
    )
