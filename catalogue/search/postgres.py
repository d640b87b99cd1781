"""PostgreSQL's side of the search: full-text search over the product's own texts, pg_trgm elsewhere.

- The product's names and descriptions are matched with `to_tsvector('simple', …) @@ to_tsquery(…)`,
  each term a prefix (`kopi:*`), answered by the GIN index of migration 0014_s2_search_indexes
  over exactly the expression of vector() below. 'simple' because PostgreSQL has no Indonesian
  stemmer: words are lower-cased, nothing else; the prefix stands in for the forms a stemmer would
  join (`tenun` finds `tenunan`).
- Categories, producers, villages and regencies are compared as `icontains` compares them,
  `UPPER(REPLACE(name, '''', '')::text) LIKE UPPER('%…%')`: the same migration's trigram GIN
  indexes (gin_trgm_ops) on `UPPER(REPLACE(name, '''', ''))` answer it for producers and villages
  without reading every row.
- Suggestions ask for trigram-similar product names (TrigramWordSimilarity).

The SQL of a search is written here as text, in a handful of lookups, rather than built from
QuerySets and Q objects as on SQLite (search/sql.py): its subqueries nest five deep and repeat for
each word and for the ranking, and Django spent 15 to 40 ms per search cloning and relabelling them,
as much as PostgreSQL took to answer. The terms themselves (English meanings, close spellings) come
from search/text.py, as on SQLite, and the results and their ranking are the same.
"""

from __future__ import annotations

import re
from functools import cache, reduce
from operator import and_, or_
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import Case, F, IntegerField, Lookup, Q, QuerySet, Value, When
from django.db.models.sql import Query

from catalogue.models import Category, Producer, Product
from catalogue.search import sql
from villages.models import District, Regency, Village

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchVector

CONFIG = "simple"
#: What the 'simple' parser keeps of a term: runs of letters and digits. Only those reach the
#: tsquery, each quoted, so a shopper's text can never be read as tsquery syntax.
TOKEN = re.compile(r"[^\W_]+")


def vector(*fields: str) -> SearchVector:
    """The fields as one text search vector, apostrophes removed (`Se'i` → `sei`).

    Migration 0014_s2_search_indexes indexes vector(*sql.PRODUCT_FIELDS): a change here must come
    with a migration that rebuilds that index, or PostgreSQL silently stops using it (the test
    tests/catalogue/test_search_postgres.py checks the plan)."""
    # Imported here, as in trigram_names(): django.contrib.postgres loads psycopg, a twentieth of a
    # second of every process's start on SQLite (manage.py import_villages included; issue 17).
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*(sql.unquoted(field) for field in fields), config=CONFIG)


@cache
def document(using: str) -> str:
    """vector(*sql.PRODUCT_FIELDS) as SQL on the unaliased product table, compiled once by Django:
    the index is found by comparing expressions, so this must be Django's own rendering of it.

    Its constants (the configuration, the apostrophe and the empty string of each REPLACE) are
    written into it as literals, as is the configuration of the tsquery (by_text): as parameters,
    ten per word, a search passed psycopg's limit of 50 for keeping a query's parsed form, and
    psycopg parsed its whole text again for each search."""
    query = Query(Product)
    expression = vector(*sql.PRODUCT_FIELDS).resolve_expression(query)
    text, params = query.get_compiler(using).compile(expression)
    return connections[using].ops.compose_sql(text, params)


def tsquery(terms: list[str]) -> str | None:
    """Any of the terms, each word of a term as a prefix (`rumput laut` → `'rumput':* & 'laut':*`);
    None when no term has a letter or digit (`%`, `_`: those are compared with LIKE)."""
    alternatives = [
        "(" + " & ".join(f"'{token}':*" for token in tokens) + ")"
        for term in terms
        if (tokens := TOKEN.findall(term))
    ]
    return " | ".join(alternatives) or None


def name(model, field: str | None = None) -> str:
    """The quoted table, or column, of a model."""
    quote = connections["default"].ops.quote_name
    return quote(model._meta.db_table if field is None else model._meta.get_field(field).column)


def select(model, field: str, where: str) -> str:
    """`SELECT field FROM model's table WHERE …`: only quoted names and the SQL of this module are
    written into it, every value of the shopper's is a %s parameter."""
    return f"SELECT {name(model, field)} FROM {name(model)} WHERE {where}"  # noqa: S608


def plain(column: str) -> str:
    """The column as `icontains` compares it, apostrophes removed: the expression of the trigram
    indexes."""
    return f"UPPER(REPLACE({column}, '''', '')::text)"


def patterns(terms: list[str], using: str) -> list[str]:
    """The LIKE patterns of the terms, escaped as `icontains` escapes them."""
    ops = connections[using].ops
    return [f"%{ops.prep_for_like_query(term)}%" for term in terms]


def like_any(column: str, terms: list[str], using: str) -> tuple[str, list[str]]:
    """The column contains one of the terms: one LIKE ANY, the column computed once per row. For
    tables read whole (products already found, categories, regencies): a trigram index answers
    only separate LIKEs (like_each)."""
    placeholders = ", ".join(["UPPER(%s)"] * len(terms))
    return f"{plain(column)} LIKE ANY (ARRAY[{placeholders}])", patterns(terms, using)


def like_each(column: str, terms: list[str], using: str) -> tuple[str, list[str]]:
    """The column contains one of the terms, one LIKE per term: each one answered by the trigram
    index (a bitmap OR), where LIKE ANY would read the table."""
    return " OR ".join([f"{plain(column)} LIKE UPPER(%s)"] * len(terms)), patterns(terms, using)


class Condition(Lookup):
    """A condition written in SQL, `{column}` standing for the field's column as the outer query
    names it (Django compiles that part, so the condition follows the query's aliases)."""

    lookup_name = "search_condition"
    prepare_rhs = False

    def __init__(self, field: str, template: str, params: list) -> None:
        super().__init__(F(field), (template, tuple(params)))

    def as_sql(self, compiler, connection):
        column, column_params = self.process_lhs(compiler, connection)
        template, params = self.rhs
        return template.format(column=column), (*column_params, *params)


class PostgresSearch:
    """The SQL of a search on PostgreSQL: per word, the products found by text, by category or by
    place, each asked on its own and united; ranked as on SQLite (sql.IN_NAME, IN_CATEGORY,
    ELSEWHERE).

    The rank's "in the name" test stays LIKE, on the rows already found: the same test as on
    SQLite, so both engines rank alike, and cheaper than a text vector per row. Nor is there a
    SearchRank within each rank: it computes the text vectors of every row found, +5 to 12 ms for
    1,000 of the 10,000 products, and would order PostgreSQL's results differently from SQLite's
    (by name)."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def by_text(self, terms: list[str]) -> tuple[str, list]:
        """The ids of the products with a term in their names or descriptions: the full-text GIN
        index; LIKE for terms without letters or digits (`%`).

        The tsquery is a subquery (`@@ (SELECT to_tsquery(…))`), so the planner does not see its
        terms and always reads the index. Seeing a term that most products hold (`i:*` of the
        village `Camplong I`, `ole:*` finding `oleh` in every description), it would read the table
        instead, computing every product's text vector (150 to 300 ms for 10,000 products, against
        7 ms through the index): it charges the index path the same per-row check, which GIN does
        not need for a tsquery without weights."""
        query = tsquery(terms)
        if query is None:
            likes = [like_any(name(Product, field), terms, self.using) for field in sql.PRODUCT_FIELDS]
            where = " OR ".join(condition for condition, _params in likes)
            return select(Product, "id", where), [value for _sql, params in likes for value in params]
        vector = document(self.using)
        where = f"{vector} @@ (SELECT to_tsquery('{CONFIG}'::regconfig, %s))"
        return select(Product, "id", where), [query]

    def categories(self, terms: list[str]) -> tuple[str, list]:
        """The ids of the categories whose name, Indonesian or English, contains a term (about ten
        rows, read whole)."""
        in_name, name_params = like_any(name(Category, "name"), terms, self.using)
        in_english, english_params = like_any(name(Category, "name_en"), terms, self.using)
        return select(Category, "id", f"{in_name} OR {in_english}"), [*name_params, *english_params]

    def producers(self, terms: list[str]) -> tuple[str, list]:
        """The ids of the producers whose own name, village name or regency name contains a term.

        These tables (thousands of rows, not tens of thousands) are searched once per word, from
        the regencies down, and products are then matched on their producer: far cheaper than
        joining four tables for every product.

        Each table is asked twice, united (UNION ALL): by its own name (the trigram index), and by
        the place above it, `= ANY(ARRAY(SELECT …))`, whose subquery runs once and whose values are
        looked up in the foreign key's index. As one `name LIKE … OR village = ANY(…)`, a term the
        trigram index cannot help with (`i` of `Camplong I`) made PostgreSQL read every producer
        and compare its village with each of 2,000 villages found, one by one (150 ms); as
        `IN (SELECT …)`, the planner expects many places and reads every producer and product."""
        regency_name, regency_params = like_any(name(Regency, "name"), terms, self.using)
        village_name, village_params = like_each(name(Village, "name"), terms, self.using)
        producer_name, producer_params = like_each(name(Producer, "name"), terms, self.using)
        regencies = select(Regency, "code", regency_name)
        districts = select(District, "code", f"{name(District, 'regency')} = ANY(ARRAY({regencies}))")
        villages = (
            f"{select(Village, 'code', village_name)}"
            f" UNION ALL {select(Village, 'code', f'{name(Village, "district")} = ANY(ARRAY({districts}))')}"
        )
        producers = (
            f"{select(Producer, 'id', producer_name)}"
            f" UNION ALL {select(Producer, 'id', f'{name(Producer, "village")} = ANY(ARRAY({villages}))')}"
        )
        return producers, [*producer_params, *village_params, *regency_params]

    def anywhere(self, terms: list[str], place_terms: list[str]) -> tuple[str, list]:
        """The ids of the products with a term in their texts, their category or their place: the
        ids found by text, by category and by place, each asked on its own and united.

        Asked as one OR, the planner cannot tell how many products the categories and places
        select and reads every product, computing its text vector on the way (10,000 products:
        60-90 ms). Each branch alone uses its index: the full-text GIN index, the category and
        producer foreign keys. The category branch is a join (`IN`): with `= ANY(ARRAY(…))` the
        planner, not knowing the array, expects a tenth of the products per category and reads
        them all.

        Column names left unqualified in these subqueries are their own tables' (SQL looks for a
        name in the innermost FROM first)."""
        text, text_params = self.by_text(terms)
        categories, category_params = self.categories(terms)
        producers, producer_params = self.producers(place_terms)
        by_category = select(Product, "id", f"{name(Product, 'category')} IN ({categories})")
        by_place = select(Product, "id", f"{name(Product, 'producer')} = ANY(ARRAY({producers}))")
        return (
            f"{text} UNION ALL {by_category} UNION ALL {by_place}",
            [*text_params, *category_params, *producer_params],
        )

    def found(self, per_word: list[list[str]], places: list[list[str]]) -> Q:
        """The products found for every word: `id = ANY(ARRAY(<word 1> INTERSECT <word 2> …))`.

        The ids are gathered first, once, and looked up in the primary key. As `id IN (…)`, one
        per word, the planner guesses how many products each word finds, and reads all the
        published products to join them with the words' ids: 10 ms for a search that finds six."""
        words = [
            self.anywhere(terms, place_terms) for terms, place_terms in zip(per_word, places, strict=True)
        ]
        ids = " INTERSECT ".join(f"({word})" for word, _params in words)
        return Q(
            Condition("pk", f"{{column}} = ANY(ARRAY({ids}))", [p for _sql, params in words for p in params])
        )

    def in_name(self, terms: list[str]) -> Q:
        return reduce(
            or_,
            (Q(Condition(field, *like_any("{column}", terms, self.using))) for field in sql.NAME_FIELDS),
        )

    def in_category(self, terms: list[str]) -> Q:
        categories, params = self.categories(terms)
        return Q(Condition("category", f"{{column}} = ANY(ARRAY({categories}))", params))

    def matching(self, products: QuerySet, per_word: list[list[str]], places: list[list[str]]) -> QuerySet:
        """The products with a term of every word somewhere, annotated with `search_rank`.

        `places` are the terms searched in the place tables (no English meanings: those name
        products, not villages)."""
        return products.filter(self.found(per_word, places)).annotate(
            search_rank=Case(
                When(reduce(and_, (self.in_name(terms) for terms in per_word)), then=Value(sql.IN_NAME)),
                When(
                    reduce(and_, (self.in_category(terms) for terms in per_word)), then=Value(sql.IN_CATEGORY)
                ),
                default=Value(sql.ELSEWHERE),
                output_field=IntegerField(),
            )
        )


def trigram_names(query: str) -> list[str]:
    """Product names most similar to the query by pg_trgm's word similarity."""
    from django.contrib.postgres.search import TrigramWordSimilarity

    return list(
        Product.objects.published()
        .annotate(similarity=TrigramWordSimilarity(query, "name"))
        .filter(similarity__gt=0.3)
        .order_by("-similarity", "name")
        .values_list("name", flat=True)[:2]
    )
