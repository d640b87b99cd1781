"""The mapping format's cell parsers (villages/importing/cells.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from villages.importing import cells, reader


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ya", True),
        ("Tidak", False),
        ("YES", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("False", False),
        ("", False),
    ],
)
def test_locus_accepts_indonesian_and_english_yes_and_no(value, expected):
    assert cells.parse_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14/03/2025", date(2025, 3, 14)),
        ("4/3/2025", date(2025, 3, 4)),
        ("2025-03-14", date(2025, 3, 14)),
        ("2025-03-14 00:00:00", date(2025, 3, 14)),
        ("29/02/2024", date(2024, 2, 29)),
        ("", None),
    ],
)
def test_dates_accept_day_month_year_and_iso(value, expected):
    assert cells.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2025", "29/02/2025", "2025-13-01", "14/03/25"])
def test_impossible_or_ambiguous_dates_are_refused(value):
    with pytest.raises(cells.CellError):
        cells.parse_date(value)


def test_coordinates_accept_a_decimal_comma_and_round_to_six_places():
    assert cells.parse_latitude("-8,6512345") == Decimal("-8.651235")
    assert cells.parse_longitude("121.5") == Decimal("121.500000")


def test_satellites_split_on_semicolons_and_bars_without_repeats():
    assert cells.parse_satellites(" 53.01.04.2001 | 53.01.04.2002;53.01.04.2001 ;") == (
        "53.01.04.2001",
        "53.01.04.2002",
    )


def test_an_apostrophe_our_export_put_before_a_formula_is_taken_off():
    assert reader.clean_cell("'=1+1") == "=1+1"
    assert reader.clean_cell("'Bo''a") == "'Bo''a"
