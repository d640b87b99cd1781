import datetime

import pytest
from django.core.exceptions import ValidationError

from catalogue.campaign.nip import normalize_npwp, parse_nip

TODAY = datetime.date(2026, 11, 29)


@pytest.mark.parametrize(
    "raw",
    [
        "198005172005011002",
        "19800517 200501 1 002",
        "19800517.200501.1.002",
        "199912312024122001",  # appointed last December, a woman
        "196002292000011999",  # born on a leap day
    ],
)
def test_well_formed_nips_are_accepted(raw):
    nip = parse_nip(raw, today=TODAY)
    assert len(nip.digits) == 18
    assert str(nip).replace(" ", "") == nip.digits


def test_a_nip_is_read_into_its_parts():
    nip = parse_nip("19800517 200501 2 013", today=TODAY)
    assert nip.birth_date == datetime.date(1980, 5, 17)
    assert nip.appointed == (2005, 1)
    assert nip.sex == 2
    assert nip.sequence == 13


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "nip_length"),
        ("19800517200501100", "nip_length"),  # 17 digits
        ("1980051720050110021", "nip_length"),  # 19 digits
        ("19800517x00501100a", "nip_length"),
        ("198013172005011002", "nip_birth"),  # month 13
        ("198002302005011002", "nip_birth"),  # 30 February
        ("193005172005011002", "nip_birth"),  # born before 1940
        ("201505172025011002", "nip_birth"),  # too young to be a civil servant
        ("198005172005131002", "nip_appointment"),  # month 13
        ("198005172005001002", "nip_appointment"),  # month 0
        ("198005171995011002", "nip_appointment"),  # appointed at 14
        ("198005172027011002", "nip_appointment"),  # appointed in the future
        ("198005172005013002", "nip_sex"),
        ("198005172005010002", "nip_sex"),
        ("198005172005011000", "nip_sequence"),
    ],
)
def test_malformed_nips_are_refused_with_a_message_naming_the_nip(raw, code):
    with pytest.raises(ValidationError) as refused:
        parse_nip(raw, today=TODAY)
    assert refused.value.code == code
    assert "NIP" in str(refused.value.messages[0])


@pytest.mark.parametrize("raw", ["01.234.567.8-901.000", "012345678901000", "3171012345678901"])
def test_npwp_of_15_or_16_digits_is_accepted(raw):
    assert normalize_npwp(raw).isdigit()


@pytest.mark.parametrize("raw", ["", "12345678901234", "12345678901234567", "01.234.567.8-901.00A"])
def test_other_npwp_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_npwp(raw)
