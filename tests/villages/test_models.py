import pytest
from django.core.exceptions import ValidationError

from tests import factories
from villages.models import District, Regency, Village

pytestmark = pytest.mark.django_db


def test_village_kind_comes_from_its_code():
    desa = factories.village("53.01.04.2003", "Bokonusan")
    kelurahan = factories.village("53.01.04.1001", "Uitao")
    assert desa.kind == Village.Kind.DESA
    assert kelurahan.kind == Village.Kind.KELURAHAN


def test_regency_named_kota_is_a_kota():
    assert Regency.kind_for_name("Kota Kupang") == Regency.Kind.KOTA
    assert Regency.kind_for_name("Kabupaten Kupang") == Regency.Kind.KABUPATEN


def test_district_code_must_extend_its_regency_code():
    regency = factories.regency("53.01", "Kabupaten Kupang")
    district = District(code="53.02.04", name="Salah", regency=regency)
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "53.01" in str(error.value)


def test_village_with_a_malformed_code_is_refused():
    district = factories.district("53.01.04", "Semau", regency_code="53.01")
    village = Village(code="53.01.04.9003", name="Salah", district=district)
    with pytest.raises(ValidationError) as error:
        village.full_clean()
    assert "code" in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [("sustainability_score", 6), ("sustainability_score", 0), ("latitude", 91), ("longitude", -181)],
)
def test_mapping_values_out_of_range_are_refused(field, value):
    village = factories.village()
    setattr(village, field, value)
    with pytest.raises(ValidationError) as error:
        village.full_clean()
    assert field in error.value.message_dict
