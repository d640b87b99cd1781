"""Bulk SQL for the import: stored rows of a level in one query, new rows in one INSERT per batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, router
from django.utils.text import slugify

BATCH_SIZE = 1000
LOOKUP_CHUNK = 1000
# PostgreSQL gets a column of text as one string split on the server: far cheaper for the driver than
# an array of a thousand strings. The reader refuses control characters, so no cell holds this one.
_SEPARATOR = "\x1f"
# Between the values of a column in `stored_columns`: a control character, which the reader refuses in
# every cell.
SEPARATOR = "\x1e"


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_codes(model: type, candidates: Iterable[str]) -> set[str]:
    """Which of `candidates` exist in `model`'s table, in chunks of LOOKUP_CHUNK codes per query."""
    wanted = sorted(set(candidates))
    found: set[str] = set()
    for chunk in chunks(wanted, LOOKUP_CHUNK):
        found.update(model.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found


def _code_filter(connection, codes_: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL after `code` for rows of `codes_`, and its parameters.

    A few codes are asked for by name. Many (a whole level of the national list) are asked for as
    the range from the lowest to the highest: one walk along the primary key, where a list of 83,762
    codes would cost the driver and the server far more than the rows it leaves out. Codes of one
    level all have the same shape, digits with dots in the same places, so every collation orders
    them as their bytes do and the range holds every one of them (and maybe others: callers match by
    code). On PostgreSQL a list travels as one string split on the server (`= ANY(string_to_array(...))`)
    instead of a thousand parameters that the ORM and the driver each process.
    """
    if len(codes_) > LOOKUP_CHUNK:
        return "BETWEEN %s AND %s", [min(codes_), max(codes_)]
    if connection.vendor == "postgresql":
        return "= ANY(string_to_array(%s, %s))", [_SEPARATOR.join(codes_), _SEPARATOR]
    return "IN (" + ", ".join(["%s"] * len(codes_)) + ")", list(codes_)


def stored_rows(model: type, fields: Sequence[str], codes_: Sequence[str]) -> list[tuple]:
    """The stored `(code, *fields)` rows of `model` for `codes_` (see `_code_filter`), in one query, as
    the driver's tuples, without a model instance, in no set order: a sort on the server (on disk,
    when PostgreSQL has no statistics yet for a table just filled) costs more than sorting here."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in ("code", *fields))
    where, params = _code_filter(connection, codes_)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote('code')} {where}",  # noqa: S608
            params,
        )
        return cursor.fetchall()


def stored_columns(model: type, fields: Sequence[str], codes_: Sequence[str]) -> tuple[int, list[str]] | None:
    """The stored `(code, *fields)` rows of `model` for `codes_` (see `_code_filter`), in code order,
    as one text per column, the values joined by SEPARATOR; with the number of rows. None on a
    database other than SQLite or PostgreSQL.

    The database joins them, in C, along the primary key: 83,762 villages come as three strings
    instead of a quarter of a million Python strings in tuples, several times faster to read and to
    compare with the file (regions.RegionImport.compare).
    """
    connection = connections[router.db_for_read(model)]
    join = {"sqlite": "group_concat", "postgresql": "string_agg"}.get(connection.vendor)
    if join is None:
        return None
    quote = connection.ops.quote_name
    separator = f"{'char' if connection.vendor == 'sqlite' else 'chr'}({ord(SEPARATOR)})"
    names = [quote(model._meta.get_field(name).column) for name in ("code", *fields)]
    joined = ", ".join(f"{join}({name}, {separator})" for name in names)
    code = quote("code")
    where, params = _code_filter(connection, codes_)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), {joined} FROM (SELECT {', '.join(names)}"  # noqa: S608
            f" FROM {quote(model._meta.db_table)} WHERE {code} {where} ORDER BY {code}) AS stored",
            params,
        )
        count, *texts = cursor.fetchone()
    return count, [text or "" for text in texts]


def refresh_statistics(model: type) -> None:
    """After many new rows, let PostgreSQL's planner see them now rather than at autovacuum's next
    round: a table it believes empty gets plans for a handful of rows (a re-import's ordered read
    of 83,762 villages then sorts on disk instead of walking the primary key). SQLite needs none."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


#: A level that gains at least this many new rows, and at least a tenth of the rows it holds, is
#: loaded on PostgreSQL without its GIN indexes, which are built again afterwards (bulk_load).
BULK_LOAD_ROWS = 1000


@contextmanager
def bulk_load(model: type, new_rows: int) -> Iterator[None]:
    """Many new rows into a table with GIN indexes (the villages' trigram index on their names, for the
    search): on PostgreSQL the indexes are dropped before the inserts and built again after, as
    PostgreSQL's own advice for populating a table goes. Updated row by row (the index keeps no
    pending list: `fastupdate` is off for the search's sake), the index took 7.4 s of a first import
    of 83,762 villages that lasted 10 s; built once afterwards, 0.4 s.

    It all happens inside the import's transaction: an import that fails puts the indexes back with
    everything else. Meanwhile the table is locked (DROP INDEX), so pages that read it wait for the
    import to end, a few seconds; an import that adds few rows to a large table keeps its indexes."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or new_rows < BULK_LOAD_ROWS:
        yield
        return
    quote, table = connection.ops.quote_name, model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = %s AND indexdef LIKE %s",
            [table, "% USING gin %"],
        )
        indexes = cursor.fetchall()
        if indexes:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608  (a model's table)
            if cursor.fetchone()[0] > 10 * new_rows:
                indexes = []
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    if not indexes:
        return
    with connection.cursor() as cursor:
        # The foreign keys' checks of the new rows wait for the commit (Django makes them deferrable),
        # and PostgreSQL builds no index on a table with checks pending: they run now instead, with
        # the same outcome (a missing parent is an IntegrityError either way), and wait again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def insert_rows(model: type, rows: list[dict[str, Any]]) -> None:
    """Insert new rows with one INSERT per batch, as bulk_create would, minus its per-value work.

    bulk_create builds a model instance per row and compiles every value through the field API;
    profiling the national file showed that to be three quarters of a first import on SQLite. Here
    the rows are plain values already in database form (codes, names, kinds, slugs); every column
    a row does not name gets its field's default, prepared once per call. PostgreSQL gets one array
    per column through UNNEST (as Django's own bulk_create does there), other databases a multi-row
    VALUES list.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    given = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [attname for attname in fields if attname not in given]
    tail = [fields[a].get_db_prep_save(fields[a].get_default(), connection) for a in rest]
    columns = ", ".join(connection.ops.quote_name(fields[a].column) for a in given + rest)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            constants = "".join(f", %s::{fields[a].db_type(connection)}" for a in rest)
            for chunk in chunks(rows, BATCH_SIZE):
                arrays, params = [], list(tail)
                for attname in given:
                    array, param = _pg_array(
                        [row[attname] for row in chunk], fields[attname].db_type(connection)
                    )
                    arrays.append(array)
                    params.extend(param)
                unnest = ", ".join(arrays)
                sql = f"INSERT INTO {table} ({columns}) SELECT u.*{constants} FROM UNNEST({unnest}) AS u"  # noqa: S608
                cursor.execute(sql, params)
            return
        width = len(given) + len(rest)
        limit = connection.features.max_query_params or 999
        for chunk in chunks(rows, max(1, min(BATCH_SIZE, limit // width))):
            params: list[Any] = []
            for row in chunk:
                params.extend(row[a] for a in given)
                params.extend(tail)
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608


def _pg_array(values: list[Any], db_type: str) -> tuple[str, list[Any]]:
    """SQL for one UNNEST column and its parameters: a split string for plain text, else an array."""
    if all(isinstance(v, str) and v and _SEPARATOR not in v for v in values):
        return f"string_to_array(%s, %s)::{db_type}[]", [_SEPARATOR.join(values), _SEPARATOR]
    return f"%s::{db_type}[]", [values]


def unique_slug(name: str, code: str, taken: set[str]) -> str:
    base = slugify(name)[:120] or code.replace(".", "")
    slug = base
    if slug in taken:
        slug = f"{base}-{code.replace('.', '')}"
    n = 2
    while slug in taken:
        slug = f"{base}-{code.replace('.', '')}-{n}"
        n += 1
    taken.add(slug)
    return slug
