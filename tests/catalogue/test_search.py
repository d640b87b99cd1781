"""The forgiving search (catalogue/search.py): typos, English words, ranking, suggestions."""

from __future__ import annotations

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import search
from catalogue.demo import load_demo
from catalogue.models import Product
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo(with_images=False)


def found(client, query: str) -> list[str]:
    content = client.get("/produk/", {"q": query}).content.decode()
    results = content.split('id="hasil"', 1)[1].split("Produk unggulan", 1)[0]
    return [html.unescape(name) for name in re.findall(r'<h3 class="card-title">([^<]+)</h3>', results)]


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("kopii", "Kopi"),  # product name, one extra letter
        ("mdu", "Madu"),  # product name and category, a letter missing
        ("tenunn", "Tenun"),
        ("kpoi", "Kopi"),  # two letters swapped
        ("arbika", "Arabika"),
        ("rempa", "Kemiri"),  # category "Rempah dan Bumbu"
    ],
)
def test_a_typo_within_two_edits_of_a_name_still_finds_it(client, demo, typo, meant):
    names = found(client, typo)
    assert names and any(meant in name for name in names), names


def test_typos_in_places_and_producers_still_find_their_products(client, demo):
    assert "Rumput Laut Kering Tablolong" in found(client, "tablolog")  # village, a letter missing
    assert "Kopi Arabika Bajawa Beiwali" in found(client, "ngadda")  # regency Ngada
    producer = Product.objects.select_related("producer").get(slug="madu-hutan-mutis-fatumnasi").producer
    typo = producer.name.split()[-1][:-1] + "x"  # the producer's last word, its last letter wrong
    assert "Madu Hutan Mutis Fatumnasi" in found(client, typo)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("coffee", "Kopi Arabika Bajawa Beiwali"),
        ("honey", "Madu Hutan Mutis Fatumnasi"),
        ("weaving", "Kain Songke Todo"),
        ("woven cloth", "Kain Tenun Ikat Nggela"),
        ("palm sugar", "Gula Aren Cetak Jerebuu"),
        ("moringa", "Serbuk Daun Kelor Malaka"),
        ("candlenut", "Kemiri Kupas Eban"),
        ("cashew", "Kacang Mete Sangrai Adonara"),
        ("seaweed", "Rumput Laut Kering Tablolong"),
    ],
)
def test_english_words_find_the_indonesian_products(client, demo, words, expected):
    assert expected in found(client, words)


def test_results_are_ranked_name_first_then_category_then_place(client, demo):
    # "kopi": the products named Kopi…, then the rest of the category "Kopi dan Kakao" (Cokelat…).
    names = found(client, "kopi")
    named = [name for name in names if "kopi" in name.lower()]
    assert names[: len(named)] == named  # every product named Kopi before any other
    assert any("Cokelat" in name for name in names[len(named) :])  # category "Kopi dan Kakao" next


def test_an_explicit_sort_still_wins_over_the_ranking(client, demo):
    content = client.get("/produk/", {"q": "kopi", "urut": "nama"}).content.decode()
    ordered = [html.unescape(name) for name in re.findall(r'<h3 class="card-title">([^<]+)</h3>', content)]
    assert len(ordered) > 5 and ordered == sorted(ordered)
    assert ordered != found(client, "kopi")  # the ranking would put Cokelat… last


def test_a_search_with_no_result_suggests_a_spelling_and_shows_featured_products(client, demo):
    content = client.get("/produk/", {"q": "kopiiiz"}).content.decode()
    assert "0 produk" in content
    assert "Mungkin maksud Anda:" in content
    assert re.search(r'<a href="/produk/\?q=kopi"[^>]*>kopi</a>', content)
    assert "Produk unggulan" in content
    featured = Product.objects.published().featured()
    assert featured.exists() and all(product.name in html.unescape(content) for product in featured[:4])


def test_the_vocabulary_holds_names_places_and_categories_folded():
    vocabulary = ("bajawa", "kopi", "madu", "tenun")
    assert search.close_words("kopii", vocabulary) == ["kopi"]
    assert search.close_words("mdu", vocabulary) == ["madu"]
    assert search.close_words("xyz", vocabulary) == []
    assert search.terms("kopi", vocabulary) == ["kopi"]  # a known word is not widened
    assert search.terms("coffees", vocabulary) == ["coffees", "kopi"]


def test_search_keeps_the_catalogue_query_budget(client, demo, django_assert_max_num_queries):
    client.get("/produk/", {"q": "kopii"})  # the vocabulary is read once per catalogue version
    with django_assert_max_num_queries(6):
        assert client.get("/produk/", {"q": "honey"}).status_code == 200


# --- one pass, on both engines ---------------------------------------------------------------------


def test_a_typo_costs_no_more_queries_than_a_word_spelt_right_once_the_vocabulary_is_cached(client, demo):
    client.get("/produk/", {"q": "kopii"})  # reads the vocabulary (once per catalogue version)
    with CaptureQueriesContext(connection) as spelt_right:
        client.get("/produk/", {"q": "kopi"})
    with CaptureQueriesContext(connection) as typo:
        assert "Kopi Arabika Bajawa Beiwali" in html.unescape(
            client.get("/produk/", {"q": "kpoi"}).content.decode()
        )
    assert len(typo) == len(spelt_right)  # one pass over the products: typos resolved beforehand


def test_a_typo_is_still_found_before_the_vocabulary_is_cached(client, demo):
    cache.clear()  # e.g. right after an edit, on another server: as typed, then widened
    assert "Madu Hutan Mutis Fatumnasi" in found(client, "mdu")


def test_a_search_by_an_apostrophe_less_word_still_finds_it_with_a_typo(client, demo):
    product = Product.objects.published().first()
    product.name = "Se'i Sapi Asap Kupang"
    product.save()
    assert "Se'i Sapi Asap Kupang" in found(client, "sei sapi")
    assert "Se'i Sapi Asap Kupang" in found(client, "seii sapi")  # the typo of a word with an apostrophe


@pytest.mark.parametrize(
    ("alternatives", "whole_words", "kept"),
    [
        (["kopii", "kopi", "kodi"], False, ["kopi", "kodi"]),  # what contains kopii contains kopi
        (["tenunn", "tenun", "tenunan"], False, ["tenun"]),
        (["coffee", "kopi"], False, ["coffee", "kopi"]),
        (["akopi", "kopi"], True, ["akopi", "kopi"]),  # PostgreSQL's prefixes: kopi:* misses akopi
        (["kopi", "kopi arabika"], True, ["kopi"]),
    ],
)
def test_terms_that_another_term_already_finds_are_left_out(alternatives, whole_words, kept):
    assert search.text.necessary(alternatives, whole_words=whole_words) == kept


@pytest.mark.parametrize("query", ["tuna", "tuna kupang", "nuts"])
def test_an_english_word_spelt_like_its_indonesian_meaning_still_searches(client, demo, query):
    response = client.get("/produk/", {"q": query})
    assert response.status_code == 200


def test_an_english_word_is_not_widened_to_close_spellings():
    assert search.terms("cloth", ("cloth", "clothe", "kain", "tenun")) == [
        "cloth",
        "kain",
        "tenun",
        "sarung",
        "selendang",
    ]
    assert search.terms("woven", ("oven", "tenun")) == ["woven", "tenun"]  # never "oven"


def test_results_rank_a_name_before_a_category_before_a_place(client):
    village = factories.village("53.09.01.2001", "Kopidesa")
    kopi = factories.category("Kopi dan Kakao", "kopi-dan-kakao")
    other = factories.category("Madu", "madu")
    made_there = factories.producer("UMKM Lestari", village_=village)
    factories.product("Abon Tuna Kopidesa", producer_=factories.producer("UMKM Jaya"), category=other)
    factories.product("Bubuk Cokelat", producer_=made_there, category=kopi)
    factories.product("Kopi Robusta", producer_=made_there, category=other)
    factories.product("Gula Aren", producer_=made_there, category=other, short_description="Gula asli.")
    # kopi: in the name (Kopi Robusta, Abon Tuna Kopidesa), then the category, then the village
    assert found(client, "kopi") == ["Abon Tuna Kopidesa", "Kopi Robusta", "Bubuk Cokelat", "Gula Aren"]


def test_a_renamed_product_is_found_by_its_new_name_and_no_longer_by_its_old_one(client, demo):
    # The texts a search reads are one column the database computes (Product.search_text): an
    # edit through the admin (save) and a bulk edit (update) both keep it in step.
    product = Product.objects.published().first()
    product.name = "Keripik Pisang Sabu"
    product.save()
    assert "Keripik Pisang Sabu" in found(client, "keripik pisang")
    Product.objects.filter(pk=product.pk).update(name="Dodol Nanas Rote")
    assert "Dodol Nanas Rote" in found(client, "dodol nanas")
    assert "Dodol Nanas Rote" not in found(client, "keripik")


def test_a_word_of_either_description_finds_the_product_apostrophes_ignored(client):
    factories.product("Abon Tuna", short_description="Gurih, dibuat di pantai.")
    factories.product(
        "Gula Aren", short_description="Manis.", short_description_en="Palm sugar from Rote's hills."
    )
    assert found(client, "pantai") == ["Abon Tuna"]
    assert found(client, "rotes hills") == ["Gula Aren"]


def test_a_deleted_product_leaves_the_search(client):
    gone = factories.product("Kopi Arabika Bajawa")
    factories.product("Kopi Robusta Manggarai")
    gone.delete()
    assert found(client, "kopi") == ["Kopi Robusta Manggarai"]


def test_a_word_too_short_for_the_index_is_still_found(client):
    # Two letters have no three-letter piece for SQLite's trigram index: compared by LIKE instead.
    factories.product("Kain Ikat Ende")
    factories.product("Kopi Bajawa")
    assert found(client, "ik") == ["Kain Ikat Ende"]
    assert found(client, "ikat en") == ["Kain Ikat Ende"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigram index (catalogue/search/fts.py)")
def test_the_search_index_is_rebuilt_after_a_migration_dropped_its_triggers(client):
    # Django rebuilds a SQLite table for many schema changes, which drops its triggers: after every
    # migrate, ensure() puts back what is missing and indexes what was written meanwhile.
    from catalogue.search import fts

    factories.product("Kopi Arabika Bajawa")
    with connection.cursor() as cursor:
        for trigger in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER catalogue_product_fts_{trigger}")
    factories.product("Kopi Robusta Manggarai")  # written while the index was not kept
    assert fts.ensure() is True
    assert sorted(found(client, "kopi")) == ["Kopi Arabika Bajawa", "Kopi Robusta Manggarai"]
    assert fts.ensure() is False  # everything in place: nothing to do


def test_a_place_word_finds_products_by_producer_village_or_regency_each_once(client):
    # Each way a place matches is its own branch of the search's SQL (search/sql.py producers()):
    # the producer's name, its village's name (apostrophes ignored), its regency's name.
    regency = factories.regency("53.19", "Kabupaten Manggarai Timur")
    district = factories.district("53.19.01", "Borong", regency_code=regency.code)
    in_regency = factories.village("53.19.01.2001", "Golo Kantar", district=district)
    named = factories.village("53.01.04.2010", "Ne'otobe")
    factories.product("Kopi Colol", producer_=factories.producer("UMKM Kopi Golo", village_=in_regency))
    factories.product("Madu Timor", producer_=factories.producer("UMKM Madu", village_=named))
    factories.product("Abon Ikan", producer_=factories.producer("Kelompok Neotobe Jaya"))
    factories.product("Gula Semut", producer_=factories.producer("UMKM Lain"))
    assert found(client, "manggarai") == ["Kopi Colol"]  # the regency
    assert found(client, "golo") == ["Kopi Colol"]  # the producer and the village: shown once
    assert found(client, "neotobe") == ["Abon Ikan", "Madu Timor"]  # a producer; a village with '
