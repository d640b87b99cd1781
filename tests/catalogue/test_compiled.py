"""catalogue/compiled.py: SQL compiled once per shape, run with each call's own ids."""

import pytest
from django.db.models import F
from django.db.models.signals import post_init
from django.http import Http404

from catalogue import compiled
from catalogue.models import Product
from tests import factories
from villages.models import Village

pytestmark = pytest.mark.django_db


def by_ids(ids: list[int]):
    return Product.objects.filter(pk__in=ids).order_by("name")


def by_ids_and_price(ids: list[int], price: int):
    return Product.objects.filter(pk__in=ids, price__gte=price).order_by("name")


def doubled(ids: list[int]):
    # Each id twice among the parameters: the compiled SQL cannot be filled in one for one.
    return Product.objects.filter(pk__in=ids).exclude(pk__in=[i for i in ids if i > 10**9]).filter(pk__in=ids)


def villages_by_code(codes: list[str]):
    return (
        Village.objects.filter(code__in=codes).order_by("code").values_list("code", "name", "is_ovop_locus")
    )


def by_slug_with_places(slugs: list[str]):
    return Product.objects.with_places().filter(slug=slugs[0])


def names_by_ids(ids: list[int]):
    # A deferred field and an annotation, beside a related row.
    return (
        Product.objects.select_related("category")
        .only("name", "category__name")
        .annotate(doubled_price=F("price") * 2)
        .filter(pk__in=ids)
        .order_by("name")
    )


def products_named_like(words: list[str]):
    return Product.objects.filter(name__icontains=words[0]).order_by("name")


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


def test_values_are_tuples_with_djangos_conversions():
    factories.village("53.01.04.2003", "Bokonusan", is_ovop_locus=True)
    factories.village("53.01.04.2004", "Uitiuhtuan")
    rows = compiled.values(villages_by_code, ["53.01.04.2004", "53.01.04.2003"])
    assert rows == [("53.01.04.2003", "Bokonusan", True), ("53.01.04.2004", "Uitiuhtuan", False)]
    assert all(type(locus) is bool for _code, _name, locus in rows)  # SQLite stores 1 and 0
    assert compiled._compile(villages_by_code, (str, str), ()) is not None
    assert compiled.values(villages_by_code, ["53.01.04.2004", "53.99.99.9999"]) == [
        ("53.01.04.2004", "Uitiuhtuan", False)
    ]


def test_a_lookup_that_transforms_its_value_is_run_the_ordinary_way():
    factories.product("Kopi Bajawa")
    factories.product("Madu Hutan")
    assert compiled._compile(products_named_like, (str,), ()) is None
    assert [p.name for p in compiled.rows(products_named_like, ["kopi"])] == ["Kopi Bajawa"]
    assert [p.name for p in compiled.rows(products_named_like, ["madu"])] == ["Madu Hutan"]


def names_from(calls: list[str], pattern: str = "Kopi"):
    def build():
        calls.append(pattern)
        return Product.objects.filter(name__startswith=pattern).order_by("name").values_list("name")

    return build


def test_a_keyed_statement_is_built_once_and_reads_fresh_rows_every_time(django_assert_num_queries):
    calls: list[str] = []
    factories.product("Kopi A")
    assert compiled.keyed_values(("kopi", 1), names_from(calls)) == [("Kopi A",)]
    factories.product("Kopi B")
    with django_assert_num_queries(1):
        assert compiled.keyed_values(("kopi", 1), names_from(calls)) == [("Kopi A",), ("Kopi B",)]
    assert calls == ["Kopi"]  # built for the first call only
    assert compiled.keyed_values(("teh", 1), names_from(calls, "Teh")) == []
    assert calls == ["Kopi", "Teh"]


def test_a_keyed_statement_that_can_find_nothing_asks_nothing(django_assert_num_queries):
    def nothing():
        return Product.objects.filter(pk__in=[]).values_list("pk")

    for _ in range(2):
        with django_assert_num_queries(0):
            assert compiled.keyed_values(("nothing",), nothing) == []


def test_only_the_last_keys_are_kept(monkeypatch):
    monkeypatch.setattr(compiled, "KEPT", 2)
    compiled.forget()
    calls: list[str] = []
    for key in ("a", "b", "a", "c", "a", "b"):
        compiled.keyed_values(key, names_from(calls, key))
    # "a", used again before "c" came, stayed; "b" was the oldest when "c" came, and was built again.
    assert calls == ["a", "b", "c", "b"]
    compiled.forget()


def test_a_keyed_count_counts_anew_every_time(django_assert_num_queries):
    def kopi():
        return Product.objects.filter(name__startswith="Kopi")

    assert compiled.keyed_count(("kopi-count",), kopi) == 0
    factories.product("Kopi A")
    factories.product("Kopi B")
    factories.product("Teh")
    with django_assert_num_queries(1):
        assert compiled.keyed_count(("kopi-count",), kopi) == 2
    assert compiled.keyed_count(("none-count",), Product.objects.none) == 0


def test_a_keyed_count_asks_count_star_which_sqlite_answers_from_an_index(django_assert_num_queries):
    # COUNT("id") made SQLite read every id of the index: 1.0 against 0.6 ms at 10,000 products.
    factories.product("Kopi A")
    with django_assert_num_queries(1) as asked:
        assert compiled.keyed_count(("count-star",), Product.objects.published) == 1
    assert "COUNT(*)" in asked.captured_queries[0]["sql"]


def test_rows_come_with_their_select_related_places_from_one_query(django_assert_num_queries):
    kopi = factories.product("Kopi Bokonusan", factories.producer("UMKM Bokonusan", factories.village()))
    other = factories.product("Kopi Lain")
    compiled.rows(by_slug_with_places, [other.slug])  # compiled on another slug
    with django_assert_num_queries(1):
        [found] = compiled.rows(by_slug_with_places, [kopi.slug])
        place = found.producer.village.district.regency
        assert (found.pk, found.name, found.category.name) == (kopi.pk, "Kopi Bokonusan", "Kopi")
        assert (found.producer.name, found.producer.village.name) == ("UMKM Bokonusan", "Bokonusan")
        assert place == kopi.producer.village.district.regency
    assert found == Product.objects.with_places().get(slug=kopi.slug)
    assert not found._state.adding and found._state.db == "default"  # saved rows, as the ORM gives


def test_rows_keep_deferred_fields_and_annotations_as_the_queryset_does(django_assert_num_queries):
    a = factories.product("Kopi A", price=25_000)
    b = factories.product("Kopi B", price=30_000)
    compiled.rows(names_by_ids, [a.pk, b.pk])
    with django_assert_num_queries(1):
        found = compiled.rows(names_by_ids, [b.pk, a.pk])
        assert [(p.name, p.category.name, p.doubled_price) for p in found] == [
            ("Kopi A", "Kopi", 50_000),
            ("Kopi B", "Kopi", 60_000),
        ]
    assert found[0].get_deferred_fields() == names_by_ids([a.pk])[0].get_deferred_fields()
    assert "price" in found[0].get_deferred_fields()


def test_one_or_404_gives_the_row_or_a_404():
    kopi = factories.product("Kopi Bokonusan")
    assert compiled.one_or_404(by_slug_with_places, [kopi.slug]) == kopi
    with pytest.raises(Http404):
        compiled.one_or_404(by_slug_with_places, ["tidak-ada"])


def own_values(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_rows_are_the_instances_the_queryset_makes_and_save_as_updates():
    kopi = factories.product("Kopi A", price=25_000)
    compiled.rows(names_by_ids, [kopi.pk])
    [found] = compiled.rows(names_by_ids, [kopi.pk])
    [expected] = names_by_ids([kopi.pk])
    assert own_values(found) == own_values(expected)
    assert (found._state.adding, found._state.db) == (expected._state.adding, expected._state.db)
    assert found.price == 25_000  # a deferred field loads on use, as the ORM's instance does
    found.name = "Kopi A Baru"
    found.save(update_fields=["name"])
    assert list(Product.objects.values_list("name", flat=True)) == ["Kopi A Baru"]  # updated, not added


def test_a_model_with_an_init_listener_is_made_by_django_so_the_listener_hears_every_row():
    a, b = factories.product("Kopi A"), factories.product("Kopi B")
    heard: list[int] = []

    def listener(sender, instance, **kwargs):
        heard.append(instance.pk)

    post_init.connect(listener, sender=Product, weak=False)
    try:
        assert [p.name for p in compiled.rows(by_ids, [a.pk, b.pk])] == ["Kopi A", "Kopi B"]
    finally:
        post_init.disconnect(listener, sender=Product)
    assert heard == [a.pk, b.pk]
