"""Many new villages go in without the GIN trigram index on their names, which is built again after
(villages/importing/writers.py, bulk_load): PostgreSQL only, inside the import's transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from villages import importing
from villages.importing import writers
from villages.models import Village

pytestmark = pytest.mark.django_db

NTT_FILE = Path(__file__).resolve().parents[2] / "data" / "wilayah-ntt-2025.csv"
TRIGRAM_INDEX = "villages_village_name_trgm"


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no GIN index")


def index_definition() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [TRIGRAM_INDEX])
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_first_import_puts_the_trigram_index_back_as_it_was(client):
    before = index_definition()
    assert before is not None and "gin" in before and "fastupdate=off" in before
    with CaptureQueriesContext(connection) as queries:
        assert importing.import_file(NTT_FILE).ok
    assert any(f'DROP INDEX "{TRIGRAM_INDEX}"' in query["sql"] for query in queries.captured_queries)
    assert index_definition() == before
    assert Village.objects.count() == 3442
    # The search's place branch reads that index: a village's name finds its regency's products.
    assert client.get("/produk/?q=bokonusan").status_code == 200


def test_an_import_that_fails_after_the_index_was_dropped_keeps_the_index_and_saves_nothing(monkeypatch):
    before = index_definition()
    insert = writers.insert_rows
    batches = []

    def failing_second_village_batch(model, rows):
        if model is Village:
            batches.append(len(rows))
            if len(batches) == 2:
                raise DatabaseError("disk full")
        insert(model, rows)

    monkeypatch.setattr(writers, "insert_rows", failing_second_village_batch)
    report = importing.import_file(NTT_FILE)
    assert not report.ok and "disk full" in report.problems[0].message
    assert Village.objects.count() == 0
    assert index_definition() == before


def test_a_few_new_rows_into_a_large_table_keep_the_index(monkeypatch):
    assert importing.import_file(NTT_FILE).ok
    monkeypatch.setattr(writers, "BULK_LOAD_ROWS", 100)
    with CaptureQueriesContext(connection) as queries:
        with writers.bulk_load(Village, 300):  # under a tenth of the 3,442 villages there
            pass
        with writers.bulk_load(Village, 99):  # under BULK_LOAD_ROWS
            pass
    assert not any("DROP INDEX" in query["sql"] for query in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries, writers.bulk_load(Village, 400):
        assert index_definition() is None  # a tenth or more: loaded without it
    assert index_definition() is not None
