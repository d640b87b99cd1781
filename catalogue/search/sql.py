"""The search's SQL on every engine: LIKE (`icontains`) over the products, their categories and places.

A product matches when every query word has a term (text.terms) in its name, English name,
description, category, producer, village or regency. LikeSearch (SQLite) compares with `icontains`
(LIKE), apostrophes ignored (`sei` finds `Se'i`): the product's four texts are one column stored
without them (Product.search_text), looked up in its trigram index (search/fts.py); the other
tables' names are compared with REPLACE.
PostgresSearch (search/postgres.py) writes the same search in SQL of its own: the product's own
texts on its full-text index, LIKE for the category and place tables, in the form its trigram
indexes answer.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db.models import Case, F, IntegerField, Lookup, Q, QuerySet, Value, When
from django.db.models.functions import Replace

from catalogue.models import Category, Producer, Product
from catalogue.search import fts
from villages.models import District, Regency, Village

PRODUCT_FIELDS = ("name", "name_en", "short_description", "short_description_en")
NAME_FIELDS = ("name", "name_en")

#: The ranking, identical on every engine: a match in the product's name, then in its category,
#: then anywhere else (place, producer, description).
IN_NAME, IN_CATEGORY, ELSEWHERE = 3, 2, 1


def unquoted(field: str) -> Replace:
    """The column without apostrophes (the query is folded without them too)."""
    return Replace(F(field), Value("'"), Value(""))


class ContainsAny(Lookup):
    """SQLite: the column contains one of the terms, ignoring case (LIKE, as `icontains`) and
    apostrophes, written out here rather than as an `icontains` lookup per term: a typo's search
    has over a hundred of them, 5 to 10 ms of Python per search to build and compile. A lookup, not
    a plain expression, so the WHERE clause holds it as is (an expression would be compared with
    `= 1`, which makes SQLite evaluate every branch: three times slower).

    The column as it is first, and without its apostrophes only when it has one: REPLACE on every
    row and term is most of the cost of the scan (10,000 products, five terms: 30 ms against 9 ms
    for plain LIKE). `apostrophes=False` for a column stored without any (Product.search_text)."""

    lookup_name = "contains_any"
    prepare_rhs = False

    def __init__(self, field: str, alternatives: list[str], *, apostrophes: bool = True) -> None:
        super().__init__(F(field), tuple(alternatives))
        self.apostrophes = apostrophes

    def as_sql(self, compiler, connection):
        column, column_params = self.process_lhs(compiler, connection)
        patterns = [f"%{connection.ops.prep_for_like_query(term)}%" for term in self.rhs]
        like = "LIKE %s ESCAPE '\\'"
        as_stored = " OR ".join(f"{column} {like}" for _ in patterns)
        each = [value for pattern in patterns for value in (*column_params, pattern)]
        if not self.apostrophes:
            return f"({as_stored})", tuple(each)
        unquoted = " OR ".join(f"REPLACE({column}, '''', '') {like}" for _ in patterns)
        return (
            f"({as_stored} OR ({column} LIKE %s AND ({unquoted})))",
            (*each, *column_params, "%'%", *each),
        )


class InSearchIndex(Lookup):
    """SQLite: the product's search text contains one of the terms (each of 3 characters or more),
    answered by its FTS5 trigram index (search/fts.py) rather than by reading every product."""

    lookup_name = "in_search_index"
    prepare_rhs = False

    def __init__(self, alternatives: list[str]) -> None:
        super().__init__(F("pk"), tuple(alternatives))

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        index = fts.TABLE
        return (
            f"{column} IN (SELECT rowid FROM {index} WHERE {index} MATCH %s)",  # noqa: S608  (a constant)
            (*params, fts.phrases(list(self.rhs))),
        )


class LikeSearch:
    """The SQL of a search, written with LIKE (PostgreSQL has its own: search/postgres.py)."""

    def any_of(self, field: str, alternatives: list[str]) -> Q:
        """`field` contains one of the terms, ignoring case and apostrophes."""
        return Q(ContainsAny(field, alternatives))

    def in_fields(self, fields: tuple[str, ...], alternatives: list[str]) -> Q:
        """One of the terms in one of the product's fields."""
        return reduce(or_, (self.any_of(field, alternatives) for field in fields))

    def in_set(self, field: str, values: QuerySet) -> Q:
        """`field` is one of the values of a one-column query."""
        return Q(**{f"{field}__in": values})

    def in_name(self, terms: list[str]) -> Q:
        return self.in_fields(NAME_FIELDS, terms)

    def in_text(self, terms: list[str]) -> Q:
        """A term in the product's name, English name or either description (Product.search_text,
        stored without apostrophes): looked up in its trigram index (search/fts.py); a term too
        short for a trigram is compared by LIKE."""
        indexed = [term for term in terms if len(term) >= fts.TRIGRAM]
        short = [term for term in terms if len(term) < fts.TRIGRAM]
        found = [Q(InSearchIndex(indexed))] if indexed else []
        if short:
            found.append(Q(ContainsAny("search_text", short, apostrophes=False)))
        return reduce(or_, found)

    def producers(self, alternatives: list[str]) -> QuerySet:
        """Producers whose own name, village name or regency name contains one of the terms.

        These small tables (thousands of rows, not tens of thousands) are searched once per word,
        and products are then matched on their producer: far cheaper than joining four tables for
        every product and comparing five columns per row. Each match is its own branch of a
        UNION ALL, found through the foreign key's index, as in anywhere(): as one
        `name LIKE … OR village IN (…)` SQLite checks every producer against the villages found
        (the place branch of `kopi`: 1.3 ms that way, 0.8 ms as a UNION).
        """
        # order_by(): a set needs no order (the models' default one would sort every subquery).
        regencies = Regency.objects.filter(self.any_of("name", alternatives)).order_by().values("code")
        districts = District.objects.filter(self.in_set("regency", regencies)).order_by().values("code")
        villages = Village.objects.order_by()
        by_village_name = villages.filter(self.any_of("name", alternatives)).values("code")
        in_regency = villages.filter(self.in_set("district", districts)).values("code")
        producers = Producer.objects.order_by()
        by_name = producers.filter(self.any_of("name", alternatives)).values("pk")
        in_village = producers.filter(
            self.in_set("village", by_village_name.union(in_regency, all=True))
        ).values("pk")
        return by_name.union(in_village, all=True)

    def categories(self, alternatives: list[str]) -> QuerySet:
        return (
            Category.objects.filter(self.any_of("name", alternatives) | self.any_of("name_en", alternatives))
            .order_by()
            .values("pk")
        )

    def anywhere(self, terms: list[str], place_terms: list[str], categories: QuerySet) -> Q:
        """A term of this word in the product's texts, its category (`categories`, those matching
        the word) or its place: the ids found by each, asked on its own and united.

        Asked as one OR, SQLite checks every branch again for each product another branch found:
        `kopi` (929 products) took 7.6 ms that way, 3.0 ms as a UNION. UNION ALL: `IN` needs no
        duplicates removed first (3.6 to 3.5 ms for the whole search of `kopi`)."""
        products = Product.objects.order_by()
        by_text = products.filter(self.in_text(terms)).values("pk")
        by_category = products.filter(self.in_set("category", categories)).values("pk")
        by_place = products.filter(self.in_set("producer", self.producers(place_terms))).values("pk")
        return self.in_set("pk", by_text.union(by_category, by_place, all=True))

    def matching(self, products: QuerySet, per_word: list[list[str]], places: list[list[str]]) -> QuerySet:
        """The products with a term of every word somewhere, annotated with `search_rank`.

        `places` are the terms searched in the place tables (no English meanings: those name
        products, not villages).
        """
        # Each word's categories once, for the filter and for the ranking.
        categories = [self.categories(terms) for terms in per_word]
        found = (
            self.anywhere(terms, place_terms, word_categories)
            for terms, place_terms, word_categories in zip(per_word, places, categories, strict=True)
        )
        return products.filter(reduce(and_, found)).annotate(
            search_rank=Case(
                When(reduce(and_, (self.in_name(terms) for terms in per_word)), then=Value(IN_NAME)),
                When(
                    reduce(
                        and_, (self.in_set("category", word_categories) for word_categories in categories)
                    ),
                    then=Value(IN_CATEGORY),
                ),
                default=Value(ELSEWHERE),
                output_field=IntegerField(),
            )
        )
