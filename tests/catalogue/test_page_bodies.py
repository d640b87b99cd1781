"""Pages rendered partly with Jinja2 (catalogue/grid.py, product_page.py, regency_page.py,
catalogue_page.py): their words stay in the translation catalogue, and a regency page's body shows
what it lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import gettext, ngettext, override

from catalogue import catalogue_page, product_page, regency_page
from tests import factories

JINJA2 = Path(settings.BASE_DIR, "templates", "jinja2")

#: Each module listing msgids for `make messages`, with the Jinja2 templates whose words it lists.
LISTS = {
    product_page: (
        "catalogue/product_body.jinja",
        "catalogue/certificate_badges.jinja",
        "catalogue/curation_stars.jinja",
        "catalogue/add_to_cart.jinja",
    ),
    regency_page: ("villages/regency_body.jinja",),
    catalogue_page: ("catalogue/catalogue_form.jinja", "catalogue/catalogue_results.jinja"),
}


#: Words spelled the same in English (their catalogue entry says so).
SAME_IN_ENGLISH = {"Filter"}


def translated_in(templates: tuple[str, ...]) -> set[str]:
    """Every msgid the templates translate: `_("…")`, and ngettext's singular."""
    found = set()
    for name in templates:
        text = (JINJA2 / name).read_text()
        found |= set(re.findall(r'\b_\("([^"]+)"', text))
        found |= set(re.findall(r'\bngettext\("([^"]+)"', text))
    return found


def listed(module) -> tuple[set[str], list[tuple[str, str]]]:
    """The module's MESSAGES: plain msgids, and (singular, plural) pairs of its ngettext_lazy()s."""
    singular = {message for message in module.MESSAGES if isinstance(message, str)}
    # ngettext_lazy keeps its two msgids among its keyword arguments.
    plural = [(m._kw["singular"], m._kw["plural"]) for m in module.MESSAGES if not isinstance(m, str)]
    return singular, plural


@pytest.mark.parametrize("module", LISTS, ids=lambda module: module.__name__)
def test_every_word_of_the_jinja2_templates_is_listed_for_make_messages(module):
    """`make messages` does not read Jinja2 templates: a word missing from the module's MESSAGES
    would drop out of the catalogue at the next extraction, and the English page would lose it."""
    singular, plural = listed(module)
    assert translated_in(LISTS[module]) == singular | {one for one, _many in plural}


@pytest.mark.parametrize("module", LISTS, ids=lambda module: module.__name__)
def test_every_listed_word_has_an_english_translation(module):
    singular, plural = listed(module)
    with override("en"):
        assert [msgid for msgid in singular - SAME_IN_ENGLISH if gettext(msgid) == msgid] == []
        assert [one for one, many in plural if ngettext(one, many, 2) in (one, many)] == []


# --- a regency's page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_regency_page_body_reads_in_english_and_escapes_names():
    regency = factories.regency("53.09", "Kabupaten Ngada")
    factories.district("53.09.01", "Bajawa", regency_code="53.09")
    village = factories.village("53.09.01.2001", "Bea<b>jawa</b>", is_ovop_locus=True)
    factories.product("Kopi Arabika", producer_=factories.producer("Koperasi Kopi & Co", village_=village))
    with override("id"):
        address = regency.get_absolute_url()
    body = Client().get("/en" + address).content.decode().split('<main id="isi"', 1)[1]
    assert "1 village in 1 districts. 1 product listed." in " ".join(body.split())
    for heading in ("Products", "OVOP locus villages", "Village businesses", "All villages"):
        assert f"<h2>{heading}</h2>" in body
    assert "Bea&lt;b&gt;jawa&lt;/b&gt;" in body and "<b>jawa" not in body
    assert "Koperasi Kopi &amp; Co" in body
    assert body.count('class="card-title"') == 1  # the product's card
