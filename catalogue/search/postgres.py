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

The terms themselves (English meanings, close spellings) come from search/text.py, as on SQLite.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    Lexeme,
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    TrigramWordSimilarity,
)
from django.db.models import F, Lookup, Q, QuerySet

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


class AnyOf(Lookup):
    """`field = ANY(ARRAY(SELECT …))`: the subquery runs once, before the scan, and its values are
    looked up in the field's index. With `field IN (SELECT …)` PostgreSQL tests each row against a
    hashed subquery, which cannot be OR-ed with an index (a bitmap OR needs every branch indexed):
    `village name LIKE … OR district IN (…)` would read every village instead of asking the
    trigram index and the district index."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


class PostgresSearch(sql.LikeSearch):
    """The product's names and texts on the full-text index; sets as index lookups.

    The rank's "in the name" test stays LIKE (LikeSearch.in_name), on the rows already found:
    the same test as on SQLite, so both engines rank alike, and cheaper than a text vector per
    row. Nor is there a SearchRank within each rank: it computes the text vectors of every row
    found, +5 to 12 ms for 1,000 of the 10,000 products, and would order PostgreSQL's results
    differently from SQLite's (by name)."""

    def any_of(self, field: str, alternatives: list[str]) -> Q:
        """`UPPER(REPLACE(field, ...)::text) LIKE UPPER('%term%')` for each term: the expression of
        migration 0014_s2's trigram indexes, which answer it (no need to spare PostgreSQL the
        REPLACE as on SQLite: the index finds the rows, REPLACE runs only on them)."""
        return reduce(or_, (Q(**{f"{field}_plain__icontains": term}) for term in alternatives))

    def in_document(self, fields: tuple[str, ...], terms: list[str]) -> Q:
        """A term in the fields' text vector; LIKE for terms without letters or digits (`%`)."""
        query = tsquery(terms)
        if query is None:
            return self.in_fields(fields, terms)
        return Q(SearchVectorExact(vector(*fields), query))

    def in_set(self, field: str, values: QuerySet) -> Q:
        return Q(AnyOf(F(field), ArraySubquery(values)))

    def in_text(self, terms: list[str]) -> Q:
        return self.in_document(sql.PRODUCT_FIELDS, terms)

    def anywhere(self, terms: list[str], place_terms: list[str]) -> Q:
        """The ids found by text, by category and by place, each asked on its own and united.

        Asked as one OR, the planner cannot tell how many products the categories and places
        select and reads every product, computing its text vector on the way (10,000 products:
        60-90 ms). Each branch alone uses its index: the full-text GIN index, the category and
        producer foreign keys."""
        every = Product.objects.alias(**sql.plain(*sql.PRODUCT_FIELDS)).order_by()
        by_text = every.filter(self.in_text(terms)).values("pk")
        by_category = every.filter(self.in_set("category", self.categories(terms))).values("pk")
        by_place = every.filter(self.in_set("producer", self.producers(place_terms))).values("pk")
        return Q(pk__in=by_text.union(by_category, by_place))


def trigram_names(query: str) -> list[str]:
    """Product names most similar to the query by pg_trgm's word similarity."""
    return list(
        Product.objects.published()
        .annotate(similarity=TrigramWordSimilarity(query, "name"))
        .filter(similarity__gt=0.3)
        .order_by("-similarity", "name")
        .values_list("name", flat=True)[:2]
    )
