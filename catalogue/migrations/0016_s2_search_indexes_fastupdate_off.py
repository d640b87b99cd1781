"""PostgreSQL: the search's GIN indexes (0014_s2_search_indexes) without a pending list.

By default (fastupdate on) a GIN index puts new entries in an unsorted "pending list" that every
search reads in full, until a VACUUM (or 4 MB of them) moves them into the index proper. Autovacuum
vacuums a table for its inserts only after 1,000 of them plus a fifth of the table, so after an
import of a few hundred products or the villages of a regency the list can stay for days: with
10,000 products inserted after the index was made, the full-text lookup took 17 ms instead of 1 ms,
and the planner, counting the list's pages, read the 3,442 villages and producers in full rather
than through their trigram indexes. The catalogue is read far more than it is written, so each
insert pays for its own entries instead (a fraction of a millisecond), and the list already there
is emptied now. Nothing on SQLite.
"""

from django.db import migrations

INDEXES = ("catalogue_product_search_gin", "catalogue_producer_name_trgm", "villages_village_name_trgm")


def fastupdate_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def fastupdate_default(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0015_e_category_description_en")]

    operations = [migrations.RunPython(fastupdate_off, fastupdate_default)]
