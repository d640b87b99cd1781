"""PostgreSQL's side of the search: full-text search over the product's own texts, pg_trgm elsewhere.

- The product's names and descriptions are matched with `to_tsvector('simple', …) @@ to_tsquery(…)`
  (SearchVector, SearchQuery), each term a prefix (`kopi:*`), answered by the GIN index of
  migration 0014_s2_search_indexes over exactly the expression built by vector() below. 'simple'
  because PostgreSQL has no Indonesian stemmer: words are lower-cased, nothing else; the prefix
  stands in for the forms a stemmer would join (`tenun` finds `tenunan`).
- Categories, producers, villages and regencies keep `icontains` (search/sql.py), which PostgreSQL
  writes `UPPER(REPLACE(name, '''', '')::text) LIKE UPPER('%…%')`: the same migration's trigram GIN
  indexes (gin_trgm_ops) on `UPPER(REPLACE(name, '''', ''))` answer it without reading every row.
- Suggestions ask for trigram-similar product names (TrigramWordSimilarity).

The terms themselves (English meanings, close spellings) come from search/words.py, as on SQLite.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    Lexeme,
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    TrigramWordSimilarity,
)
from django.db.models import Q, QuerySet

from catalogue.models import Product
from catalogue.search import sql

CONFIG = "simple"
#: What the 'simple' parser keeps of a term: runs of letters and digits (Lexeme quotes each one,
#: so a shopper's text can never be read as tsquery syntax).
TOKEN = re.compile(r"[^\W_]+")


def vector(*fields: str) -> SearchVector:
    """The fields as one text search vector, apostrophes removed (`Se'i` → `sei`).

    Migration 0014_s2_search_indexes indexes vector(*sql.PRODUCT_FIELDS): a change here must come
    with a migration that rebuilds that index, or PostgreSQL silently stops using it (the test
    tests/catalogue/test_search_postgres.py checks the plan)."""
    return SearchVector(*(sql.unquoted(field) for field in fields), config=CONFIG)


def tsquery(terms: list[str]) -> SearchQuery | None:
    """Any of the terms, each word of a term as a prefix (`rumput laut` → `rumput:* & laut:*`);
    None when no term has a letter or digit (`%`, `_`: those are compared with LIKE)."""
    alternatives = [
        reduce(and_, (Lexeme(token, prefix=True) for token in tokens))
        for term in terms
        if (tokens := TOKEN.findall(term))
    ]
    if not alternatives:
        return None
    return SearchQuery(reduce(or_, alternatives), config=CONFIG)


def in_document(fields: tuple[str, ...], terms: list[str]) -> Q:
    query = tsquery(terms)
    if query is None:
        return sql.in_fields(fields, terms)
    return Q(SearchVectorExact(vector(*fields), query))


def matching(products: QuerySet, per_word: list[list[str]], places: list[list[str]]) -> QuerySet:
    """search/sql.py's matching with the product's own texts on the full-text index. The filter uses
    the indexed vector over all four texts; the rank's "in the name" test reads the names only, on
    the rows already found."""
    return sql.matching(
        products,
        per_word,
        places,
        in_name=lambda terms: in_document(sql.NAME_FIELDS, terms),
        in_text=lambda terms: in_document(sql.PRODUCT_FIELDS, terms),
    )


def trigram_names(query: str) -> list[str]:
    """Product names most similar to the query by pg_trgm's word similarity."""
    return list(
        Product.objects.published()
        .annotate(similarity=TrigramWordSimilarity(query, "name"))
        .filter(similarity__gt=0.3)
        .order_by("-similarity", "name")
        .values_list("name", flat=True)[:2]
    )
