"""Tests for catalogue.qris: TLV parsing, CRC, validation rules, dynamic conversion, demo codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalogue import qris

# Real-world payloads; each CRC verifies.
STATIC_DANA = (
    "00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567"
    "630458C7"
)
DYNAMIC_GOPAY = (
    "00020101021226610014COM.GO-JEK.WWW01189360091432343267810210G2343267810303UBE51440014ID.CO.QRIS.WWW"
    "0215ID20190143816000303UBE5204581253033605802ID5910Starbucks 6013JAKARTA PUSAT610510210540839000.00"
    "6239502801202104130502044NMWVA6P4CID0703A0363049A04"
)
STATIC_SPINPAY = (
    "00020101021126630014ID.SPINPAY.WWW011893600816343100062402121314310006240303UMI51440014ID.CO.QRIS.WWW"
    "0215ID10200384314890303UMI5204839853033605802ID5904SPIN6013Jakarta Pusat61051034062140103***"
    "0703A0163045CDD"
)
STATIC_DOKU = (
    "00020101021126530012COM.DOKU.WWW0118936008990000002475020424750303URE51440014ID.CO.QRIS.WWW"
    "0215ID10200392934820303URE5204539953033605802ID5911GUREUM SHOP6013JAKARTA PUSAT61051064062070703A01"
    "6304455C"
)

STATIC_PAYLOADS = [STATIC_DANA, STATIC_SPINPAY, STATIC_DOKU]
ALL_PAYLOADS = [*STATIC_PAYLOADS, DYNAMIC_GOPAY]
STATIC_IDS = ["dana", "spinpay", "doku"]
ALL_IDS = [*STATIC_IDS, "gopay"]

all_payloads = pytest.mark.parametrize("payload", ALL_PAYLOADS, ids=ALL_IDS)
static_payloads = pytest.mark.parametrize("payload", STATIC_PAYLOADS, ids=STATIC_IDS)


def error_code(func, *args) -> str:
    """Run ``func(*args)``, insist it raises a QrisError, and return its code."""
    with pytest.raises(qris.QrisError) as excinfo:
        func(*args)
    assert isinstance(excinfo.value, ValidationError)
    return excinfo.value.code


def error_message(func, *args) -> str:
    with pytest.raises(qris.QrisError) as excinfo:
        func(*args)
    (message,) = excinfo.value.messages
    return message


def value_span(payload: str, tag: str) -> tuple[int, int]:
    """Start and end index of the value of top-level ``tag`` inside ``payload``."""
    pos = 0
    while pos < len(payload):
        current, length = payload[pos : pos + 2], int(payload[pos + 2 : pos + 4])
        if current == tag:
            return pos + 4, pos + 4 + length
        pos += 4 + length
    raise AssertionError(f"tag {tag} not in payload")


def replace_char(payload: str, index: int) -> str:
    old = payload[index]
    new = "X" if old != "X" else "Y"
    return payload[:index] + new + payload[index + 1 :]


def rebuilt(
    payload: str, *, drop: frozenset[str] | set[str] = frozenset(), set_values: dict[str, str] | None = None
) -> str:
    """Re-serialise ``payload`` with tags dropped or values replaced, with a correct CRC."""
    set_values = set_values or {}
    fields = [(tag, set_values.get(tag, value)) for tag, value in qris.parse(payload) if tag not in drop]
    return qris.build(fields)


def without(fields: list[tuple[str, str]], *tags: str) -> list[tuple[str, str]]:
    return [(tag, value) for tag, value in fields if tag not in tags]


# --- CRC ----------------------------------------------------------------------------------


def test_crc16_ccitt_false_matches_standard_check_value():
    assert qris.crc16_ccitt_false("123456789") == "29B1"
    assert qris.crc16_ccitt_false(b"123456789") == "29B1"


def test_crc16_ccitt_false_of_empty_input_is_the_init_value():
    assert qris.crc16_ccitt_false("") == "FFFF"


def test_crc16_ccitt_false_pads_to_four_uppercase_hex_digits():
    results = {qris.crc16_ccitt_false(str(n)) for n in range(300)}
    assert all(len(r) == 4 and r == r.upper() for r in results)
    assert any(r.startswith("0") for r in results)


@all_payloads
def test_crc16_reproduces_the_crc_of_real_payloads(payload):
    assert qris.crc16_ccitt_false(payload[:-4]) == payload[-4:]


# --- parse / build ------------------------------------------------------------------------


def test_parse_returns_ordered_tag_value_pairs():
    assert qris.parse(STATIC_DOKU) == [
        ("00", "01"),
        ("01", "11"),
        ("26", "0012COM.DOKU.WWW0118936008990000002475020424750303URE"),
        ("51", "0014ID.CO.QRIS.WWW0215ID10200392934820303URE"),
        ("52", "5399"),
        ("53", "360"),
        ("58", "ID"),
        ("59", "GUREUM SHOP"),
        ("60", "JAKARTA PUSAT"),
        ("61", "10640"),
        ("62", "0703A01"),
        ("63", "455C"),
    ]


def test_parse_checks_framing_only_not_crc():
    broken_crc = STATIC_DOKU[:-4] + "0000"
    assert qris.parse(broken_crc)[-1] == ("63", "0000")


def test_parse_of_empty_string_is_empty_list():
    assert qris.parse("") == []


@all_payloads
def test_build_round_trips_real_payloads(payload):
    assert qris.build(qris.parse(payload)) == payload


def test_build_appends_crc_header_and_checksum():
    out = qris.build([("00", "01"), ("59", "Toko")])
    assert out.startswith("0002015904Toko6304")
    assert out[-4:] == qris.crc16_ccitt_false(out[:-4])


def test_build_replaces_a_stale_crc_in_the_input():
    fields = [*qris.parse(STATIC_DANA)[:-1], ("63", "0000")]
    assert qris.build(fields) == STATIC_DANA


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ([("5", "x")], "dua digit"),
        ([("AB", "x")], "dua digit"),
        ([("59", "x" * 100)], "terlalu panjang"),
    ],
    ids=["one-digit-tag", "letter-tag", "value-over-99"],
)
def test_build_refuses_unencodable_fields(fields, match):
    with pytest.raises(ValueError, match=match):
        qris.build(fields)


# --- validate: good payloads --------------------------------------------------------------


@all_payloads
def test_real_payloads_validate(payload):
    qris.validate(payload)


@static_payloads
def test_real_static_payloads_pass_validate_static(payload):
    qris.validate_static(payload)


def test_dynamic_payload_fails_validate_static_with_static_specific_code():
    assert error_code(qris.validate_static, DYNAMIC_GOPAY) == qris.CODE_NOT_STATIC == "qris_not_static"
    assert "dinamis" in error_message(qris.validate_static, DYNAMIC_GOPAY)


def test_validate_static_raises_a_plain_django_validation_error_with_rendered_message():
    with pytest.raises(ValidationError) as excinfo:
        qris.validate_static(DYNAMIC_GOPAY)
    assert excinfo.value.messages == [
        "QRIS ini dinamis (tag 01 = 12) dan hanya berlaku untuk satu transaksi; "
        "simpan QRIS statis (tag 01 = 11) milik penjual."
    ]


# --- validate: CRC failures ---------------------------------------------------------------


@all_payloads
@pytest.mark.parametrize("tag", ["59", "26", "51", "60"])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_single_changed_character_is_a_crc_mismatch(payload, tag, where):
    start, end = value_span(payload, tag)
    index = {"first": start, "middle": (start + end) // 2, "last": end - 1}[where]
    tampered = replace_char(payload, index)
    assert error_code(qris.validate, tampered) == "qris_crc_mismatch"


@all_payloads
def test_crc_mismatch_message_shows_expected_and_found(payload):
    start, _end = value_span(payload, "59")
    tampered = replace_char(payload, start)
    message = error_message(qris.validate, tampered)
    expected = qris.crc16_ccitt_false(tampered[:-4])
    assert expected in message
    assert payload[-4:] in message


@all_payloads
def test_removed_crc_is_reported_as_missing(payload):
    assert error_code(qris.validate, payload[:-8]) == "qris_crc_missing"


def test_crc_not_in_last_position_is_refused():
    fields = qris.parse(STATIC_DANA)
    payload = qris.build(fields[:-1])
    start = payload.index("5922")
    moved = payload[:start] + "6304" + payload[-4:] + payload[start:-8]
    assert error_code(qris.validate, moved) == "qris_crc_not_last"


def test_lowercase_crc_is_refused_as_badly_formatted():
    payload = STATIC_DANA[:-4] + STATIC_DANA[-4:].lower()
    assert error_code(qris.validate, payload) == "qris_crc_format"


def test_crc_with_wrong_length_is_refused_as_badly_formatted():
    payload = STATIC_DANA[:-8] + "630558C70"
    assert error_code(qris.validate, payload) == "qris_crc_format"


# --- validate: structure ------------------------------------------------------------------


@all_payloads
def test_name_length_one_too_short_breaks_structure(payload):
    start, end = value_span(payload, "59")
    length_at = start - 2
    shorter = payload[:length_at] + f"{end - start - 1:02d}" + payload[start:]
    assert error_code(qris.validate, shorter) == "qris_structure"


@all_payloads
def test_non_digit_length_breaks_structure(payload):
    start, _end = value_span(payload, "60")
    broken = payload[: start - 1] + "X" + payload[start:]
    assert error_code(qris.validate, broken) == "qris_structure"
    assert "panjang" in error_message(qris.validate, broken)


@all_payloads
def test_crc_length_running_past_end_breaks_structure(payload):
    broken = payload[:-6] + "05" + payload[-4:]
    message = error_message(qris.validate, broken)
    assert message.startswith("Struktur QRIS rusak di posisi ")
    assert error_code(qris.validate, broken) == "qris_structure"


@all_payloads
@pytest.mark.parametrize("cut", [1, 2, 3, 6])
def test_truncated_payload_breaks_structure(payload, cut):
    assert error_code(qris.validate, payload[:-cut]) == "qris_structure"


@all_payloads
def test_payload_cut_inside_merchant_name_breaks_structure(payload):
    start, end = value_span(payload, "59")
    assert error_code(qris.validate, payload[: (start + end) // 2]) == "qris_structure"


def test_structure_message_reports_one_based_position():
    message = error_message(qris.parse, "000201XX02")
    assert message.startswith("Struktur QRIS rusak di posisi 7:")


def test_space_between_fields_breaks_structure():
    start, _end = value_span(STATIC_DANA, "59")
    spaced = STATIC_DANA[: start - 4] + " " + STATIC_DANA[start - 4 :]
    assert error_code(qris.validate_static, spaced) == "qris_structure"


@pytest.mark.parametrize(
    "payload",
    [STATIC_DANA + "\n", STATIC_DANA[:50] + "\n" + STATIC_DANA[50:], STATIC_DANA.replace(" ", "\t", 1)],
    ids=["trailing-newline", "inner-newline", "tab"],
)
def test_control_characters_are_refused_with_own_code(payload):
    assert error_code(qris.validate_static, payload) == "qris_invalid_character"


def test_surrounding_spaces_are_not_stripped_by_the_validator():
    assert error_code(qris.validate_static, " " + STATIC_DANA) == "qris_structure"


def test_empty_payload_has_its_own_code():
    assert error_code(qris.validate, "") == "qris_empty"


# --- validate: field rules ----------------------------------------------------------------


@all_payloads
def test_tag_00_not_first_is_refused(payload):
    fields = qris.parse(payload)
    swapped = qris.build([fields[1], fields[0], *fields[2:]])
    assert error_code(qris.validate, swapped) == "qris_format_indicator_position"


@all_payloads
def test_tag_00_missing_is_refused_as_not_first(payload):
    assert error_code(qris.validate, rebuilt(payload, drop={"00"})) == "qris_format_indicator_position"


@all_payloads
def test_tag_00_other_than_01_is_refused(payload):
    changed = rebuilt(payload, set_values={"00": "02"})
    assert error_code(qris.validate, changed) == "qris_format_indicator_value"


@all_payloads
@pytest.mark.parametrize("method", ["10", "13", "1"])
def test_initiation_method_other_than_11_or_12_is_refused(payload, method):
    changed = rebuilt(payload, set_values={"01": method})
    assert error_code(qris.validate, changed) == "qris_initiation_method"


@all_payloads
def test_missing_initiation_method_is_refused(payload):
    assert error_code(qris.validate, rebuilt(payload, drop={"01"})) == "qris_initiation_method"


@all_payloads
@pytest.mark.parametrize("currency", ["840", "036", ""])
def test_currency_other_than_rupiah_is_refused(payload, currency):
    changed = rebuilt(payload, set_values={"53": currency})
    assert error_code(qris.validate, changed) == "qris_currency"


@all_payloads
def test_missing_currency_is_refused(payload):
    assert error_code(qris.validate, rebuilt(payload, drop={"53"})) == "qris_currency"


@all_payloads
@pytest.mark.parametrize("country", ["SG", "id", ""])
def test_country_other_than_id_is_refused(payload, country):
    changed = rebuilt(payload, set_values={"58": country})
    assert error_code(qris.validate, changed) == "qris_country"


@all_payloads
def test_missing_country_is_refused(payload):
    assert error_code(qris.validate, rebuilt(payload, drop={"58"})) == "qris_country"


@all_payloads
def test_missing_merchant_name_is_refused(payload):
    assert error_code(qris.validate, rebuilt(payload, drop={"59"})) == "qris_merchant_name"


@all_payloads
@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_merchant_name_is_refused(payload, blank):
    changed = rebuilt(payload, set_values={"59": blank})
    assert error_code(qris.validate, changed) == "qris_merchant_name"


@all_payloads
def test_missing_merchant_city_is_refused(payload):
    assert error_code(qris.validate, rebuilt(payload, drop={"60"})) == "qris_merchant_city"


@all_payloads
def test_blank_merchant_city_is_refused(payload):
    changed = rebuilt(payload, set_values={"60": ""})
    assert error_code(qris.validate, changed) == "qris_merchant_city"


@pytest.mark.parametrize("bad", ["39.000,00", "Rp39000", "39000.", ".5", "1e5", "12345678901234", ""])
def test_malformed_amount_in_dynamic_code_is_refused(bad):
    changed = rebuilt(DYNAMIC_GOPAY, set_values={"54": bad})
    assert error_code(qris.validate, changed) == "qris_amount"


@pytest.mark.parametrize("good", ["1", "39000", "39000.00", "98.73", "1234567890123"])
def test_well_formed_amounts_in_dynamic_code_are_accepted(good):
    qris.validate(rebuilt(DYNAMIC_GOPAY, set_values={"54": good}))


def test_duplicate_tag_is_refused():
    fields = qris.parse(STATIC_DANA)
    doubled = qris.build([*fields[:-1], ("59", "Toko Lain")])
    assert error_code(qris.validate, doubled) == "qris_duplicate_tag"


def test_every_failure_has_a_distinct_code():
    codes = [value for name, value in vars(qris).items() if name.startswith("CODE_")]
    assert len(codes) == len(set(codes)) >= 17


# --- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "name", "city", "amount"),
    [
        (STATIC_DANA, "Warung Sayur Bu Sugeng", "Kab. Demak", None),
        (STATIC_SPINPAY, "SPIN", "Jakarta Pusat", None),
        (STATIC_DOKU, "GUREUM SHOP", "JAKARTA PUSAT", None),
        (DYNAMIC_GOPAY, "Starbucks ", "JAKARTA PUSAT", 39000),
    ],
    ids=ALL_IDS,
)
def test_helpers_read_name_city_and_amount(payload, name, city, amount):
    assert qris.merchant_name(payload) == name
    assert dict(qris.parse(payload))["60"] == city
    assert qris.amount(payload) == amount


def test_amount_drops_fraction_without_rounding_up():
    assert qris.amount(rebuilt(DYNAMIC_GOPAY, set_values={"54": "1500.99"})) == 1500


def test_helpers_refuse_invalid_payloads():
    tampered = replace_char(STATIC_DANA, value_span(STATIC_DANA, "59")[0])
    assert error_code(qris.merchant_name, tampered) == "qris_crc_mismatch"


# --- to_dynamic ---------------------------------------------------------------------------


@static_payloads
@pytest.mark.parametrize("rupiah", [1, 25000, 9999999999])
def test_to_dynamic_from_static_sets_method_and_amount_with_valid_crc(payload, rupiah):
    out = qris.to_dynamic(payload, rupiah)
    qris.validate(out)
    assert out[-4:] == qris.crc16_ccitt_false(out[:-4])
    fields = dict(qris.parse(out))
    assert fields["01"] == "12"
    assert fields["54"] == str(rupiah)
    assert qris.amount(out) == rupiah
    assert error_code(qris.validate_static, out) == "qris_not_static"


@static_payloads
def test_to_dynamic_keeps_every_other_tag_and_order(payload):
    out = qris.to_dynamic(payload, 25000)
    assert without(qris.parse(out), "01", "54", "63") == without(qris.parse(payload), "01", "54", "63")


@static_payloads
def test_to_dynamic_inserts_amount_right_after_currency(payload):
    tags = [tag for tag, _value in qris.parse(qris.to_dynamic(payload, 25000))]
    assert tags[tags.index("53") + 1] == "54"


def test_to_dynamic_encodes_ten_digit_amount_with_length_10():
    out = qris.to_dynamic(STATIC_DANA, 9999999999)
    assert "54109999999999" in out


def test_to_dynamic_matches_hand_built_payload():
    fields = qris.parse(STATIC_DOKU)
    expected_fields = [("00", "01"), ("01", "12"), *fields[2:6], ("54", "25000"), *fields[6:-1]]
    assert qris.to_dynamic(STATIC_DOKU, 25000) == qris.build(expected_fields)


def test_to_dynamic_replaces_existing_amount_in_place():
    out = qris.to_dynamic(DYNAMIC_GOPAY, 25000)
    assert qris.amount(out) == 25000
    assert "39000" not in out
    assert [tag for tag, _v in qris.parse(out)] == [tag for tag, _v in qris.parse(DYNAMIC_GOPAY)]
    assert without(qris.parse(out), "54", "63") == without(qris.parse(DYNAMIC_GOPAY), "54", "63")
    qris.validate(out)


def test_to_dynamic_is_idempotent_for_same_amount():
    once = qris.to_dynamic(STATIC_DANA, 25000)
    assert qris.to_dynamic(once, 25000) == once


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (0, "minimal 1"),
        (-5, "minimal 1"),
        (True, "bool"),
        (2.5, "float"),
        ("25000", "str"),
        (10**13, "13 digit"),
    ],
    ids=["zero", "negative", "bool", "float", "str", "14-digits"],
)
def test_to_dynamic_refuses_bad_amounts(bad, match):
    with pytest.raises(ValueError, match=match):
        qris.to_dynamic(STATIC_DANA, bad)


def test_to_dynamic_accepts_thirteen_digit_amount():
    out = qris.to_dynamic(STATIC_DANA, 10**13 - 1)
    assert qris.amount(out) == 10**13 - 1


def test_to_dynamic_refuses_invalid_payload():
    assert error_code(qris.to_dynamic, STATIC_DANA[:-8], 25000) == "qris_crc_missing"


# --- make_demo_static ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "city", "merchant_id", "expected_name", "expected_city"),
    [
        ("Tenun Ikat Sumba Lestari", "Waingapu", "1", "Tenun Ikat Sumba Lestari", "Waingapu"),
        (
            "Kopi Arabika Flores Bajawa Ngada Jaya",
            "Kabupaten Manggarai Barat",
            "0012345678",
            "Kopi Arabika Flores Bajaw",
            "Kabupaten Mangg",
        ),
        ("Madu Hutan – Timor", "Soe\n", "ntt007", "Madu Hutan Timor", "Soe"),
        ("Kain Ende Lio", "Maumere ", "9876543210987", "Kain Ende Lio", "Maumere"),
    ],
    ids=["short", "long-truncated", "non-ascii-alnum-id", "thirteen-digit-id"],
)
def test_make_demo_static_passes_validate_static(name, city, merchant_id, expected_name, expected_city):
    payload = qris.make_demo_static(merchant_name=name, city=city, merchant_id=merchant_id)
    qris.validate_static(payload)
    assert qris.merchant_name(payload) == expected_name
    assert dict(qris.parse(payload))["60"] == expected_city


def test_make_demo_static_has_expected_templates():
    payload = qris.make_demo_static(merchant_name="Tenun Ikat", city="Kupang", merchant_id="42")
    fields = dict(qris.parse(payload))
    assert [tag for tag, _v in qris.parse(payload)] == [
        "00", "01", "26", "51", "52", "53", "58", "59", "60", "63",
    ]  # fmt: skip
    account = dict(qris.parse(fields["26"]))
    assert account["00"] == "ID.CO.BANKNTT.WWW"
    assert account["01"].isdigit()
    assert account["02"] == "42"
    assert account["03"] == "UMI"
    national = dict(qris.parse(fields["51"]))
    assert national["00"] == "ID.CO.QRIS.WWW"
    assert national["02"] == "ID0000000000042"
    assert fields["52"] == "5499"
    assert (fields["59"], fields["60"]) == ("Tenun Ikat", "Kupang")


def test_make_demo_static_is_deterministic_and_convertible():
    a = qris.make_demo_static(merchant_name="Tenun Ikat", city="Kupang", merchant_id="42")
    b = qris.make_demo_static(merchant_name="Tenun Ikat", city="Kupang", merchant_id="42")
    assert a == b
    qris.validate(qris.to_dynamic(a, 150000))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"merchant_name": "Toko", "city": "Kupang", "merchant_id": ""},
        {"merchant_name": "Toko", "city": "Kupang", "merchant_id": "12-34"},
        {"merchant_name": "Toko", "city": "Kupang", "merchant_id": "1" * 14},
        {"merchant_name": "  ", "city": "Kupang", "merchant_id": "1"},
        {"merchant_name": "Toko", "city": "", "merchant_id": "1"},
    ],
    ids=["empty-id", "punctuated-id", "long-id", "blank-name", "blank-city"],
)
def test_make_demo_static_refuses_unusable_input(kwargs):
    with pytest.raises(ValueError):
        qris.make_demo_static(**kwargs)
