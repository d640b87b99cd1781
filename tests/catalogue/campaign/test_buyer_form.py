"""The campaign fields of the checkout: pembeli, instansi, nip, pejabat, jabatan, npwp."""

import pytest

from catalogue.campaign.forms import CampaignBuyerForm
from catalogue.models import BuyerKind
from tests.catalogue.campaign.factories import agency

pytestmark = pytest.mark.django_db


def form(**data) -> CampaignBuyerForm:
    return CampaignBuyerForm(data)


def test_a_private_purchase_is_the_default_and_needs_nothing():
    bound = form()
    assert bound.is_valid(), bound.errors
    assert bound.buyer() is None


def test_a_civil_servant_names_an_agency_and_may_give_a_nip():
    dinas = agency()
    bound = form(pembeli="asn", instansi=dinas.slug, nip="19800517 200501 1 002")
    assert bound.is_valid(), bound.errors
    buyer = bound.buyer()
    assert (buyer.kind, buyer.agency, buyer.nip) == (BuyerKind.CIVIL_SERVANT, dinas, "198005172005011002")


def test_a_civil_servant_without_agency_is_refused():
    bound = form(pembeli="asn")
    assert not bound.is_valid()
    assert "instansi" in bound.errors


def test_a_malformed_nip_is_refused_with_a_message_naming_the_nip():
    bound = form(pembeli="asn", instansi=agency().slug, nip="19801317200501100")
    assert not bound.is_valid()
    assert "NIP" in bound.errors["nip"][0]


def test_an_agency_purchase_needs_the_official_and_title():
    bound = form(pembeli="instansi", instansi=agency().slug)
    assert not bound.is_valid()
    assert set(bound.errors) == {"pejabat", "jabatan"}


def test_an_agency_purchase_keeps_the_official_and_npwp_but_no_nip():
    data = {
        "pembeli": "instansi",
        "instansi": agency().slug,
        "pejabat": "Maria Bria",
        "jabatan": "Kabag Umum",
    }
    bound = form(**data, npwp="01.234.567.8-901.000", nip="198005172005011002")
    assert bound.is_valid(), bound.errors
    buyer = bound.buyer()
    assert (buyer.official_name, buyer.npwp, buyer.nip) == ("Maria Bria", "012345678901000", "")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pembeli": "pegawai"}, "pembeli"),
        ({"pembeli": "asn", "instansi": "dinas-khayalan"}, "instansi"),
        ({"pembeli": "instansi", "pejabat": "A", "jabatan": "B", "npwp": "123"}, "npwp"),
    ],
)
def test_bad_values_are_refused_on_their_field(data, field):
    if data.get("pembeli") == "instansi":
        data["instansi"] = agency().slug
    bound = form(**data)
    assert not bound.is_valid()
    assert field in bound.errors
