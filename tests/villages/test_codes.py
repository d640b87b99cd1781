import pytest
from django.core.exceptions import ValidationError

from villages import codes
from villages.codes import Level


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("53", Level.PROVINCE),
        ("53.01", Level.REGENCY),
        ("53.01.04", Level.DISTRICT),
        ("53.01.04.2003", Level.VILLAGE),
        ("91.03.01.3007", Level.VILLAGE),  # a desa adat (customary village) in the 2025 list
    ],
)
def test_level_is_read_from_the_code_shape(code, level):
    assert codes.level_of(code) == level


@pytest.mark.parametrize(
    "code", ["5", "530", "53.1", "53.01.4", "53.01.04.4003", "53.01.04.200", "53-01", "ab", ""]
)
def test_malformed_codes_have_no_level(code):
    assert codes.level_of(code) is None


def test_the_regency_of_a_village_or_district_is_its_first_two_segments():
    assert codes.regency_of("53.01.04.2003") == "53.01"
    assert codes.regency_of("53.71.01") == "53.71"
    assert codes.regency_of("91.03") == "91.03"


def test_parent_code_is_the_prefix():
    assert codes.parent_code("53.01.04.2003") == "53.01.04"
    assert codes.parent_code("53.01") == "53"
    assert codes.parent_code("53") is None


def test_kelurahan_and_desa_follow_the_last_segment():
    assert codes.is_kelurahan("53.71.03.1010")
    assert not codes.is_kelurahan("53.01.04.2003")


def test_validate_code_names_the_expected_shape():
    with pytest.raises(ValidationError) as error:
        codes.validate_code("53.1.04.2003", Level.VILLAGE)
    assert error.value.code == "bad_code"
    assert "53.01.04.2003" in error.value.messages[0]


def test_validate_parent_rejects_a_foreign_prefix():
    with pytest.raises(ValidationError) as error:
        codes.validate_parent("53.02.04", "53.01")
    assert error.value.code == "bad_parent"


@pytest.mark.parametrize(
    ("raw", "name"), [("KI''E", "KI'E"), ("  Oh''aem   II ", "Oh'aem II"), ("Bokonusan", "Bokonusan")]
)
def test_a_region_name_loses_the_doubled_quote_of_an_sql_dump(raw, name):
    assert codes.region_name(raw) == name
