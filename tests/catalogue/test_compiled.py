"""catalogue/compiled.py: SQL compiled once per shape, run with each call's own ids."""

import pytest

from catalogue import compiled
from catalogue.models import Product
from tests import factories

pytestmark = pytest.mark.django_db


def by_ids(ids: list[int]):
    return Product.objects.filter(pk__in=ids).order_by("name")


def by_ids_and_price(ids: list[int], price: int):
    return Product.objects.filter(pk__in=ids, price__gte=price).order_by("name")


def doubled(ids: list[int]):
    # Each id twice among the parameters: the compiled SQL cannot be filled in one for one.
    return Product.objects.filter(pk__in=ids).exclude(pk__in=[i for i in ids if i > 10**9]).filter(pk__in=ids)


def test_the_same_count_of_other_ids_gives_the_other_rows(django_assert_num_queries):
    a, b, c, d = (factories.product(name) for name in ("Kopi A", "Kopi B", "Kopi C", "Kopi D"))
    assert [p.name for p in compiled.rows(by_ids, [a.pk, b.pk])] == ["Kopi A", "Kopi B"]
    hits = compiled._compile.cache_info().hits
    with django_assert_num_queries(1):
        assert [p.name for p in compiled.rows(by_ids, [d.pk, c.pk])] == ["Kopi C", "Kopi D"]
    assert compiled._compile.cache_info().hits == hits + 1  # the statement of the first call
    assert compiled._compile(by_ids, (int, int), ()) is not None  # filled in, not run the ordinary way
    assert [p.name for p in compiled.rows(by_ids, [c.pk])] == ["Kopi C"]


def test_shape_values_are_part_of_the_statement():
    cheap = factories.product("Kopi Murah", price=10_000)
    dear = factories.product("Kopi Mahal", price=90_000)
    ids = [cheap.pk, dear.pk]
    assert [p.name for p in compiled.rows(by_ids_and_price, ids, 50_000)] == ["Kopi Mahal"]
    assert [p.name for p in compiled.rows(by_ids_and_price, ids, 5_000)] == ["Kopi Mahal", "Kopi Murah"]


def test_no_ids_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert compiled.rows(by_ids, []) == []


def test_a_statement_that_cannot_be_filled_in_is_run_the_ordinary_way():
    a, b = factories.product("Kopi A"), factories.product("Kopi B")
    assert compiled._compile(doubled, (int, int), ()) is None
    assert sorted(p.name for p in compiled.rows(doubled, [a.pk, b.pk])) == ["Kopi A", "Kopi B"]
    assert [p.name for p in compiled.rows(doubled, [b.pk, 10**6])] == ["Kopi B"]
