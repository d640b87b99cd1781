"""The bill number of a dynamic QRIS (tag 62, sub-tag 01), on the real payloads in tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue import qris

SAMPLES = [
    line.strip()
    for line in (Path(__file__).parent.parent / "data" / "qris-samples.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize("payload", SAMPLES)
def test_a_bill_number_is_read_back_and_the_rest_of_the_payload_is_untouched(payload):
    dynamic = qris.to_dynamic(payload, 125000)
    billed = qris.with_bill_number(dynamic, "OVOP-20261129-AB3K-2")
    qris.validate(billed)  # CRC recomputed
    assert qris.bill_number(billed) == "OVOP-20261129-AB3K-2"
    assert qris.amount(billed) == 125000
    before = dict(qris.parse(dynamic))
    after = dict(qris.parse(billed))
    assert {tag: value for tag, value in after.items() if tag not in {"62", "63"}} == {
        tag: value for tag, value in before.items() if tag not in {"62", "63"}
    }
    if "62" in before:  # other additional-data sub-tags (terminal label ...) are kept
        kept = {tag: value for tag, value in qris.parse(before["62"]) if tag != "01"}
        assert {tag: value for tag, value in qris.parse(after["62"]) if tag != "01"} == kept


def test_an_existing_bill_number_is_replaced_in_place():
    dynamic = qris.to_dynamic(SAMPLES[1], 1000)
    assert qris.bill_number(qris.with_bill_number(qris.with_bill_number(dynamic, "A-1"), "B-2")) == "B-2"


def test_a_payload_without_a_bill_number_reads_none():
    assert qris.bill_number(qris.to_dynamic(SAMPLES[0], 1000)) is None


@pytest.mark.parametrize("bad", ["", "X" * 26, "OVOP\n1", "Pesanan-Ω"])
def test_a_bill_number_must_be_1_to_25_printable_ascii(bad):
    with pytest.raises(ValueError):
        qris.with_bill_number(qris.to_dynamic(SAMPLES[0], 1000), bad)


def test_a_static_payload_gets_no_bill_number():
    with pytest.raises(ValueError):
        qris.with_bill_number(SAMPLES[0], "OVOP-1")
