"""QuerySets compiled to SQL once per shape, then run with new ids, codes or slugs (issue 17).

Django turns a QuerySet into SQL on every evaluation. For a page of product cards (five tables, two
correlated subqueries for the cover, the public certificates) that took about 3 ms of Python on a
cold catalogue page, against 0.4 ms for SQLite to run the SQL it produced. The cards of one page
differ from another's only in their ids, so their SQL is made once for each number of ids and run
with the new ids as its parameters.

    cards = compiled.rows(card_rows, ids)                # card_rows(ids) -> QuerySet
    certificates = compiled.rows(public_of, ids, today)  # public_of(ids, today): part of the shape
    nearby = compiled.rows(near, [regency.code, product.pk])  # a string and an id

How: `build` is called with stand-in values (negative ids, strings no code or slug has) and any
`shape` values, Django compiles the QuerySet as usual, and the places of the stand-ins among the
SQL's parameters are remembered. Every other parameter (a flag, a date) belongs to the shape and is
kept: so a date must be passed as a shape value, never read inside `build`. rows() builds the
instances from the rows as the QuerySet itself would (Django's ModelIterable: the instances of
`select_related()` attached, annotations as attributes, the fields left out of `only()` deferred);
values() returns tuples, with Django's converters applied.

`build` must be a module-level function (it is part of the cache's key), and its QuerySet must not
prefetch related rows. The values must reach the SQL unchanged, as with `exact` and `in`: when the
stand-ins are not found one for one among the parameters (a lookup that transforms its value, such
as `icontains`; a value used twice; a backend that passes a list as one parameter), the QuerySet is
evaluated the ordinary way, each time.

keyed_values() serves a QuerySet whose whole shape is known from a key, with no values to fill in:
the catalogue's filtered count, ids and search (filters.py), keyed by the filter values, the search
words' terms and the day. `build` is then called only when the key is new, and the key must name
everything the SQL depends on. Only the SQL is kept, never rows: every call asks the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Model, QuerySet, Value
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators
from django.db.models.signals import post_init, pre_init
from django.http import Http404

#: Far below any primary key this project makes (AutoField ids start at 1).
_STAND_IN = -(10**12)


def stand_ins(kinds: tuple[type, ...]) -> list[int | str]:
    """One value no row has for each value of these types: a negative number for an id, a string
    between record separators for a code or a slug."""
    return [
        _STAND_IN - index if kind is int else f"\x1estand-in-{index}\x1e" for index, kind in enumerate(kinds)
    ]


class Statement(NamedTuple):
    queryset: QuerySet
    sql: str
    params: tuple
    places: tuple[int, ...]  # where each value goes among the parameters
    # The compiler's SELECT list (its expressions give the converters) and klass_info (which
    # columns make which instance, for rows()).
    select: tuple
    klass_info: dict | None
    annotations: dict  # annotation name -> column
    # column -> (converters, expression) of the columns Django converts (a boolean from SQLite),
    # found once: asking the compiler for them on every run cost 25 microseconds a query.
    converters: dict

    def parameters(self, values: Sequence[int | str]) -> list:
        params = list(self.params)
        for place, value in zip(self.places, values, strict=True):
            params[place] = value
        return params


#: Statements kept, by build function and shape (rows(), values()) and by key (keyed_values()).
KEPT = 512


@lru_cache(maxsize=KEPT)
def _compile(
    build: Callable[..., QuerySet], kinds: tuple[type, ...], shape: tuple[Hashable, ...]
) -> Statement | None:
    """The statement of `build` for values of these types, or None when its SQL cannot be reused
    (see the module's docstring)."""
    wanted = stand_ins(kinds)
    queryset = build(wanted, *shape)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    places = {}
    for index, value in enumerate(params):
        if type(value) in (int, str) and value in wanted:
            if value in places:  # twice in the SQL: cannot be filled in one for one
                return None
            places[value] = index
    if len(places) != len(wanted):
        return None
    return _statement_of(compiler, queryset, sql, params, tuple(places[value] for value in wanted))


def _statement_of(compiler, queryset: QuerySet, sql: str, params, places: tuple[int, ...]) -> Statement:
    """What running the SQL again needs from the compiler that made it."""
    select = tuple(compiler.select)
    return Statement(
        queryset,
        sql,
        tuple(params),
        places,
        select,
        compiler.klass_info,
        dict(compiler.annotation_col_map or {}),
        compiler.get_converters([expression for expression, _sql, _alias in select]),
    )


def _statement(build: Callable[..., QuerySet], values: Sequence[int | str], shape: tuple) -> Statement | None:
    kinds = tuple(type(value) for value in values)
    if any(kind not in (int, str) for kind in kinds):
        raise TypeError(f"compiled statements take ids and strings, not {kinds}")
    return _compile(build, kinds, shape)


def rows(build: Callable[..., QuerySet], values: Sequence[int | str] = (), *shape: Hashable) -> list[Model]:
    """The rows of `build(values, *shape)`, from SQL compiled once per (build, the values' types,
    shape): `values` are ids (int) or codes and slugs (str)."""
    try:
        statement = _statement(build, values, shape)
    except EmptyResultSet:  # `pk__in=[]`: Django knows without asking the database
        return []
    if statement is None:
        return list(build(list(values), *shape))
    return _instances(statement, _fetch(statement, statement.parameters(values)))


def one_or_404(build: Callable[..., QuerySet], values: Sequence[int | str], *shape: Hashable) -> Model:
    """get_object_or_404() from rows(): the page of one product, producer or place, found by its
    slug or code with its select_related() places in SQL compiled once, or Http404."""
    found = rows(build, values, *shape)
    if not found:
        raise Http404(f"No row of {build.__name__}() matches the given query.")
    return found[0]


def _instances(statement: Statement, found: list[tuple]) -> list[Model]:
    """The model instances of these rows, made as Django's ModelIterable makes them: the model's
    columns, then each select_related() instance (its RelatedPopulator), then the annotations. Only
    the compiling is skipped: Django would compile the SQL again, select_related joins included,
    every time (0.5 ms of Python for one product and its places, against 0.05 ms of SQL).

    This follows Django 6.1's ModelIterable, private names included (`_fetch_mode`,
    get_related_populators()); tests/catalogue/test_compiled.py checks the instances against the
    QuerySet's, so an upgrade that changes them fails there, not on a page."""
    if not found:
        return []
    queryset, select, klass_info = statement.queryset, statement.select, statement.klass_info
    database, fetch_mode = queryset.db, queryset._fetch_mode
    model = klass_info["model"]
    own = klass_info["select_fields"]
    start, end = own[0], own[-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    related = get_related_populators(klass_info, select, database, fetch_mode)
    build = _builder(model, database, attnames, fetch_mode)
    made = []
    for row in found:
        instance = build(row[start:end])
        for populator in related:
            populator.populate(row, instance)
        for name, column in statement.annotations.items():
            setattr(instance, name, row[column])
        made.append(instance)
    return made


def _builder(model: type[Model], database: str, attnames: list[str], fetch_mode) -> Callable[[tuple], Model]:
    """How an instance of `model` is made from its columns: `from_db()`, or the same end state
    written straight into the instance when nothing can tell the difference.

    Model.__init__ walks every concrete field of the model for each row, deferred ones included,
    and sends pre_init and post_init: about 8 microseconds a row for a product card, 56 rows a
    catalogue page. When the model keeps Django's own __init__ and from_db(), nothing listens to
    those signals for it, and its fields' attributes are stored as they are given (no descriptor of
    a loaded column transforms its value: Django's own only note what is cached), the instance
    Django would make is the one made here: its state, then the loaded columns in its __dict__; a
    deferred field is one left out, as with from_db()."""
    if (
        model.__init__ is not Model.__init__
        or model.from_db.__func__ is not Model.from_db.__func__
        or pre_init.has_listeners(model)
        or post_init.has_listeners(model)
    ):
        return lambda columns: model.from_db(database, attnames, columns, fetch_mode=fetch_mode)

    def build(columns: tuple) -> Model:
        instance = model.__new__(model)
        state = instance._state = ModelState()
        state.adding = False
        state.db = database
        if fetch_mode is not None:
            state.fetch_mode = fetch_mode
        instance.__dict__.update(zip(attnames, columns, strict=True))
        return instance

    return build


def values(
    build: Callable[..., QuerySet], values_: Sequence[int | str] = (), *shape: Hashable
) -> list[tuple]:
    """The rows of `build(values_, *shape)`, a values_list() QuerySet, as tuples: the values Django
    gives (its converters applied: a boolean from SQLite is True, not 1), from SQL compiled once,
    and without a model instance per row (a regency's hundreds of villages)."""
    try:
        statement = _statement(build, values_, shape)
    except EmptyResultSet:
        return []
    if statement is None:
        return [tuple(row) for row in build(list(values_), *shape)]
    return _fetch(statement, statement.parameters(values_))


def _fetch(statement: Statement, params: Sequence) -> list[tuple]:
    connection = connections[statement.queryset.db]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        found = cursor.fetchall()
    if not statement.converters:
        return found
    compiler = statement.queryset.query.get_compiler(connection=connection)  # applies them, 1 µs
    return [tuple(row) for row in compiler.apply_converters(found, statement.converters)]


_keyed: OrderedDict[Hashable, Statement | None] = OrderedDict()
_keyed_lock = threading.Lock()


def keyed_values(key: Hashable, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of `build()`, a values_list() QuerySet, as tuples (as values() gives them), from
    SQL compiled the first time `key` is seen: the key must name everything the SQL depends on.
    The last KEPT keys are remembered."""
    with _keyed_lock:  # threaded servers (runserver): another thread may evict the key meanwhile
        known = key in _keyed
        statement = _keyed[key] if known else None
        if known:
            _keyed.move_to_end(key)
    if not known:
        statement = _compile_keyed(build())
        with _keyed_lock:
            _keyed[key] = statement
            while len(_keyed) > KEPT:
                _keyed.popitem(last=False)
    return [] if statement is None else _fetch(statement, statement.params)


def keyed_count(key: Hashable, build: Callable[[], QuerySet]) -> int:
    """How many rows `build()` has, from `SELECT COUNT(…)` SQL compiled the first time `key` is seen
    (keyed_values())."""
    rows = keyed_values(key, lambda: counted(build()))
    return rows[0][0] if rows else 0


def counted(queryset: QuerySet) -> QuerySet:
    """The QuerySet's count as a one-row values_list() QuerySet, whose SQL can be kept (count()
    runs at once). Grouped by a constant, which Django leaves out of GROUP BY: one plain COUNT(*),
    which SQLite answers from the index alone (`COUNT(id)` read every id: 1.0 against 0.6 ms for
    10,000 published products)."""
    return (
        queryset.order_by()
        .annotate(_everything=Value(1))
        .values("_everything")
        .annotate(_count=Count("*"))
        .values_list("_count")
    )


def _compile_keyed(queryset: QuerySet) -> Statement | None:
    try:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # `pk__in=[]`: nothing to ask
        return None
    return _statement_of(compiler, queryset, sql, params, ())


def forget() -> None:
    """Drop every compiled statement (a test that changes what a build function returns)."""
    _compile.cache_clear()
    with _keyed_lock:
        _keyed.clear()
