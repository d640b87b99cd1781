"""The product page's body, rendered with Jinja2 (catalogue/product_page.py)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, override

from catalogue import product_page
from tests import factories

pytestmark = pytest.mark.django_db

PARTS = Path(settings.BASE_DIR, "templates", "jinja2", "catalogue")
#: The body's templates, and the cards', whose one translated sentence is listed there too.
TEMPLATES = (
    "product_body.jinja",
    "certificate_badges.jinja",
    "curation_stars.jinja",
    "add_to_cart.jinja",
    "product_grid.jinja",
)


def page(product, language: str = "id") -> str:
    """The product's page, in Indonesian or (language="en") in English."""
    with override("id"):
        address = product.get_absolute_url()
    response = Client().get(("/en" if language == "en" else "") + address)
    assert response.status_code == 200
    return response.content.decode()


def msgids_in_templates() -> set[str]:
    """Every string the Jinja2 templates translate: `_("…")` and ngettext's singular."""
    found = set()
    for name in TEMPLATES:
        text = (PARTS / name).read_text()
        found |= set(re.findall(r'\b_\("([^"]+)"', text))
        found |= set(re.findall(r'\bngettext\("([^"]+)"', text))
    return found


def test_every_word_of_the_body_templates_is_listed_for_make_messages():
    """`make messages` does not read Jinja2 templates: a word missing from product_page.MESSAGES
    would drop out of the catalogue at the next extraction, and the English page would lose it."""
    singular = {m for m in product_page.MESSAGES if isinstance(m, str)}
    plural_templates = {"Disiapkan dalam %(days)s hari.", "Bintang OVOP NTT: %(n)s bintang"}
    assert msgids_in_templates() == singular | plural_templates


def test_every_word_of_the_body_has_an_english_translation():
    with override("en"):
        untranslated = [m for m in product_page.MESSAGES if isinstance(m, str) and gettext(m) == m]
        plurals = [str(m % {"days": 2, "n": 2}) for m in product_page.MESSAGES if not isinstance(m, str)]
    assert untranslated == []
    assert plurals == ["Prepared within 2 days.", "Bintang OVOP NTT: 2 stars"]


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
