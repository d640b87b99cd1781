import datetime

import pytest
from django.core.exceptions import ValidationError
from stdnum import ean

from catalogue import identifiers as ids


def _error(func, *args) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        func(*args)
    return excinfo.value


def _message(error: ValidationError) -> str:
    (message,) = error.messages
    return message


# --- WhatsApp -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "(0812) 3456-7890",
        "6281234567890",
        "62 812 3456 7890",
        "+6281234567890",
        "+62 812-3456-7890",
        "+62 (812) 3456.7890",
        "  0812-3456-7890  ",
    ],
)
def test_whatsapp_forms_normalise_to_the_same_e164(raw):
    assert ids.normalize_whatsapp(raw) == "+6281234567890"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812345678", "+62812345678"),  # shortest: 9-digit national number
        ("+62812345678901", "+62812345678901"),  # longest: 12-digit national number
        ("0852-1234-5678", "+6285212345678"),
    ],
)
def test_whatsapp_accepts_national_numbers_of_9_to_12_digits(raw, expected):
    assert ids.normalize_whatsapp(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "0380-821234",  # Kupang landline
        "+62380821234",
        "0812-3456-78ab",
        "+61412345678",  # Australia
        "+6581234567",  # Singapore
        "081234567",  # national number only 8 digits
        "+628123456789012",  # national number 13 digits
        "812345678901",  # no 0 / 62 prefix
        "++6281234567890",
        "0812/3456/7890",
        "０８１２３４５６７８９０",  # full-width digits
    ],
)
def test_whatsapp_rejects_non_indonesian_mobile_numbers_showing_both_forms(raw):
    error = _error(ids.normalize_whatsapp, raw)
    assert error.code == "bad_whatsapp"
    assert "0812-3456-7890" in _message(error)
    assert "+6281234567890" in _message(error)


def test_validate_whatsapp_accepts_e164():
    ids.validate_whatsapp("+6281234567890")


@pytest.mark.parametrize("raw", ["081234567890", "+62 812 3456 7890", "6281234567890", "0380821234"])
def test_validate_whatsapp_rejects_values_not_stored_as_e164(raw):
    error = _error(ids.validate_whatsapp, raw)
    assert error.code == "bad_whatsapp"
    assert "+6281234567890" in _message(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "https://wa.me/6281234567890"),
        ("Halo kak", "https://wa.me/6281234567890?text=Halo%20kak"),
        (
            "Pesan: Kopi Bajawa & Tenun? 2+1",
            "https://wa.me/6281234567890?text=Pesan%3A%20Kopi%20Bajawa%20%26%20Tenun%3F%202%2B1",
        ),
    ],
)
def test_whatsapp_link_has_no_plus_and_urlencoded_text(text, expected):
    assert ids.whatsapp_link("+6281234567890", text) == expected


# --- NIB ------------------------------------------------------------------------------------------


def test_nib_of_13_digits_is_valid():
    ids.validate_nib("9120001234567")


@pytest.mark.parametrize("raw", ["", "912000123456", "91200012345678", "912000123456A", "9120 001234567"])
def test_nib_rejects_anything_but_13_digits(raw):
    error = _error(ids.validate_nib, raw)
    assert error.code == "bad_nib"
    assert "13 angka" in _message(error)
    assert "9120001234567" in _message(error)


# --- GTIN-13 --------------------------------------------------------------------------------------

VALID_GTINS = ["8991002101234", "8992696404441", "8996001600146", "4006381333931", "5901234123457"]


@pytest.mark.parametrize("gtin", VALID_GTINS)
def test_test_gtins_really_are_valid_ean13(gtin):
    assert ean.is_valid(gtin)


@pytest.mark.parametrize("gtin", VALID_GTINS)
def test_valid_gtin13_passes(gtin):
    assert ids.normalize_gtin13(gtin) == gtin
    ids.validate_gtin13(gtin)


@pytest.mark.parametrize("raw", ["899 1002 10123 4", "899-1002-101234", " 8991002101234 "])
def test_gtin13_normalisation_strips_spaces_and_dashes(raw):
    assert ids.normalize_gtin13(raw) == "8991002101234"


def test_gtin13_validator_wants_the_compact_form():
    error = _error(ids.validate_gtin13, "899-1002-101234")
    assert error.code == "bad_gtin_format"
    assert "8991002101234" in _message(error)


@pytest.mark.parametrize(
    ("raw", "expected_digit"),
    [("8991002101235", "4"), ("4006381333930", "1"), ("8992753720108", "1")],
)
def test_gtin13_wrong_check_digit_names_the_expected_one(raw, expected_digit):
    assert ean.calc_check_digit(raw[:12]) == expected_digit
    error = _error(ids.normalize_gtin13, raw)
    assert error.code == "bad_gtin_checksum"
    assert f"seharusnya {expected_digit}" in _message(error)
    assert raw[:12] in _message(error)


@pytest.mark.parametrize("raw", ["899100210123", "89910021012345", "12345678"])
def test_gtin13_wrong_length(raw):
    error = _error(ids.normalize_gtin13, raw)
    assert error.code == "bad_gtin_length"
    assert "13 angka" in _message(error)
    assert "8991002101234" in _message(error)


@pytest.mark.parametrize("raw", ["", "899100210123A", "ABCDEFGHIJKLM", "8991002.101234"])
def test_gtin13_non_digits(raw):
    error = _error(ids.normalize_gtin13, raw)
    assert error.code == "bad_gtin_format"
    assert "8991002101234" in _message(error)


@pytest.mark.parametrize(("gtin", "expected"), [("8991002101234", True), ("4006381333931", False)])
def test_gs1_indonesia_prefix_is_899(gtin, expected):
    assert ids.is_gs1_indonesia(gtin) is expected


# --- BPOM -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MD 224510107115", "MD224510107115"),
        ("md224510107115", "MD224510107115"),
        ("BPOM RI MD 224510107115", "MD224510107115"),
        ("bpom ri md 2245-1010-7115", "MD224510107115"),
        ("M D 22451 0107115", "MD224510107115"),
        ("ML 123456789012", "ML123456789012"),
        ("BPOM RI ML-123456789012", "ML123456789012"),
    ],
)
def test_bpom_normalises_to_compact(raw, expected):
    assert ids.normalize_bpom(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "MD 22451010711",
        "MD 2245101071150",
        "MK 224510107115",
        "224510107115",
        "MD 22451010711X",
        "RI MD 1",
    ],
)
def test_bpom_rejects_bad_numbers_showing_the_label_form(raw):
    error = _error(ids.normalize_bpom, raw)
    assert error.code == "bad_bpom"
    assert "BPOM RI MD 224510107115" in _message(error)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("md224510107115", "BPOM RI MD 224510107115"), ("ML123456789012", "BPOM RI ML 123456789012")],
)
def test_format_bpom(raw, expected):
    assert ids.format_bpom(raw) == expected


# --- P-IRT ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "P-IRT No. 2153276010281-21",
        "p-irt no 2153276010281-21",
        "PIRT 215327601028121",
        "SPP-IRT No. 2153276010281-21",
        "2153276010281-21",
        "215327601028121",
        "2.1.5327.601.028.121",
        " 215 3276 010 281 21 ",
    ],
)
def test_pirt_forms_normalise_to_15_digits(raw):
    assert ids.normalize_pirt(raw) == "215327601028121"


@pytest.mark.parametrize(
    "raw",
    ["", "P-IRT No. 2153276010281-2", "21532760102812", "2153276010281211", "P-IRT No. 215327601028A-21"],
)
def test_pirt_rejects_anything_but_15_digits(raw):
    error = _error(ids.normalize_pirt, raw)
    assert error.code == "bad_pirt"
    assert "P-IRT No. 2153276010281-21" in _message(error)


def test_format_pirt_splits_off_the_expiry_year():
    assert ids.format_pirt("215327601028121") == "P-IRT No. 2153276010281-21"


@pytest.mark.parametrize(
    ("raw", "regency", "year_suffix"),
    [
        # 2 packaging, 15 food type, 3276 regency, 010 product, 281 producer, 21 expiry year
        ("P-IRT No. 2153276010281-21", "3276", 21),
        ("206530101000105", "5301", 5),
    ],
)
def test_pirt_regency_code_is_digits_4_to_7_and_year_suffix_the_last_two(raw, regency, year_suffix):
    assert ids.pirt_regency_code(raw) == regency
    assert ids.pirt_expiry_year_suffix(raw) == year_suffix


@pytest.mark.parametrize(
    ("digits", "expiry"),
    [("215327601028121", datetime.date(2021, 12, 31)), ("215327601028130", datetime.date(2030, 1, 1))],
)
def test_pirt_expiry_agrees_with_the_last_two_digits(digits, expiry):
    ids.validate_pirt_expiry(digits, expiry)


def test_pirt_expiry_mismatch_names_both_years():
    error = _error(ids.validate_pirt_expiry, "215327601028121", datetime.date(2026, 6, 30))
    assert error.code == "pirt_expiry_mismatch"
    assert "2021" in _message(error)
    assert "2026" in _message(error)


# --- Halal ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ID53110000123450224", "ID53110000123450224"),
        ("id 5311 0000 1234 50224", "ID53110000123450224"),
        ("ID12345678", "ID12345678"),
        ("ID" + "1" * 20, "ID" + "1" * 20),
    ],
)
def test_halal_normalises(raw, expected):
    assert ids.normalize_halal(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "ID", "ID1234567", "ID" + "1" * 21, "53110000123450224", "IDA5311000012345"]
)
def test_halal_rejects_bad_numbers_showing_the_example(raw):
    error = _error(ids.normalize_halal, raw)
    assert error.code == "bad_halal"
    assert "ID53110000123450224" in _message(error)


# --- Dispatcher -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "number", "label"),
    [
        ("bpom_md", "BPOM RI MD 224510107115", "MD224510107115", "BPOM RI MD 224510107115"),
        ("bpom_ml", "ml 123456789012", "ML123456789012", "BPOM RI ML 123456789012"),
        ("pirt", "PIRT 215327601028121", "215327601028121", "P-IRT No. 2153276010281-21"),
        ("halal", "id53110000123450224", "ID53110000123450224", "ID53110000123450224"),
    ],
)
def test_certificate_dispatcher_normalises_and_formats(kind, raw, number, label):
    assert ids.validate_certificate_number(kind, raw) == number
    assert ids.format_certificate_number(kind, raw) == label


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [("bpom_md", "ML 123456789012", "MD"), ("bpom_ml", "MD 224510107115", "ML")],
)
def test_certificate_dispatcher_rejects_bpom_kind_mismatch(kind, raw, expected):
    error = _error(ids.validate_certificate_number, kind, raw)
    assert error.code == "bpom_kind_mismatch"
    assert f"BPOM RI {expected} 224510107115" in _message(error)


@pytest.mark.parametrize(
    ("kind", "raw", "code"),
    [
        ("bpom_md", "MD 1234", "bad_bpom"),
        ("pirt", "MD 224510107115", "bad_pirt"),
        ("halal", "215327601028121", "bad_halal"),
    ],
)
def test_certificate_dispatcher_reports_the_kinds_own_error(kind, raw, code):
    assert _error(ids.validate_certificate_number, kind, raw).code == code


def test_certificate_dispatcher_refuses_unknown_kind():
    with pytest.raises(ValueError, match="sni"):
        ids.validate_certificate_number("sni", "123")
