"""The one rule for formula-looking cells and for yes/no cells, used by every import and export."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import tablib

from ovop.tabular import escape_dataset, escape_formula, parse_yes_no, unescape_formula, yes_no

FORMULAS = [
    '=HYPERLINK("http://x")',
    "==1+1",
    "+1+1",
    "-2+3",
    "-A1",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "＝1+1",  # full-width equals sign
    "-",
    "+",
    "-8.65e3",
    "--8.65",
    "+62812345678",  # a WhatsApp number stays text, its + kept
    "+123.5",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["-8.65", "-10", "124", "-8,6512", "0"])
def test_a_plain_number_written_as_text_stays_a_number(value):
    assert escape_formula(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "Kopi =enak",
        "Madu",
        "",
        "'sudah",
        "1-2",
        25000,
        -8.65,
        Decimal("-8.650000"),
        None,
        True,
        datetime.date(2025, 1, 2),
    ],
)
def test_harmless_text_and_values_that_are_not_text_are_unchanged(value):
    assert escape_formula(value) == value


@pytest.mark.parametrize("value", FORMULAS)
def test_an_escaped_cell_reads_back_as_it_was(value):
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.parametrize("value", ["'sudah", "'", "'Madu", "Kopi"])
def test_an_apostrophe_that_did_not_escape_a_formula_is_kept(value):
    assert unescape_formula(value) == value


def test_escape_dataset_escapes_headers_and_cells_and_keeps_the_title():
    dataset = tablib.Dataset(["=1+1", -8.65, "-8.65"], ["Madu", 3, "@x"], headers=["=kepala", "b", "c"])
    dataset.title = "Produk"
    escape_dataset(dataset)
    assert dataset.headers == ["'=kepala", "b", "c"]
    assert list(dataset) == [("'=1+1", -8.65, "-8.65"), ("Madu", 3, "'@x")]
    assert dataset.title == "Produk"


@pytest.mark.parametrize("text", ["ya", "Ya", " YA ", "y", "yes", "1", "true", "benar"])
def test_yes_reads_as_true(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["tidak", "Tidak", "tdk", "no", "n", "0", "false", "salah", "", "  "])
def test_no_and_an_empty_cell_read_as_false(text):
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["mungkin", "2", "ya tidak", "=ya"])
def test_anything_else_is_refused_naming_the_value(text):
    with pytest.raises(ValueError, match="ya atau tidak"):
        parse_yes_no(text)


def test_yes_no_writes_what_parse_yes_no_reads_back():
    assert yes_no(True) == "ya"
    assert yes_no(False) == "tidak"
    assert parse_yes_no(yes_no(True)) is True
    assert parse_yes_no(yes_no(False)) is False
