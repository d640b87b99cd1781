"""PostgreSQL indexes for the search (catalogue/search/postgres.py); nothing on SQLite.

- Full text: a functional GIN index over to_tsvector('simple', name, English name, description,
  English description, apostrophes removed). Functional rather than a stored generated tsvector
  column: the column would be unknown to the models (SQLite has no tsvector), and PostgreSQL refuses
  to change the type of a column a generated column reads, so a later `max_length` change to a
  product's name would fail there; an index expression is simply rebuilt. The query repeats the
  expression exactly (postgres.vector), which is what lets the planner use the index.
- Trigrams: GIN gin_trgm_ops indexes on UPPER(REPLACE(name, '''', '')) of producers and villages,
  the expression Django writes for the search's `icontains` there, so LIKE '%…%' reads the index.
  Regencies (22 rows) and categories (about ten) are read whole faster than through an index.

Not Meta.indexes: Django would then create them on SQLite too, where GIN does not exist. Written
out here (not imported from catalogue/search) so this migration keeps meaning what it meant.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace

#: The trigram indexes as SQL: Django writes OpClass(...) into an index only with
#: django.contrib.postgres in INSTALLED_APPS, which this project does not need otherwise.
TRIGRAM_INDEXES = {
    "catalogue_producer_name_trgm": "catalogue_producer",
    "villages_village_name_trgm": "villages_village",
}
TRIGRAM_SQL = "CREATE INDEX {name} ON {table} USING gin ((UPPER(REPLACE(name, '''', ''))) gin_trgm_ops)"


def document_index():
    document = SearchVector(
        *(
            Replace(F(field), Value("'"), Value(""))
            for field in ("name", "name_en", "short_description", "short_description_en")
        ),
        config="simple",
    )
    return GinIndex(document, name="catalogue_product_search_gin")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("catalogue", "Product"), document_index())
    for name, table in TRIGRAM_INDEXES.items():
        schema_editor.execute(TRIGRAM_SQL.format(name=name, table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("catalogue", "Product"), document_index())
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    # pg_trgm itself is enabled by 0008_s_english_and_search (TrigramExtension), before this.
    dependencies = [
        ("catalogue", "0009_b_backoffice"),
        ("villages", "0005_b_selection"),
    ]

    operations = [migrations.RunPython(create, drop)]
