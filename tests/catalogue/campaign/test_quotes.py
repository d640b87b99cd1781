"""Requests for quotation: an agency asks, the producer answers, the agency accepts and gets an order."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from catalogue.campaign import quotes
from catalogue.models import BuyerKind, Order, PartStatus, Payment, QuoteRequest, QuoteStatus
from tests import factories
from tests.catalogue.campaign.factories import agency

pytestmark = pytest.mark.django_db


def request_data(**fields) -> dict:
    data = {
        "instansi": agency().slug,
        "jumlah": "200",
        "tanggal": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "kabupaten": factories.regency().slug,
        "nama": "Yuliana Tefa",
        "whatsapp": "0812-3456-7890",
        "email": "",
        "catatan": "Cendera mata rapat kerja",
    }
    data.update(fields)
    return data


def answered(quote: QuoteRequest, price: int = 90_000, quantity: int = 150) -> QuoteRequest:
    return quotes.answer_quote(
        quote=quote,
        unit_price=price,
        quantity=quantity,
        available_on=timezone.localdate() + datetime.timedelta(days=20),
    )


def accept_data(**fields) -> dict:
    data = {"alamat": "Jl. El Tari No. 52, Kupang", "pejabat": "Drs. Paulus Nuban", "jabatan": "Kabag Umum"}
    data.update({"npwp": "", "pembayaran": "qris", **fields})
    return data


def test_the_whole_quotation_flow_ends_in_an_agency_order(client):
    product = factories.product(stock=5)
    response = client.post(f"/penawaran/baru/{product.slug}/", request_data())
    quote = QuoteRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/penawaran/{quote.token}/"
    assert (quote.quantity, quote.status) == (200, QuoteStatus.REQUESTED)
    assert "belum menjawab" in client.get(response["Location"]).content.decode()

    answered(quote)
    page = client.get(f"/penawaran/{quote.token}/").content.decode()
    assert "Rp90.000" in page
    assert "Rp13.500.000" in page

    response = client.post(f"/penawaran/{quote.token}/", accept_data())
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    part = order.parts.get()
    assert (order.total, part.subtotal, part.status) == (13_500_000, 13_500_000, PartStatus.AWAITING_PAYMENT)
    assert part.lines.get().quantity == 150
    assert order.campaign.kind == BuyerKind.AGENCY
    assert order.campaign.official_name == "Drs. Paulus Nuban"
    quote.refresh_from_db()
    assert (quote.status, quote.order) == (QuoteStatus.ACCEPTED, order)
    product.refresh_from_db()
    assert product.stock == 5  # a quotation is made to order: the shop's shelf stays for shoppers


def test_accepting_twice_makes_one_order(client):
    quote = answered(quotes.request_quote(product=factories.product(), cleaned=_cleaned()))
    assert client.post(f"/penawaran/{quote.token}/", accept_data()).status_code == 302
    again = client.post(f"/penawaran/{quote.token}/", accept_data())
    assert again.status_code in (200, 400)
    assert Order.objects.count() == 1


def test_an_unanswered_quotation_cannot_be_accepted(client):
    quote = quotes.request_quote(product=factories.product(), cleaned=_cleaned())
    response = client.post(f"/penawaran/{quote.token}/", accept_data())
    assert response.status_code == 400
    assert Order.objects.count() == 0


def test_a_producer_without_qris_is_paid_in_cash():
    product = factories.product(producer_=factories.producer(qris_payload=""))
    quote = answered(quotes.request_quote(product=product, cleaned=_cleaned()))
    order = quotes.accept_quote(
        quote=quote, address="Kupang", payment=Payment.QRIS, official_name="A", official_title="B"
    )
    assert order.payment == Payment.COD


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("jumlah", "0"),
        ("jumlah", "lots"),
        ("tanggal", "2001-01-01"),
        ("tanggal", "31-31-2026"),
        ("kabupaten", "atlantis"),
        ("instansi", "dinas-khayalan"),
        ("instansi", "x" * 5000),
        ("whatsapp", "12345"),
        ("nama", ""),
    ],
)
def test_a_bad_request_is_refused_and_nothing_is_written(client, field, value):
    product = factories.product()
    response = client.post(f"/penawaran/baru/{product.slug}/", request_data(**{field: value}))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert QuoteRequest.objects.count() == 0


def test_an_unknown_quotation_link_is_a_404(client):
    assert client.get("/penawaran/tidak-ada/").status_code == 404
    assert client.get("/penawaran/baru/produk-tidak-ada/").status_code == 404


def _cleaned() -> dict:
    return {
        "instansi": agency(),
        "jumlah": 200,
        "tanggal": timezone.localdate() + datetime.timedelta(days=30),
        "kabupaten": factories.regency(),
        "nama": "Yuliana Tefa",
        "whatsapp": "+6281234567890",
    }


def producer_client(producer) -> Client:
    client = Client()
    client.force_login(factories.producer_user(producer))
    return client


def test_the_producer_answers_in_the_portal_and_the_agency_accepts(client):
    product = factories.product(price=95_000)
    client.post(f"/penawaran/baru/{product.slug}/", request_data(jumlah="300"))
    quote = QuoteRequest.objects.get()
    portal = producer_client(product.producer)
    assert quote.agency.name in portal.get("/produsen/penawaran/").content.decode()
    answer = {
        "harga": "90000",
        "jumlah": "250",
        "tanggal": (timezone.localdate() + datetime.timedelta(days=14)),
    }
    response = portal.post(f"/produsen/penawaran/{quote.pk}/", answer)
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.status, quote.unit_price, quote.quantity_available) == (QuoteStatus.ANSWERED, 90_000, 250)
    assert client.post(f"/penawaran/{quote.token}/", accept_data()).status_code == 302
    assert Order.objects.get().total == 22_500_000


def test_another_producer_cannot_see_or_answer_the_request(client):
    product = factories.product()
    quote = quotes.request_quote(product=product, cleaned=_cleaned())
    stranger = producer_client(factories.producer())
    assert quote.agency.name not in stranger.get("/produsen/penawaran/").content.decode()
    assert stranger.get(f"/produsen/penawaran/{quote.pk}/").status_code == 404
    assert stranger.post(f"/produsen/penawaran/{quote.pk}/", {"tolak": "1"}).status_code == 404
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.REQUESTED


def test_a_producer_may_decline(client):
    product = factories.product()
    quote = quotes.request_quote(product=product, cleaned=_cleaned())
    response = producer_client(product.producer).post(f"/produsen/penawaran/{quote.pk}/", {"tolak": "1"})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DECLINED
    assert "tidak dapat memenuhi" in client.get(f"/penawaran/{quote.token}/").content.decode()


def test_a_bad_answer_is_refused_and_changes_nothing():
    product = factories.product()
    quote = quotes.request_quote(product=product, cleaned=_cleaned())
    response = producer_client(product.producer).post(f"/produsen/penawaran/{quote.pk}/", {"harga": "-5"})
    assert response.status_code == 400
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.REQUESTED


def test_the_product_page_offers_a_quotation_for_agencies(client):
    product = factories.product()
    assert f"/penawaran/baru/{product.slug}/" in client.get(product.get_absolute_url()).content.decode()
