"""Buying for the Gerakan at checkout: as a civil servant (ASN) or as an agency, with the paperwork."""

import pytest

from catalogue.models import BuyerKind, CampaignPurchase, Order, PartStatus
from tests import factories
from tests.catalogue._shop import add, buy, checkout_key, submit
from tests.catalogue.campaign.factories import agency

pytestmark = pytest.mark.django_db


def test_a_private_purchase_records_no_campaign_purchase(client):
    order = buy(client, factories.product())
    assert not CampaignPurchase.objects.filter(order=order).exists()


def test_a_civil_servant_buys_for_the_campaign_with_a_nip(client):
    dinas = agency()
    order = buy(client, factories.product(), pembeli="asn", instansi=dinas.slug, nip="19800517 200501 1 002")
    assert (order.campaign.kind, order.campaign.agency, order.campaign.nip) == (
        BuyerKind.CIVIL_SERVANT,
        dinas,
        "198005172005011002",
    )


def test_a_malformed_nip_names_the_nip_and_writes_no_order(client):
    product = factories.product(stock=3)
    add(client, product)
    response = submit(
        client, checkout_key(client), pembeli="asn", instansi=agency().slug, nip="1980051720050110"
    )
    assert response.status_code == 400
    assert "NIP harus 18 angka" in response.content.decode()
    assert Order.objects.count() == 0
    product.refresh_from_db()
    assert product.stock == 3


def test_an_agency_purchase_needs_its_official(client):
    add(client, factories.product())
    response = submit(client, checkout_key(client), pembeli="instansi", instansi=agency().slug)
    assert response.status_code == 400
    assert Order.objects.count() == 0


def test_an_agency_gets_a_receipt_and_a_delivery_note_once_paid(client):
    order = buy(
        client,
        factories.product(),
        pembeli="instansi",
        instansi=agency().slug,
        pejabat="Drs. Paulus Nuban",
        jabatan="Kepala Bagian Umum",
        npwp="01.234.567.8-901.000",
    )
    part = order.parts.get()
    page = client.get(order.get_absolute_url()).content.decode()
    assert "kuitansi" not in page  # not paid yet
    part.status = PartStatus.PAID
    part.save()
    page = client.get(order.get_absolute_url()).content.decode()
    assert f"/pesanan/{order.access_token}/kuitansi/{part.pk}/" in page
    assert f"/pesanan/{order.access_token}/surat-jalan/{part.pk}/" in page
    assert client.get(f"/pesanan/{order.access_token}/surat-jalan/{part.pk}/").status_code == 200
