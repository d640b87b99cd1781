"""catalogue/filters.py: the filter form's chips and its choices, form by form."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from catalogue.filters import CatalogueFilter
from tests import factories

pytestmark = pytest.mark.django_db


def filters(query: str) -> CatalogueFilter:
    return CatalogueFilter.from_query(QueryDict(query))


def test_each_chip_links_to_the_same_state_without_its_own_filter():
    factories.product("Kopi Bajawa")  # the category "Kopi"
    chips = filters("q=kopi&kategori=kopi&urut=harga-naik&page=2").chips
    assert [(chip["name"], chip["query"]) for chip in chips] == [
        ("q", "?kategori=kopi&urut=harga-naik"),
        ("kategori", "?q=kopi&urut=harga-naik"),
    ]
    # The default sort is left out of the address, as in every canonical address.
    assert [chip["query"] for chip in filters("q=kopi&urut=terbaru").chips] == [""]


def test_an_invalid_value_makes_no_chip_and_leaves_the_others_alone():
    chips = filters("q=madu&kategori=tidak-ada").chips
    assert [(chip["name"], chip["query"]) for chip in chips] == [("q", "")]


def test_choices_set_on_one_form_do_not_reach_the_next():
    factories.product("Kopi Bajawa")
    first = filters("")
    first.fields["urut"].choices = [("nama", "Nama")]
    first.fields["kategori"].choices = [("", "—")]
    second = filters("urut=harga-naik")
    assert [value for value, _label in second.fields["urut"].choices] == [
        "terbaru",
        "harga-naik",
        "harga-turun",
        "nama",
    ]
    assert [value for value, _label in second.fields["kategori"].widget.choices] == ["", "kopi"]
    assert second.values == {"urut": "harga-naik"}
