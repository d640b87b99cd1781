"""The product page's body, rendered with Jinja2 (catalogue/product_page.py)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import override

from tests import factories

pytestmark = pytest.mark.django_db


def page(product, language: str = "id") -> str:
    """The product's page, in Indonesian or (language="en") in English."""
    with override("id"):
        address = product.get_absolute_url()
    response = Client().get(("/en" if language == "en" else "") + address)
    assert response.status_code == 200
    return response.content.decode()


def test_the_english_body_reads_in_english():
    product = factories.product(
        "Kopi Arabika Bajawa", stock=7, lead_days=2, net_content="250 g", cohort_year=2025
    )
    html = page(product, "en")
    body = html.split('<main id="isi"', 1)[1]
    for words in (
        'aria-label="Breadcrumbs"',
        "In stock: 7",
        "Prepared within 2 days.",
        "<dt>Producer</dt>",
        "<dt>Net content</dt><dd>250 g</dd>",
        "<dt>OVOP cohort</dt><dd>2025</dd>",
        "Quantity",
        "Add to cart",
        "Request a quotation for an agency",
    ):
        assert words in body
    assert "Stok tersedia" not in body and "Tambah ke keranjang" not in body


def test_a_paused_product_says_until_when_and_offers_no_quantity():
    until = timezone.localdate() + datetime.timedelta(days=5)
    product = factories.product(stock=9, paused_until=until)
    html = page(product)
    with override("id"):
        assert f"Libur sampai {date_format(until, 'j M Y')}" in html
    assert 'name="quantity"' not in html.split("<section", 1)[0]


def test_a_story_is_escaped_and_kept_in_its_paragraphs():
    product = factories.product(story='Dipanen <b>pagi</b> & "dijemur".\n\nLalu disangrai.')
    html = page(product)
    first = "<p>Dipanen &lt;b&gt;pagi&lt;/b&gt; &amp; &quot;dijemur&quot;.</p>"
    assert f"<div>{first}\n\n<p>Lalu disangrai.</p></div>" in html


def test_names_from_the_office_are_escaped_in_the_body():
    producer = factories.producer("UMKM <Se'i> & Co")
    product = factories.product("Se'i <Sapi>", producer_=producer)
    body = page(product).split('<main id="isi"', 1)[1]
    assert "<Sapi>" not in body and "<Se'i>" not in body
    assert "&lt;Sapi&gt;" in body and "&amp; Co" in body


def test_without_stock_the_body_says_sold_out_and_has_no_button():
    html = page(factories.product(stock=0, lead_days=3))
    body = html.split('<main id="isi"', 1)[1]
    assert '<p class="stock stock-out">Stok habis</p>' in body
    assert "Disiapkan dalam" not in body  # preparing time only for what can be ordered
    assert 'type="submit" class="button">Tambah' not in body
