"""SQLite: the products' search text in an FTS5 trigram index (issue 17).

A search compared each term with Product.search_text by LIKE '%term%', which reads every product's
text for every term: 10 ms for `kopi` over 10,000 products, 18 ms for a typo's four spellings, most
of a cold search page on SQLite. SQLite's FTS5 with its `trigram` tokenizer indexes every
three-character piece of the text, so the same match (a substring, case ignored, like LIKE) is read
from the index: the whole search query went from 10.4 to 2.7 ms for `kopi` and from 17.6 to 4.4 ms
for `kopii`. A term under three characters has no trigram: the search compares it by LIKE
(catalogue/search/sql.py). PostgreSQL has its own full-text and trigram indexes and never reads this.

The index is an FTS5 "external content" table over catalogue_product (it stores the index, not a
second copy of the text), kept in step by three triggers on the product table. Django knows nothing
of them, and on SQLite it rebuilds a table (new table, copy, drop the old one) for many schema
changes, which drops that table's triggers. So this is not a migration: after every `migrate`
(post_migrate, catalogue/apps.py) ensure() creates whatever is missing and, when it had to, fills
the index from the products; when everything is in place it does nothing.
"""

from __future__ import annotations

import logging

from django.db import connections

logger = logging.getLogger(__name__)

TABLE = "catalogue_product_fts"
#: The shortest term the index can answer: a shorter one has no three-character piece.
TRIGRAM = 3
PRODUCTS = "catalogue_product"

# Written out, table names included: this is the whole of the index's schema. The update trigger
# re-indexes a row when one of the columns Product.search_text is computed from changes (stock and
# other writes leave the index alone): keep its column list in step with that field.
_TRIGGERS = {
    "catalogue_product_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS catalogue_product_fts_insert AFTER INSERT ON catalogue_product
        BEGIN
            INSERT INTO catalogue_product_fts(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    "catalogue_product_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS catalogue_product_fts_delete AFTER DELETE ON catalogue_product
        BEGIN
            INSERT INTO catalogue_product_fts(catalogue_product_fts, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        END""",
    "catalogue_product_fts_update": """
        CREATE TRIGGER IF NOT EXISTS catalogue_product_fts_update
        AFTER UPDATE OF name, name_en, short_description, short_description_en ON catalogue_product
        BEGIN
            INSERT INTO catalogue_product_fts(catalogue_product_fts, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
            INSERT INTO catalogue_product_fts(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}
_INDEX = """
    CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_product_fts USING fts5(
        search_text, content='catalogue_product', content_rowid='id', tokenize='trigram'
    )"""
_REBUILD = "INSERT INTO catalogue_product_fts(catalogue_product_fts) VALUES ('rebuild')"


def ensure(using: str = "default") -> bool:
    """Create the index and its triggers where missing, and then fill the index from the products.
    Returns whether anything was missing. Only on SQLite, and only once the products table exists."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)", [PRODUCTS, TABLE, *_TRIGGERS]
        )
        present = {name for (name,) in cursor.fetchall()}
        if PRODUCTS not in present or present >= {TABLE, *_TRIGGERS}:
            return False
        cursor.execute(_INDEX)
        for statement in _TRIGGERS.values():
            cursor.execute(statement)
        cursor.execute(_REBUILD)
    missing = ", ".join(sorted({TABLE, *_TRIGGERS} - present))
    logger.info("Search index %s filled again: %s were missing", TABLE, missing)
    return True


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (catalogue/apps.py)."""
    ensure(using)


def phrases(terms: list[str]) -> str:
    """An FTS5 query matching a text that contains any of these terms: each term a quoted string
    (its own double quotes doubled), joined by OR. Every term must have 3 characters or more."""
    return " OR ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
