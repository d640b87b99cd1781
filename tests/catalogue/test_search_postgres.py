"""PostgreSQL only: the search reads its indexes (catalogue/search/postgres.py, migration 0014_s2).

The results themselves are tested on both engines in test_search.py and test_browse.py.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import search
from catalogue.models import Product
from tests import factories
from tests.conftest import on_postgres

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not on_postgres(), reason="PostgreSQL's full-text search and pg_trgm"),
]


def plan(queryset) -> str:
    """The plan as if the tables were large: with a handful of rows a sequential scan is cheaper,
    and the test asks whether the index *can* be used (its expression matches the query's)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # inside the test's transaction only
    return queryset.explain()


def test_the_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('catalogue_product_search_gin', 'catalogue_producer_name_trgm', 'villages_village_name_trgm')"
        )
        assert len(cursor.fetchall()) == 3


def test_product_texts_are_matched_with_full_text_search_through_its_gin_index():
    factories.product("Kopi Arabika Bajawa")
    found = search.search(Product.objects.published(), "kopi arabika")
    sql = str(found.query)
    assert "to_tsvector" in sql and "@@" in sql and "to_tsquery" in sql
    assert "catalogue_product_search_gin" in plan(found.values("pk"))
    assert list(found.values_list("name", flat=True)) == ["Kopi Arabika Bajawa"]


def test_a_term_is_a_word_prefix_so_a_stem_finds_its_longer_forms():
    factories.product("Selendang Tenunan Ikat")
    assert list(search.search(Product.objects.published(), "tenun").values_list("name", flat=True)) == [
        "Selendang Tenunan Ikat"
    ]


def test_place_names_are_matched_through_the_trigram_indexes():
    explained = plan(search.search(Product.objects.published(), "bajawa").values("pk"))
    assert "catalogue_producer_name_trgm" in explained
    assert "villages_village_name_trgm" in explained


def test_the_search_indexes_keep_no_pending_list():
    """New entries go straight into the GIN indexes (migration 0016_s2): a pending list is read
    in full by every search until a VACUUM, and hides the indexes' worth from the planner."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN "
            "('catalogue_product_search_gin', 'catalogue_producer_name_trgm', 'villages_village_name_trgm')"
        )
        options = dict(cursor.fetchall())
    assert len(options) == 3
    assert all(value == ["fastupdate=off"] for value in options.values()), options


def test_shopper_text_is_never_read_as_tsquery_syntax(client):
    factories.product("Kopi Arabika")
    for query in ["kopi & !", "'kopi':*", "kopi | (", "!!", "<->"]:
        assert client.get("/produk/", {"q": query}).status_code == 200


def test_suggestions_ask_for_trigram_similar_names():
    factories.product("Kopi Arabika Bajawa")
    with CaptureQueriesContext(connection) as queries:
        offers = search.suggestions("arabicaa")
    assert any("WORD_SIMILARITY" in query["sql"].upper() for query in queries)
    assert "Kopi Arabika Bajawa" in offers
