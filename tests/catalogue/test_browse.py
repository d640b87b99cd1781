"""The storefront's catalogue, product and producer pages (catalogue/views/browse.py)."""

from __future__ import annotations

import datetime
import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.filters import PAGE_SIZE
from catalogue.models import Product
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def place(regency_code: str, regency_name: str, village_name: str, village_code: str | None = None):
    """A village in its own district of the given regency, e.g. place("53.02", "Kabupaten TTS", "Boti")."""
    factories.regency(regency_code, regency_name)
    district = factories.district(
        f"{regency_code}.01", f"Kecamatan {village_name}", regency_code=regency_code
    )
    return factories.village(village_code or f"{district.code}.2001", village_name)


def in_village(village, name: str, **fields) -> Product:
    return factories.product(name, producer_=factories.producer(village_=village), **fields)


def names(response) -> list[str]:
    return [
        html.unescape(name)
        for name in re.findall(r'<h3 class="card-title">([^<]+)</h3>', response.content.decode())
    ]


@pytest.fixture
def two_regencies():
    """Kopi in Ngada (Bajawa), tenun in Sumba Timur (Kambera), and their categories."""
    kopi, tenun = factories.category("Kopi"), factories.category("Tenun Ikat", "tenun-ikat")
    bajawa = place("53.09", "Kabupaten Ngada", "Beiposo")
    kambera = place("53.11", "Kabupaten Sumba Timur", "Kambera")
    return {
        "kopi": in_village(bajawa, "Kopi Arabika Bajawa", category=kopi, price=85000),
        "sei": in_village(
            bajawa, "Se'i Babi Asap", category=kopi, price=120000, short_description="Daging asap khas."
        ),
        "tenun": in_village(kambera, "Kain Tenun Ikat Kambera", category=tenun, price=1500000),
    }


# --- listing, filters, search, sort ---------------------------------------------------------------


def test_catalogue_lists_published_products_only(client):
    factories.product("Madu Hutan Timor")
    factories.product("Madu Belum Tayang", is_published=False)
    response = client.get("/produk/")
    assert response.status_code == 200
    assert names(response) == ["Madu Hutan Timor"]


def test_catalogue_shows_price_unit_village_and_regency_on_each_card(client):
    factories.product(
        "Gula Lontar Rote",
        producer_=factories.producer(village_=place("53.14", "Kabupaten Rote Ndao", "Oenggae")),
        price=25000,
        unit="botol 250 ml",
    )
    html = client.get("/produk/").content.decode()
    assert "Rp25.000" in html
    assert "botol 250 ml" in html
    assert "Oenggae, Kabupaten Rote Ndao" in html


def test_filters_by_category_and_by_regency_and_both(client, two_regencies):
    assert sorted(names(client.get("/produk/?kategori=tenun-ikat"))) == ["Kain Tenun Ikat Kambera"]
    assert sorted(names(client.get("/produk/?kabupaten=kabupaten-ngada"))) == [
        "Kopi Arabika Bajawa",
        "Se'i Babi Asap",
    ]
    assert names(client.get("/produk/?kabupaten=kabupaten-ngada&kategori=tenun-ikat")) == []


def test_the_same_filters_again_show_what_changed_since(client, two_regencies):
    # The SQL of a filtered page and of a search is kept per state (catalogue/compiled.py): the rows
    # are read anew every time.
    assert names(client.get("/produk/?kategori=kopi")) == ["Se'i Babi Asap", "Kopi Arabika Bajawa"]
    assert names(client.get("/produk/?q=kopi")) == ["Kopi Arabika Bajawa", "Se'i Babi Asap"]
    two_regencies["sei"].is_published = False
    two_regencies["sei"].save()
    in_village(
        place("53.09", "Kabupaten Ngada", "Beiposo"),
        "Kopi Robusta Bajawa",
        category=two_regencies["kopi"].category,
    )
    assert names(client.get("/produk/?kategori=kopi")) == ["Kopi Robusta Bajawa", "Kopi Arabika Bajawa"]
    assert names(client.get("/produk/?q=kopi")) == ["Kopi Arabika Bajawa", "Kopi Robusta Bajawa"]


def test_a_slug_given_to_another_category_filters_that_category(client, two_regencies):
    assert names(client.get("/produk/?kategori=tenun-ikat")) == ["Kain Tenun Ikat Kambera"]
    tenun = two_regencies["tenun"].category
    tenun.slug = "tenun"
    tenun.save()
    kopi = two_regencies["kopi"].category
    kopi.slug = "tenun-ikat"
    kopi.save()
    assert names(client.get("/produk/?kategori=tenun-ikat")) == ["Se'i Babi Asap", "Kopi Arabika Bajawa"]
    assert names(client.get("/produk/?kategori=tenun")) == ["Kain Tenun Ikat Kambera"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("arabika", ["Kopi Arabika Bajawa"]),  # product name
        ("DAGING asap", ["Se'i Babi Asap"]),  # description, case and several words
        ("beiposo", ["Kopi Arabika Bajawa", "Se'i Babi Asap"]),  # village name
        ("sumba timur", ["Kain Tenun Ikat Kambera"]),  # regency name
        ("Kámberá", ["Kain Tenun Ikat Kambera"]),  # accents typed by the shopper
        ("sei", ["Se'i Babi Asap"]),  # apostrophe left out
        ("SE’I", ["Se'i Babi Asap"]),  # typographic apostrophe
        ("kopi kambera", []),  # every word must match
    ],
)
def test_search_matches_names_descriptions_and_places_ignoring_case_and_accents(
    client, two_regencies, query, expected
):
    response = client.get("/produk/", {"q": query})
    assert response.status_code == 200
    assert sorted(names(response)) == expected


def test_search_finds_a_product_by_its_producer_name(client):
    village = place("53.06", "Kabupaten Flores Timur", "Lewotobi")
    factories.product(
        "Kacang Mete", producer_=factories.producer("Koperasi Mete Lamaholot", village_=village)
    )
    assert names(client.get("/produk/?q=lamaholot")) == ["Kacang Mete"]


def test_search_treats_like_wildcards_as_plain_text(client, two_regencies):
    assert names(client.get("/produk/?q=%25")) == []
    assert names(client.get("/produk/?q=_")) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("harga-naik", ["Kopi Arabika Bajawa", "Se'i Babi Asap", "Kain Tenun Ikat Kambera"]),
        ("harga-turun", ["Kain Tenun Ikat Kambera", "Se'i Babi Asap", "Kopi Arabika Bajawa"]),
        ("nama", ["Kain Tenun Ikat Kambera", "Kopi Arabika Bajawa", "Se'i Babi Asap"]),
        ("terbaru", ["Kain Tenun Ikat Kambera", "Se'i Babi Asap", "Kopi Arabika Bajawa"]),
    ],
)
def test_sort_orders(client, two_regencies, sort, expected):
    assert names(client.get("/produk/", {"urut": sort})) == expected


def test_newest_first_is_the_default_order(client, two_regencies):
    assert names(client.get("/produk/")) == names(client.get("/produk/?urut=terbaru"))


# --- bad input gives a sensible page ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kategori": "tidak-ada"}, "Kategori “tidak-ada” tidak dikenal"),
        ({"kabupaten": "kabupaten-atlantis"}, "Kabupaten/kota “kabupaten-atlantis” tidak dikenal"),
        ({"urut": "acak"}, "Urutan “acak” tidak dikenal"),
    ],
)
def test_unknown_filter_values_are_ignored_with_a_message(client, two_regencies, params, message):
    response = client.get("/produk/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(names(response)) == 3  # the bad filter is ignored, not applied


def test_an_unknown_filter_is_ignored_but_the_valid_ones_still_apply(client, two_regencies):
    response = client.get("/produk/?kategori=tidak-ada&kabupaten=kabupaten-sumba-timur")
    assert names(response) == ["Kain Tenun Ikat Kambera"]


@pytest.mark.parametrize("query", ["kopi\x00", "\x00", "a" * 5000, "🌶️ pedas", "<script>alert(1)</script>"])
def test_odd_search_text_never_breaks_the_page(client, two_regencies, query):
    response = client.get("/produk/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_pages_hold_24_products_and_bad_page_numbers_give_the_first_or_last_page(client):
    producer = factories.producer()
    for n in range(PAGE_SIZE + 3):
        factories.product(f"Produk {n:02d}", producer_=producer)
    first = client.get("/produk/?urut=nama")
    assert len(names(first)) == PAGE_SIZE
    assert "Halaman 1 dari 2" in first.content.decode()
    assert names(client.get("/produk/?urut=nama&page=2")) == ["Produk 24", "Produk 25", "Produk 26"]
    assert names(client.get("/produk/?urut=nama&page=abc")) == names(first)
    assert names(client.get("/produk/?urut=nama&page=9999")) == ["Produk 24", "Produk 25", "Produk 26"]
    assert names(client.get("/produk/?urut=nama&page=-1")) == ["Produk 24", "Produk 25", "Produk 26"]
    assert names(client.get("/produk/?urut=nama&page=0")) == ["Produk 24", "Produk 25", "Produk 26"]
    assert names(client.get("/produk/?urut=nama&page=2.0")) == names(first)
    for page in ("1", "2", "9999", "abc"):  # the count is of every product found, on any page
        assert "27 produk" in client.get(f"/produk/?urut=nama&page={page}").content.decode()


def test_a_catalogue_page_asks_for_its_products_and_their_count_in_one_query(client):
    producer = factories.producer()
    for n in range(PAGE_SIZE + 3):
        factories.product(f"Produk {n:02d}", producer_=producer)
    with CaptureQueriesContext(connection) as asked:
        html = client.get("/produk/?urut=nama&page=2").content.decode()
    assert "27 produk" in html and "Produk 26" in html
    counts = [query["sql"] for query in asked.captured_queries if "COUNT(" in query["sql"]]
    assert len(counts) == 1 and 'AS "pk"' in counts[0]  # the page's ids carry the count


@pytest.mark.parametrize("page", ["", "&page=3", "&page=abc", "&page=0"])
def test_a_filter_that_finds_nothing_says_so_on_any_page_after_counting_once(client, two_regencies, page):
    with CaptureQueriesContext(connection) as asked:
        html = client.get(f"/produk/?bintang=5{page}").content.decode()
    assert "Tidak ada produk yang cocok" in html
    assert "Hapus semua filter" in html
    counts = [query["sql"] for query in asked.captured_queries if "COUNT(" in query["sql"]]
    assert len(counts) == (2 if page == "&page=3" else 1)  # a later page's emptiness is counted apart


def test_pagination_links_keep_the_filters(client):
    producer = factories.producer(village_=place("53.09", "Kabupaten Ngada", "Beiposo"))
    for n in range(PAGE_SIZE + 1):
        factories.product(f"Kopi {n}", producer_=producer)
    html = client.get("/produk/?kabupaten=kabupaten-ngada&kategori=").content.decode()
    assert 'href="/produk/?kabupaten=kabupaten-ngada&amp;page=2"' in html
    assert 'hx-get="/produk/?kabupaten=kabupaten-ngada&amp;page=2"' in html


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_the_page_title_names_the_search_category_regency_and_page(client, two_regencies):
    assert title(client.get("/produk/")) == "Produk desa NTT · Beli Produk NTT"
    assert title(client.get("/produk/?q=kopi")) == "Cari “kopi” · Produk desa NTT · Beli Produk NTT"
    producer = factories.producer(village_=place("53.09", "Kabupaten Ngada", "Beiposo"))
    for n in range(PAGE_SIZE + 1):
        factories.product(f"Kopi {n}", producer_=producer, category=two_regencies["kopi"].category)
    assert title(client.get("/produk/?kategori=kopi&kabupaten=kabupaten-ngada&page=2")) == (
        "Kopi · Kabupaten Ngada · Halaman 2 · Produk desa NTT · Beli Produk NTT"
    )
    assert title(client.get("/en/produk/?q=kopi&page=2")) == (
        "Search “kopi” · Page 2 · NTT village products · Beli Produk NTT"
    )


def test_a_searched_text_is_escaped_in_the_page_title(client, two_regencies):
    assert title(client.get("/produk/", {"q": "</title><script>x</script> & co"})) == (
        "Cari “&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; co” · Produk desa NTT · Beli Produk NTT"
    )


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client, two_regencies):
    html = client.get("/produk/?q=durian").content.decode()
    assert "Tidak ada produk yang cocok" in html
    assert "Hapus semua filter" in html
    assert 'href="/produk/"' in html


# --- htmx ---------------------------------------------------------------------------------------------


def test_htmx_gets_only_the_results_and_the_clean_address_to_push(client, two_regencies):
    response = client.get("/produk/?kabupaten=kabupaten-ngada&kategori=&q=&urut=bogus", headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="hasil"')
    assert sorted(names(response)) == ["Kopi Arabika Bajawa", "Se'i Babi Asap"]
    assert response["HX-Push-Url"] == "/produk/?kabupaten=kabupaten-ngada"
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client, two_regencies):
    response = client.get(
        "/produk/?kabupaten=kabupaten-ngada", headers={**HX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_works_without_javascript(client, two_regencies):
    html = client.get("/produk/?kabupaten=kabupaten-ngada").content.decode()
    form = re.search(r'<form class="filters" method="get" action="/produk/"[^>]*>', html)
    assert form, "a plain GET form"
    assert 'hx-push-url="true"' in form.group(0)
    assert '<option value="kabupaten-ngada" selected>Kabupaten Ngada</option>' in html


def test_the_fixed_filters_options_follow_each_pages_language_and_choice(client):
    # Their options are written once per language and choice (storefront.select_options): the
    # next page, in another language or with another choice, must not get the previous one's.
    factories.product("Kopi Bajawa")
    pages = [
        ("/produk/?urut=nama", '<option value="nama" selected>Nama (A–Z)</option>'),
        ("/en/produk/?urut=nama", '<option value="nama" selected>Name (A–Z)</option>'),
        ("/en/produk/?bintang=2", '<option value="2" selected>★2 and up</option>'),
        ("/produk/", '<option value="nama">Nama (A–Z)</option>'),
        ("/produk/?bintang=%3Cb%3E", '<option value="2">★2 ke atas</option>'),
    ]
    for url, option in pages * 2:
        html = client.get(url).content.decode()
        assert option in html, url
        assert ("Name (A–Z)" in html) == url.startswith("/en/"), url


# --- query budgets ------------------------------------------------------------------------------------


def make_products(count: int) -> None:
    category = factories.category()
    villages = [place(f"53.{10 + i:02d}", f"Kabupaten Uji {i}", f"Desa {i}") for i in range(3)]
    for n in range(count):
        made = in_village(villages[n % 3], f"Produk {n}", category=category)
        factories.product_image(made, order=0)
        factories.product_image(made, order=1)


@pytest.mark.parametrize(
    "url", ["/produk/", "/produk/?q=produk&kabupaten=kabupaten-uji-0&kategori=kopi&urut=harga-naik"]
)
def test_catalogue_page_queries_do_not_grow_with_the_products(client, django_assert_max_num_queries, url):
    make_products(1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make_products(50)
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200
    assert len(one) == len(fifty)


def test_product_page_queries_do_not_grow_with_the_products(client, django_assert_max_num_queries):
    make_products(1)
    product = Product.objects.get()
    with django_assert_max_num_queries(8):
        assert client.get(product.get_absolute_url()).status_code == 200
    make_products(3)  # now the product has a neighbour in its regency ("more from this place")
    with CaptureQueriesContext(connection) as few:
        client.get(product.get_absolute_url())
    make_products(50)
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as many:
        assert client.get(product.get_absolute_url()).status_code == 200
    assert len(few) == len(many)


def test_producer_page_queries_are_bounded(client, django_assert_max_num_queries):
    village = place("53.09", "Kabupaten Ngada", "Beiposo")
    producer = factories.producer(village_=village)
    for n in range(30):
        factories.product(f"Kopi {n}", producer_=producer)
    with django_assert_max_num_queries(6):
        assert client.get(producer.get_absolute_url()).status_code == 200


# --- the product page ---------------------------------------------------------------------------------


def test_product_page_shows_price_unit_stock_producer_village_and_story(client, two_regencies):
    product = two_regencies["kopi"]
    product.story = "Ditanam di lereng Gunung Inerie."
    product.unit = "kemasan 250 g"
    product.save()
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Rp85.000" in html
    assert "kemasan 250 g" in html
    assert "Stok tersedia: 10" in html
    assert f'href="{product.producer.get_absolute_url()}"' in html
    assert 'href="/desa/53.09.01.2001/"' in html
    assert 'href="/kabupaten/kabupaten-ngada/"' in html
    assert "Ditanam di lereng Gunung Inerie." in html
    assert "Se&#x27;i Babi Asap" in html  # more from the same regency


def test_product_page_says_out_of_stock_at_zero(client):
    product = factories.product(stock=0)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Stok habis" in html
    assert "Stok tersedia" not in html


def json_ld_of(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S)
    assert match, "JSON-LD with a nonce"
    return json.loads(match.group(2))


def test_product_page_has_schema_org_product_with_an_offer_in_idr(client):
    product = factories.product("Madu Hutan", price=95000, stock=0, gtin="8991234567891")
    factories.product_image(product)
    response = client.get(product.get_absolute_url())
    data = json_ld_of(response.content.decode())
    assert data["@type"] == "Product"
    assert data["name"] == "Madu Hutan"
    assert data["gtin13"] == "8991234567891"
    assert data["offers"] == {
        "@type": "Offer",
        "url": f"http://testserver{product.get_absolute_url()}",
        "price": 95000,
        "priceCurrency": "IDR",
        "availability": "https://schema.org/OutOfStock",
        "seller": {"@type": "Organization", "name": product.producer.name},
    }
    assert data["image"][0].startswith("http://testserver/media/thumbs/")


def test_json_ld_cannot_be_closed_by_a_product_name_and_uses_the_csp_nonce(client):
    product = factories.product("Kopi </script><script>alert(1)</script> & <!--")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    data = json_ld_of(html)
    assert data["name"] == "Kopi </script><script>alert(1)</script> & <!--"
    assert "<script>alert(1)" not in html
    nonce = re.search(r'<script type="application/ld\+json" nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_product_page_has_opengraph_tags_and_a_canonical_url(client):
    product = factories.product("Tenun Ikat Kambera", short_description="Kain tenun ikat pewarna alam.")
    factories.product_image(product)
    html = client.get(product.get_absolute_url()).content.decode()
    url = f"http://testserver{product.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Tenun Ikat Kambera">' in html
    assert '<meta property="og:type" content="product">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/media/thumbs/[^"]+\.webp">', html)


def test_product_page_shows_its_badges_and_a_cart_form_with_the_visitors_token(client):
    product = factories.product(stock=4)
    backoffice.certificate(product, "bpom_md", "MD224510107115", issued_on=datetime.date(2024, 7, 1))
    html = client.get(product.get_absolute_url()).content.decode()
    assert '<span class="badge-number">BPOM RI MD 224510107115</span>' in html
    assert '<time datetime="2029-07-01">1 Jul 2029</time>' in html
    form = re.search(r'<form class="add-to-cart".*?</form>', html, re.S).group(0)
    assert f'action="{reverse("catalogue:cart_add")}"' in form
    assert f'name="product" value="{product.pk}"' in form and 'max="4"' in form
    assert f'name="next" value="{product.get_absolute_url()}"' in form
    # The body is a cached fragment: the middleware writes this visitor's token into its slot.
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', form)


def test_unknown_and_unpublished_products_are_404(client):
    hidden = factories.product(is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    response = client.get("/produk/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_cards_have_sized_images_with_srcset_and_alt_text_lazy_below_the_first_row(client):
    for name in ("Kopi Bajawa", "Madu Mutis", "Tenun Sikka"):
        product = factories.product(name)
        factories.product_image(product, alt_text=f"{name} dalam kemasan kraft")
    html = client.get("/produk/?urut=nama").content.decode()
    first, second, third = re.findall(r"<img [^>]+>", html)[:3]
    assert 'fetchpriority="high"' in first and 'fetchpriority="high"' in second  # the first screen
    assert 'loading="lazy"' in third
    assert 'width="320" height="240"' in first
    assert re.search(r'srcset="[^"]+-320x240\.webp 320w, [^"]+-640x480\.webp 640w"', first)
    assert 'alt="Kopi Bajawa dalam kemasan kraft"' in first


# --- the producer page --------------------------------------------------------------------------------


def test_producer_page_shows_story_contact_and_products(client):
    village = place("53.09", "Kabupaten Ngada", "Beiposo")
    producer = factories.producer(
        "Koperasi Kopi Inerie", village_=village, story="Dua ratus petani kopi.", whatsapp="+6281234567890"
    )
    factories.product("Kopi Arabika", producer_=producer)
    factories.product("Kopi Tersembunyi", producer_=producer, is_published=False)
    html = client.get(producer.get_absolute_url()).content.decode()
    assert "Koperasi Kopi Inerie" in html
    assert "Dua ratus petani kopi." in html
    assert 'href="https://wa.me/6281234567890?text=' in html
    assert "Kopi Arabika" in html
    assert "Kopi Tersembunyi" not in html
    assert 'href="/desa/53.09.01.2001/"' in html


def test_each_producer_page_lists_its_own_products_by_name(client):
    ngada = factories.producer("Koperasi Inerie", village_=place("53.09", "Kabupaten Ngada", "Beiposo"))
    kambera = factories.producer("Tenun Kambera", village_=place("53.11", "Kabupaten Sumba Timur", "Kambera"))
    for name in ("Kopi Robusta", "Gula Aren", "Kopi Arabika"):
        factories.product(name, producer_=ngada)
    factories.product("Kain Tenun Ikat", producer_=kambera)
    assert names(client.get(ngada.get_absolute_url())) == ["Gula Aren", "Kopi Arabika", "Kopi Robusta"]
    assert names(client.get(kambera.get_absolute_url())) == ["Kain Tenun Ikat"]


def test_unknown_producer_is_404(client):
    assert client.get("/umkm/tidak-ada/").status_code == 404


def test_catalogue_stays_within_budget_for_a_shopper_with_a_cart(client, django_assert_max_num_queries):
    make_products(30)
    product = Product.objects.first()
    client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    assert client.session.session_key  # the shopper now has a session (and a cart) to load
    with django_assert_max_num_queries(6):
        assert client.get("/produk/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(product.get_absolute_url()).status_code == 200
