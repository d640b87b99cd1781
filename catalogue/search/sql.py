"""The search's SQL on every engine: LIKE (`icontains`) over the products, their categories and places.

A product matches when every query word has a term (words.terms) in its name, English name,
description, category, producer, village or regency. On SQLite every comparison is `icontains`
(LIKE, with apostrophes removed by REPLACE: `sei` finds `Se'i`); PostgreSQL (search/postgres.py)
swaps the product's own texts for its full-text index and keeps these functions for the small place
and category tables, whose `icontains` its trigram indexes answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import and_, or_

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Replace

from catalogue.models import Category, Producer
from villages.models import Regency, Village

PRODUCT_FIELDS = ("name", "name_en", "short_description", "short_description_en")
NAME_FIELDS = ("name", "name_en")

#: The ranking, identical on every engine: a match in the product's name, then in its category,
#: then anywhere else (place, producer, description).
IN_NAME, IN_CATEGORY, ELSEWHERE = 3, 2, 1


def unquoted(field: str) -> Replace:
    """The column without apostrophes (the query is folded without them too)."""
    return Replace(F(field), Value("'"), Value(""))


def plain(*fields: str) -> dict[str, Replace]:
    """Aliases `<field>_plain`: the column without apostrophes."""
    return {f"{field}_plain": unquoted(field) for field in fields}


def contains(field: str, term: str) -> Q:
    """`field` contains `term`, ignoring case and apostrophes (use on a QuerySet aliased by plain())."""
    return Q(**{f"{field}_plain__icontains": term})


def any_of(field: str, alternatives: list[str]) -> Q:
    return reduce(or_, (contains(field, term) for term in alternatives))


def in_fields(fields: tuple[str, ...], alternatives: list[str]) -> Q:
    """One of the terms in one of the product's fields (aliased by plain(*PRODUCT_FIELDS))."""
    return reduce(or_, (any_of(field, alternatives) for field in fields))


def matching_producers(alternatives: list[str]) -> QuerySet:
    """Producers whose own name, village name or regency name contains one of the terms.

    These small tables (thousands of rows, not tens of thousands) are searched once per word, and
    products are then matched on their producer: far cheaper than joining four tables for every
    product and comparing five columns per row.
    """
    regencies = Regency.objects.alias(**plain("name")).filter(any_of("name", alternatives)).values("code")
    villages = (
        Village.objects.alias(**plain("name"))
        .filter(any_of("name", alternatives) | Q(district__regency__in=regencies))
        .values("code")
    )
    return (
        Producer.objects.alias(**plain("name"))
        .filter(any_of("name", alternatives) | Q(village__in=villages))
        .values("pk")
    )


def matching_categories(alternatives: list[str]) -> QuerySet:
    return Category.objects.alias(**plain("name", "name_en")).filter(
        any_of("name", alternatives) | any_of("name_en", alternatives)
    )


def matching(
    products: QuerySet,
    per_word: list[list[str]],
    places: list[list[str]],
    *,
    in_name: Callable[[list[str]], Q] = lambda terms: in_fields(NAME_FIELDS, terms),
    in_text: Callable[[list[str]], Q] = lambda terms: in_fields(PRODUCT_FIELDS, terms),
) -> QuerySet:
    """The products with a term of every word somewhere, annotated with `search_rank`.

    `in_name(terms)` and `in_text(terms)` say how the product's own name and texts are compared
    (LIKE here; the full-text index on PostgreSQL); categories and places always use LIKE.
    `places` are the terms searched in the place tables (no English meanings: those name products).
    """
    in_category = [Q(category__in=matching_categories(terms).values("pk")) for terms in per_word]
    anywhere = reduce(
        and_,
        (
            in_text(terms) | category | Q(producer__in=matching_producers(place_terms))
            for terms, category, place_terms in zip(per_word, in_category, places, strict=True)
        ),
    )
    return (
        products.alias(**plain(*PRODUCT_FIELDS))
        .filter(anywhere)
        .annotate(
            search_rank=Case(
                When(reduce(and_, (in_name(terms) for terms in per_word)), then=Value(IN_NAME)),
                When(reduce(and_, in_category), then=Value(IN_CATEGORY)),
                default=Value(ELSEWHERE),
                output_field=IntegerField(),
            )
        )
    )
