"""Site-wide pages: the campaign home, sitemap, robots.txt, error pages, the language switch."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.utils import translation

from catalogue.demo import load_demo
from catalogue.models import Category, Product
from ovop import views
from tests import factories
from villages.models import Regency

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def demo():
    load_demo(with_images=False)


# --- home -------------------------------------------------------------------------------------------


def test_home_introduces_ovop_and_shows_featured_products_every_regency_and_category(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gerakan Beli Produk NTT" in html
    assert "One Village One Product" in html
    featured = Product.objects.featured()
    assert featured.exists()
    for product in featured:
        assert f'href="{product.get_absolute_url()}"' in html
    regencies = Regency.objects.of_ntt()
    assert regencies.count() == 22
    for regency in regencies:
        assert f'href="/kabupaten/{regency.slug}/">{regency.name}</a>' in html
    for category in Category.objects.all():
        assert f'href="/produk/?kategori={category.slug}">' in html


def test_home_counts_the_published_products_of_each_regency_and_category(client):
    factories.regency("53.01", "Kabupaten Kupang")
    factories.regency("53.71", "Kota Kupang")
    garam, tenun = factories.category("Garam"), factories.category("Tenun Ikat", "tenun-ikat")
    kupang = factories.producer(village_=factories.village("53.01.04.2003", "Bokonusan"))
    for name in ("Garam Bokonusan", "Garam Halus Bokonusan"):
        factories.product(name, producer_=kupang, category=garam)
    factories.product("Garam Rahasia", producer_=kupang, category=garam, is_published=False)
    html = client.get("/").content.decode()
    assert '<a href="/kabupaten/kabupaten-kupang/">Kabupaten Kupang</a> <span class="muted">2</span>' in html
    assert '<a href="/kabupaten/kota-kupang/">Kota Kupang</a> <span class="muted">0</span>' in html
    assert f'?kategori={garam.slug}">Garam</a> <span class="muted">2</span>' in html
    assert f'?kategori={tenun.slug}">Tenun Ikat</a> <span class="muted">0</span>' in html


def test_home_lists_the_categories_in_the_order_officers_gave_them(client):
    for order, name in enumerate(["Tenun Ikat", "Kopi", "Anyaman"]):
        made = factories.category(name)
        made.order = order
        made.save()
    html = client.get("/").content.decode()
    shown = re.findall(r'\?kategori=[^"]+">([^<]+)</a>', html)
    assert shown == ["Tenun Ikat", "Kopi", "Anyaman"]


def test_home_shows_the_newest_products_when_none_is_featured(client):
    factories.product("Kopi Baru", is_featured=False)
    assert "Kopi Baru" in client.get("/").content.decode()


# --- sitemap and robots -----------------------------------------------------------------------------


def test_sitemap_lists_public_pages_in_both_languages(client):
    factories.regency("53.01", "Kabupaten Kupang")
    village = factories.village("53.01.04.2003", "Bokonusan", is_ovop_locus=True)
    shown = factories.product("Garam Bokonusan", producer_=factories.producer(village_=village))
    hidden = factories.product("Garam Rahasia", is_published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314  (our own sitemap)
    locations = {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    assert f"http://testserver{shown.get_absolute_url()}" in locations
    assert f"http://testserver/en{shown.get_absolute_url()}" in locations
    assert f"http://testserver{hidden.get_absolute_url()}" not in locations
    assert "http://testserver/" in locations
    assert "http://testserver/produk/" in locations
    assert "http://testserver/kabupaten/kabupaten-kupang/" in locations
    assert "http://testserver/desa/53.01.04.2003/" in locations
    assert f"http://testserver{shown.producer.get_absolute_url()}" in locations
    alternates = {link.get("hreflang") for link in root.findall("s:url/x:link", SITEMAP_NS)}
    assert {"id", "en", "x-default"} <= alternates


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_back_office(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Disallow: /pesanan/" in text and "Disallow: /en/pesanan/" in text  # orders are private
    assert "Sitemap: http://testserver/sitemap.xml" in text


# --- error pages ------------------------------------------------------------------------------------


def test_404_page_is_in_indonesian_with_a_way_back(client):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'href="/produk/"' in html


def test_404_page_is_in_english_under_en(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_is_in_indonesian_and_renders_without_the_database(django_db_blocker):
    request = RequestFactory().get("/")
    with django_db_blocker.block(), translation.override("id"):  # any query would fail the test
        response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi gangguan" in html
    assert 'href="/static/css/site.css"' in html


@pytest.mark.urls("tests.ovop.urls_failing")
def test_an_unexpected_error_shows_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/gagal/")
    assert response.status_code == 500
    assert "Terjadi gangguan" in response.content.decode()


# --- language -----------------------------------------------------------------------------------------


def switch_form(html: str, language: str) -> dict:
    form = re.search(
        rf'<form method="post" action="(?P<action>[^"]+)">.*?name="language" value="{language}">'
        r'\s*<input type="hidden" name="next" value="(?P<next>[^"]+)">',
        html,
        re.S,
    )
    assert form, f"a switcher form for {language}"
    return {"action": form.group("action"), "next": form.group("next").replace("&amp;", "&")}


def test_language_switcher_keeps_the_current_page_and_its_filters(client):
    factories.product("Kopi Arabika")
    html = client.get("/produk/?kategori=kopi&urut=nama").content.decode()
    form = switch_form(html, "en")
    response = client.post(form["action"], {"language": "en", "next": form["next"]})
    assert response.status_code == 302
    assert response["Location"] == "/en/produk/?kategori=kopi&urut=nama"
    english = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in english
    back = switch_form(english, "id")
    response = client.post(back["action"], {"language": "id", "next": back["next"]})
    assert response["Location"] == "/produk/?kategori=kopi&urut=nama"
    assert '<html lang="id">' in client.get(response["Location"]).content.decode()


def test_language_switcher_of_an_htmx_swap_follows_the_new_address(client):
    factories.product("Kopi Arabika")
    html = client.get("/produk/?kategori=kopi", headers={"HX-Request": "true"}).content.decode()
    assert 'id="ganti-bahasa" class="lang-switch" hx-swap-oob="true"' in html
    assert switch_form(html, "en")["next"] == "/en/produk/?kategori=kopi"


def test_english_pages_are_translated(client):
    product = factories.product("Kopi Arabika", stock=0)
    path = product.get_absolute_url()  # before any English request leaves English active here
    catalogue = client.get("/en/produk/").content.decode()
    assert "Search" in catalogue and "All categories" in catalogue
    assert "Rp25.000" in catalogue  # prices look the same in every language
    page = client.get(f"/en{path}").content.decode()
    assert "Out of stock" in page
    assert "Stok habis" not in page


# --- CSP hygiene of every storefront page -------------------------------------------------------------


def test_pages_have_no_inline_styles_or_scripts_without_the_nonce(client, demo):
    product = Product.objects.first()
    urls = [
        "/",
        "/produk/",
        "/produk/?q=kopi",
        product.get_absolute_url(),
        product.producer.get_absolute_url(),
        product.producer.village.get_absolute_url(),
        product.regency.get_absolute_url(),
        "/tidak-ada/",
    ]
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "hx-on" not in html and "javascript:" not in html, url
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert (nonce and f'nonce="{nonce.group(1)}"' in tag) or " src=" in tag, (url, tag)
