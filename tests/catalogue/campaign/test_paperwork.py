"""Receipts and delivery notes, read back through the text extracted from the PDF."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from catalogue.campaign import paperwork
from catalogue.campaign.words import rupiah_in_words
from catalogue.models import BuyerKind, PartStatus, Payment
from tests.catalogue.campaign.factories import agency, purchase

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def receipt_url(part) -> str:
    return f"/pesanan/{part.order.access_token}/kuitansi/{part.pk}/"


def test_a_paid_part_has_a_receipt_with_the_amount_in_figures_and_words(client):
    part = purchase(amount=120_000, nip="198005172005011002")
    response = client.get(receipt_url(part))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "KUITANSI" in text
    assert "Rp120.000" in text
    assert "Seratus dua puluh ribu rupiah" in text
    assert part.order.number in text
    assert part.producer.name in text
    assert part.lines.get().product_name in text
    assert "WITA" in text


@pytest.mark.parametrize(
    "amount", [1, 999, 5_000_000, 5_000_001, 12_345_678, 101_001_000, 999_999_999, 987_654_321_012]
)
def test_the_receipt_states_each_amount_in_words(amount):
    paper = paperwork.Paper(
        number="OVOP-20261129-ABCD-1", date=timezone.now(),
        payer="Dinas Sosial Provinsi NTT", payer_detail="", lines=(paperwork.Line("Kopi", 1, "kg", amount),),
        shipping=0, producer="UMKM Kopi Colol", producer_nib="9120001234567",
        producer_place="Desa Colol, Kabupaten Manggarai Timur", address="",
    )  # fmt: skip
    text = pdf_text(paperwork.receipt_pdf(paper))
    assert rupiah_in_words(amount).capitalize() in text
    assert (paperwork.METERAI_LABEL in text) == (amount > 5_000_000)


def test_the_meterai_place_appears_only_above_five_million(client):
    small = pdf_text(client.get(receipt_url(purchase(amount=5_000_000))).content)
    large = pdf_text(client.get(receipt_url(purchase(amount=5_000_001))).content)
    assert paperwork.METERAI_LABEL not in small
    assert paperwork.METERAI_LABEL in large


@pytest.mark.parametrize(
    ("status", "payment"),
    [
        (PartStatus.AWAITING_PAYMENT, Payment.QRIS),
        (PartStatus.CANCELLED, Payment.QRIS),
        (PartStatus.READY, Payment.COD),
    ],
)
def test_an_unpaid_part_has_no_receipt(client, status, payment):
    assert client.get(receipt_url(purchase(status=status, payment=payment))).status_code == 404


def test_a_receipt_needs_the_orders_own_token(client):
    part = purchase()
    assert client.get(f"/pesanan/{'x' * 43}/kuitansi/{part.pk}/").status_code == 404


def test_an_agency_receipt_names_the_agency_and_its_official(client):
    part = purchase(
        kind=BuyerKind.AGENCY,
        agency_=agency("Dinas Pariwisata dan Ekonomi Kreatif Provinsi NTT"),
        official_name="Drs. Paulus Nuban",
        official_title="Kepala Bidang Pemasaran",
    )
    text = pdf_text(client.get(receipt_url(part)).content)
    assert "Dinas Pariwisata dan Ekonomi Kreatif Provinsi NTT" in text
    assert "Drs. Paulus Nuban" in text


def test_agency_purchases_have_a_delivery_note_others_do_not(client):
    agency_part = purchase(kind=BuyerKind.AGENCY, official_name="Maria Bria")
    civil_servant_part = purchase(kind=BuyerKind.CIVIL_SERVANT)
    token = agency_part.order.access_token
    response = client.get(f"/pesanan/{token}/surat-jalan/{agency_part.pk}/")
    assert response.status_code == 200
    assert "SURAT JALAN" in pdf_text(response.content)
    other = civil_servant_part.order.access_token
    assert client.get(f"/pesanan/{other}/surat-jalan/{civil_servant_part.pk}/").status_code == 404
