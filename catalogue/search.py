"""Catalogue search: case- and accent-insensitive on SQLite and PostgreSQL, without extensions.

The shopper's query is folded in Python (accents and apostrophes removed, lower case) and split into
words; a product matches when every word is found in at least one of its searchable texts. On the
database side apostrophes are removed with REPLACE and the comparison is case-insensitive
(`icontains`: LIKE on SQLite, UPPER(...) LIKE UPPER(...) on PostgreSQL), so `sei` finds `Se'i`,
`KÓPI` finds `Kopi`, and `tablolong` finds every product of the village Tablolong.
"""

from __future__ import annotations

import unicodedata
from functools import reduce
from operator import and_

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

MAX_WORDS = 6  # bounds the size of the SQL a single query can produce
MAX_QUERY_LENGTH = 100
APOSTROPHES = "'’‘`´ʼ"


def fold(text: str) -> str:
    """Lower case, without accents or apostrophes: `Kópi SE’I` → `kopi sei`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in APOSTROPHES:
        plain = plain.replace(mark, "")
    return plain.casefold()


def words(query: str) -> list[str]:
    """The distinct folded words of a query, at most MAX_WORDS, printable characters only."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in query[:MAX_QUERY_LENGTH])
    seen: list[str] = []
    for word in fold(cleaned).split():
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def contains(field: str, word: str) -> Q:
    """`field` contains `word`, ignoring case and apostrophes (use on a QuerySet aliased by plain())."""
    return Q(**{f"{field}_plain__icontains": word})


def plain(*fields: str) -> dict[str, Replace]:
    """Aliases `<field>_plain`: the column without apostrophes."""
    return {f"{field}_plain": Replace(F(field), Value("'"), Value("")) for field in fields}


def matching_producers(word: str) -> QuerySet:
    """Producers whose own name, village name or regency name contains the word.

    These small tables (thousands of rows, not tens of thousands) are searched once per word, and
    products are then matched on their producer: far cheaper than joining four tables for every
    product and comparing five columns per row.
    """
    from catalogue.models import Producer
    from villages.models import Regency, Village

    regencies = Regency.objects.alias(**plain("name")).filter(contains("name", word)).values("code")
    villages = (
        Village.objects.alias(**plain("name"))
        .filter(contains("name", word) | Q(district__regency__in=regencies))
        .values("code")
    )
    return (
        Producer.objects.alias(**plain("name"))
        .filter(contains("name", word) | Q(village__in=villages))
        .values("pk")
    )


def condition(query_words: list[str]) -> Q:
    """Products matching every word in their name, description, producer, village or regency (use on
    a Product QuerySet aliased with plain("name", "short_description"))."""
    return reduce(
        and_,
        (
            contains("name", word)
            | contains("short_description", word)
            | Q(producer__in=matching_producers(word))
            for word in query_words
        ),
        Q(),
    )
