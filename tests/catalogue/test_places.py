"""Regency and village pages (catalogue/views/places.py), under their villages: URL names."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ngada():
    regency = factories.regency("53.09", "Kabupaten Ngada")
    bajawa = factories.district("53.09.01", "Bajawa", regency_code="53.09")
    golewa = factories.district("53.09.02", "Golewa", regency_code="53.09")
    locus = factories.village(
        "53.09.01.2005",
        "Beiposo",
        is_ovop_locus=True,
        commodity="Kopi arabika",
        raw_material_notes="Kebun kopi di lereng Inerie.",
        sustainability_score=4,
        mapped_on=datetime.date(2025, 3, 14),
    )
    satellite = factories.village("53.09.02.2001", "Were")
    quiet = factories.village("53.09.02.1002", "Kisanata")  # a kelurahan without producers
    locus.satellite_villages.add(satellite)
    assert {bajawa, golewa}
    return {"regency": regency, "locus": locus, "satellite": satellite, "quiet": quiet}


def add_products(village, count: int, start: int = 0) -> None:
    producer = factories.producer(f"Koperasi {village.name} {start}", village_=village)
    for n in range(start, start + count):
        made = factories.product(f"Kopi {village.name} {n:03d}", producer_=producer)
        factories.product_image(made)


def test_regency_page_lists_its_loci_villages_producers_and_products(client, ngada):
    add_products(ngada["locus"], 2)
    factories.product(
        "Kopi Disembunyikan", producer_=factories.producer(village_=ngada["locus"]), is_published=False
    )
    response = client.get("/kabupaten/kabupaten-ngada/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Kabupaten Ngada</h1>" in html
    assert 'href="/desa/53.09.01.2005/"' in html  # the locus
    assert "Kopi arabika" in html
    assert "Koperasi Beiposo 0" in html
    assert "Kopi Beiposo 000" in html and "Kopi Beiposo 001" in html
    assert "Kopi Disembunyikan" not in html
    assert "3 desa/kelurahan di 2 kecamatan." in html
    assert 'href="/desa/53.09.02.1002/"' in html  # every village, grouped by district


def test_a_village_with_a_producer_is_among_the_loci_and_one_with_neither_only_in_the_list(client, ngada):
    factories.producer("Tenun Were", village_=ngada["satellite"])  # not a locus, but it produces
    factories.producer("Tenun Were Kedua", village_=ngada["satellite"])  # listed once all the same
    html = client.get("/kabupaten/kabupaten-ngada/").content.decode()
    loci = html.split("<h2>Desa lokus OVOP</h2>")[1].split("</ul>")[0]
    assert loci.count('href="/desa/53.09.02.2001/"') == 1 and 'href="/desa/53.09.01.2005/"' in loci
    assert "53.09.02.1002" not in loci and 'href="/desa/53.09.02.1002/"' in html
    producers = html.split("<h2>UMKM</h2>")[1].split("</ul>")[0]
    assert '>Tenun Were</a> <span class="muted">Were</span>' in producers
    assert "UMKM lainnya" not in html  # two producers: all shown, nothing more to count


def test_regency_page_links_to_the_filtered_catalogue_when_it_has_more_products_than_it_shows(client, ngada):
    add_products(ngada["locus"], 25)
    html = client.get("/kabupaten/kabupaten-ngada/").content.decode()
    assert html.count('<li class="card">') == 24
    assert 'href="/produk/?kabupaten=kabupaten-ngada">Lihat semua 25 produk</a>' in html


def test_village_page_shows_its_mapping_producers_and_products(client, ngada):
    add_products(ngada["locus"], 2)
    html = client.get("/desa/53.09.01.2005/").content.decode()
    assert "<h1>Desa Beiposo</h1>" in html
    assert "Lokus OVOP" in html
    assert "Kopi arabika" in html
    assert "Kebun kopi di lereng Inerie." in html
    assert "4 dari 5" in html
    assert "14 Maret 2025" in html
    assert 'href="/desa/53.09.02.2001/">Were</a>' in html  # its satellite village
    assert "Koperasi Beiposo 0" in html
    assert "Kopi Beiposo 001" in html
    assert 'href="/kabupaten/kabupaten-ngada/"' in html


def test_village_page_counts_each_producers_published_products(client, ngada):
    add_products(ngada["locus"], 2)
    factories.product(
        "Kopi Rahasia",
        producer_=factories.producer("Koperasi Sunyi", village_=ngada["locus"]),
        is_published=False,
    )
    html = client.get("/desa/53.09.01.2005/").content.decode()
    assert re.search(r'>Koperasi Beiposo 0</a>\s*<span class="muted">2 produk</span>', html)
    assert re.search(r'>Koperasi Sunyi</a>\s*<span class="muted">0 produk</span>', html)
    assert "Kopi Rahasia" not in html


def test_a_satellite_village_links_back_to_the_locus_it_supplies(client, ngada):
    html = client.get("/desa/53.09.02.2001/").content.decode()
    assert "Memasok desa lokus" in html
    assert 'href="/desa/53.09.01.2005/">Beiposo</a>' in html


def test_a_kelurahan_is_called_so(client, ngada):
    assert "<h1>Kelurahan Kisanata</h1>" in client.get("/desa/53.09.02.1002/").content.decode()


@pytest.mark.parametrize("url", ["/kabupaten/tidak-ada/", "/desa/53.99.99.2999/", "/desa/bukan-kode/"])
def test_unknown_regencies_and_villages_are_an_indonesian_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.parametrize("url", ["/kabupaten/kabupaten-ngada/", "/desa/53.09.01.2005/"])
def test_regency_and_village_page_queries_do_not_grow_with_the_products(
    client, ngada, url, django_assert_max_num_queries
):
    add_products(ngada["locus"], 1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_products(ngada["locus"], 49, start=1)
    add_products(ngada["satellite"], 5)
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200
    assert len(one) == len(fifty)


def test_a_regency_with_many_producers_shows_24_and_how_many_more_yet_lists_every_village(client, ngada):
    villages = [
        factories.village(f"53.09.02.{2100 + n}", f"Desa Uji {n:02d}", is_ovop_locus=True) for n in range(26)
    ]
    for n, village in enumerate(villages):
        factories.producer(f"UMKM Uji {n:02d}", village_=village)
    html = client.get("/kabupaten/kabupaten-ngada/").content.decode()
    assert "UMKM Uji 23" in html and "UMKM Uji 24" not in html  # by name: the first 24
    assert "dan 2 UMKM lainnya: lihat produk mereka di katalog" in html
    assert "desa lokus lainnya, di daftar semua desa di bawah." in html
    for village in villages:  # every village, grouped by district, each with its own page
        assert f'<li><a href="/desa/{village.code}/">{village.name}</a></li>' in html
    english = client.get("/en/kabupaten/kabupaten-ngada/").content.decode()
    assert "and 2 more producers: see their products in the catalogue" in english
