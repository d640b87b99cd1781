"""The forgiving search (catalogue/search.py): typos, English words, ranking, suggestions."""

from __future__ import annotations

import html
import re

import pytest

from catalogue import search
from catalogue.demo import load_demo
from catalogue.models import Product

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
