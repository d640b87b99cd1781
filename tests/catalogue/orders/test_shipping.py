"""Delivery: each part gets its producer's rate to the buyer's regency, or waits for a quote; the
QRIS carries the amount due and the part's bill number; cash parts say how they are paid."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone

from catalogue import qris
from catalogue.models import Order, PartStatus, ShippingRate
from catalogue.orders.checkout import Buyer, LineRequest, OrderRejected, place_order
from tests import factories
from tests.catalogue import _shop

pytestmark = pytest.mark.django_db

PAYLOAD_RE = re.compile(r'class="qris-payload" readonly value="([^"]+)"')


@pytest.fixture
def kupang():
    return factories.regency("53.71", "Kota Kupang")


def deliver(client, *products, **fields) -> Order:
    return _shop.buy(
        client, *products, pengiriman="kirim", alamat="Jl. El Tari 1", kabupaten="kota-kupang", **fields
    )


def test_a_rate_becomes_the_parts_shipping_and_the_qris_carries_the_total_and_bill_number(
    client, kupang, django_capture_on_commit_callbacks
):
    product = factories.product(price=40000)
    ShippingRate.objects.create(producer=product.producer, regency=kupang, price=15000, eta_days=2)
    with django_capture_on_commit_callbacks(execute=True):
        order = deliver(client, product, email="pembeli@example.id")
    part = order.parts.get()
    assert (part.status, part.shipping, part.amount_due) == (PartStatus.AWAITING_PAYMENT, 15000, 55000)
    assert order.total == 55000
    html = client.get(order.get_absolute_url()).content.decode()
    (payload,) = [unescape(found) for found in PAYLOAD_RE.findall(html)]
    assert qris.amount(payload) == 55000
    assert qris.bill_number(payload) == f"{order.number}-1"
    assert f'<strong class="bill-number">{order.number}-1</strong>' in html
    assert '<span class="part-shipping">Rp15.000</span>' in html
    buyer_mail = next(message for message in mail.outbox if message.to == ["pembeli@example.id"])
    assert "Ongkos kirim: Rp15.000" in buyer_mail.body and "Rp55.000" in buyer_mail.body


def test_without_a_rate_the_part_waits_for_a_quote_with_no_qris_until_then(client, kupang):
    product = factories.product(price=40000)
    order = deliver(client, product)
    part = order.parts.get()
    assert part.status == PartStatus.AWAITING_QUOTE
    html = client.get(order.get_absolute_url()).content.decode()
    assert not PAYLOAD_RE.findall(html)
    assert "belum punya tarif ongkos kirim ke Kota Kupang" in html

    assert part.quote_shipping(shipping=20000, by=None)
    html = client.get(order.get_absolute_url()).content.decode()
    (payload,) = [unescape(found) for found in PAYLOAD_RE.findall(html)]
    assert qris.amount(payload) == 60000
    assert Order.objects.get(pk=order.pk).total == 60000


def test_a_pickup_pays_no_shipping_even_where_a_rate_exists(client, kupang):
    product = factories.product(price=40000)
    ShippingRate.objects.create(producer=product.producer, regency=kupang, price=15000)
    part = _shop.buy(client, product).parts.get()
    assert (part.shipping, part.status) == (0, PartStatus.AWAITING_PAYMENT)


@pytest.mark.parametrize(
    ("delivery", "hint"), [("kirim", "Bayar saat barang tiba"), ("ambil", "Bayar saat ambil")]
)
def test_cash_parts_wait_for_the_producer_and_say_how_they_are_paid(client, kupang, delivery, hint):
    product = factories.product()
    ShippingRate.objects.create(producer=product.producer, regency=kupang, price=15000)
    fields = {"alamat": "Jl. El Tari 1", "kabupaten": "kota-kupang"} if delivery == "kirim" else {}
    order = _shop.buy(client, product, pengiriman=delivery, pembayaran="cod", **fields)
    assert order.parts.get().status == PartStatus.AWAITING_CONFIRMATION
    assert hint in client.get(order.get_absolute_url()).content.decode()


def test_a_new_part_is_announced_to_its_producer_by_email(client, django_capture_on_commit_callbacks):
    with_email = factories.product(producer_=factories.producer(email="tenun@example.id"))
    without = factories.product()
    with django_capture_on_commit_callbacks(execute=True):
        order = _shop.buy(client, with_email, without)
    to_producer = [message for message in mail.outbox if message.to == ["tenun@example.id"]]
    assert len(to_producer) == 1
    assert order.number in to_producer[0].subject
    part = order.parts.get(producer=with_email.producer)
    assert f"/produsen/pesanan/{part.pk}/" in to_producer[0].body


def test_a_paused_product_cannot_be_put_in_the_cart_or_ordered(client):
    product = factories.product()
    _shop.add(client, product)
    product.paused_until = timezone.localdate() + datetime.timedelta(days=3)
    product.save()
    assert "sedang libur" in client.get("/keranjang/").content.decode()
    _shop.add(client, product)
    assert "sedang libur" in client.get("/keranjang/").content.decode()
    with pytest.raises(OrderRejected, match="sedang libur"):
        place_order(
            cart_lines=[LineRequest(product.pk, 1)],
            buyer=Buyer("Ina", "081234567890"),
            checkout_key="paused-product-key",
            delivery="ambil",
            payment="qris",
        )
    assert not Order.objects.exists()
    product.paused_until = timezone.localdate() - datetime.timedelta(days=1)  # the holiday is over
    product.save()
    assert _shop.buy(client, product).parts.get().lines.get().product == product
