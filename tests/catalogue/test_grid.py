"""The product grid (catalogue/grid.py): the cards of every storefront page, written in Python."""

from __future__ import annotations

import datetime
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from markupsafe import Markup

from catalogue import grid
from catalogue.middleware import fill_csrf_slots
from catalogue.models import Product
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db


def cards(client, url: str = "/produk/") -> str:
    html = client.get(url).content.decode()
    return html[html.index('<ul class="grid">') :]


def test_what_an_officer_types_into_a_product_is_escaped_on_its_card(client):
    factories.product('Kopi <img src=x onerror="alert(1)"> & Co', unit="<b>kg</b>")
    html = cards(client)
    assert "<img src=x" not in html and "<b>kg</b>" not in html
    assert "Kopi &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in html
    assert "&lt;b&gt;kg&lt;/b&gt;" in html


def test_a_card_names_its_certificates_by_kind_without_their_numbers(client):
    product = factories.product("Madu Hutan Mutis")
    backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=timezone.localdate())
    backoffice.certificate(
        product,
        "pirt",
        f"2153276010281-{(timezone.localdate().year + 5) % 100:02d}",
        issued_on=timezone.localdate(),
    )
    html = cards(client)
    assert re.findall(r'<span class="badge-kind">([^<]+)</span>', html) == ["Halal", "P-IRT"]
    assert "ID53110000123450224" not in html and "2153276010281" not in html


def test_card_words_follow_the_page_language(client):
    factories.product("Kopi Bajawa", stock=5)
    factories.product("Tenun Sikka", stock=0)
    factories.product("Madu Mutis", stock=5, paused_until=timezone.localdate() + datetime.timedelta(days=3))
    indonesian, english = cards(client), cards(client, "/en/produk/")
    assert "Tambah ke keranjang" in indonesian and "Stok habis" in indonesian and "Libur sampai" in indonesian
    assert "Add to cart" in english and "Out of stock" in english and "On break until" in english
    assert "Tambah ke keranjang" not in english


def test_each_card_posts_to_the_cart_with_the_visitors_own_token_and_comes_back_here():
    product = factories.product(stock=3)
    request = RequestFactory().get("/produk/?kategori=kopi")
    html = str(grid.render(Product.objects.for_cards(), next_path=request.get_full_path()))
    assert f'name="product" value="{product.pk}"' in html
    assert 'name="next" value="/produk/?kategori=kopi"' in html
    assert "csrfmiddlewaretoken" not in html  # a slot: the grid sits in cached fragments
    filled = fill_csrf_slots(request, HttpResponse(html)).content.decode()
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', filled)


def test_an_empty_grid_says_what_the_page_asked_it_to_say():
    assert '<li class="empty">Belum ada produk.</li>' in grid.render(
        [], next_path="/", empty="Belum ada produk."
    )
    assert "<li" not in grid.render([], next_path="/")


def test_an_empty_grids_line_is_escaped_once():
    # Plain text is escaped; the Jinja2 bodies' translated lines arrive escaped already (Markup).
    assert "Kopi &amp; teh" in grid.render([], next_path="/", empty="Kopi & teh")
    html = grid.render([], next_path="/", empty=Markup("Kopi &amp; teh"))
    assert "Kopi &amp; teh" in html and "&amp;amp;" not in html


def test_only_the_first_row_of_the_first_screen_loads_eagerly(client):
    for name in ("Kopi Bajawa", "Madu Mutis", "Tenun Sikka"):
        factories.product_image(factories.product(name))
    first_screen = str(
        grid.render(Product.objects.for_cards().order_by("name"), next_path="/", first_screen=True)
    )
    assert first_screen.count('fetchpriority="high"') == 2 and first_screen.count('loading="lazy"') == 1
    later = str(grid.render(Product.objects.for_cards(), next_path="/"))
    assert 'fetchpriority="high"' not in later and later.count('loading="lazy"') == 3


def test_a_card_links_to_its_product_page_and_names_its_village_and_regency(client):
    village = factories.village("53.09.01.2001", "Oelnasi")
    product = factories.product(
        "Kopi Oelnasi", producer_=factories.producer("UMKM Oelnasi", village_=village)
    )
    regency = village.district.regency.name
    for url, address in (
        ("/produk/", product.get_absolute_url()),
        ("/en/produk/", f"/en{product.get_absolute_url()}"),
    ):
        html = cards(client, url)
        assert f'<a class="card-link" href="{address}">' in html
        place = f'title="Oelnasi, {regency}">Oelnasi<span class="cart-sr">, {regency}</span></p>'
        assert f'<p class="card-meta" {place}' in html


def test_card_names_follow_the_language_of_each_render_in_turn():
    # The grid looks the page's language up once per render (grid.GridPage): the next
    # render, in another language, must not keep the previous one's.
    factories.product_image(factories.product("Kopi Bajawa", name_en="Bajawa Coffee", unit="bungkus"))
    products = Product.objects.for_cards()
    with translation.override("en"):
        english = str(grid.render(products, next_path="/en/produk/"))
    with translation.override("id"):
        indonesian = str(grid.render(products, next_path="/produk/"))
    with translation.override("en"):
        english_again = str(grid.render(products, next_path="/en/produk/"))
    assert '<h3 class="card-title">Bajawa Coffee</h3>' in english and english_again == english
    assert 'alt="Bajawa Coffee"' in english
    assert '<span lang="id">bungkus</span>' in english  # no English unit: marked as Indonesian
    assert '<h3 class="card-title">Kopi Bajawa</h3>' in indonesian and 'alt="Kopi Bajawa"' in indonesian
    assert 'lang="id"' not in indonesian and "/en/produk/" not in indonesian


def test_a_card_takes_orders_again_the_day_after_its_producers_break(client):
    today = timezone.localdate()
    factories.product("Kopi Bajawa", stock=5, paused_until=today)
    factories.product("Madu Mutis", stock=5, paused_until=today - datetime.timedelta(days=1))
    html = cards(client)
    on_break = html[html.index("Kopi Bajawa") :]
    assert "Libur sampai" in on_break[: on_break.index("</li>")]
    back = html[html.index("Madu Mutis") :]
    assert 'name="quantity" value="1"' in back[: back.index("</li>")]
