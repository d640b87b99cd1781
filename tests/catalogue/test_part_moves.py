"""OrderPart.move(): the one writer of a part's status, its events, and the stock on cancel."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from catalogue.models import ActorKind, OrderEvent, PartStatus, Product, ShippingRate
from tests import factories

pytestmark = pytest.mark.django_db


def stock(product: Product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def test_a_producer_confirming_a_payment_records_who_when_and_the_reference():
    part = factories.order_part()
    user = factories.producer_user(part.producer, "+6281200000001")
    assert part.move(to=PartStatus.PAID, by=user, reference="BNI-778899")
    part.refresh_from_db()
    assert part.status == PartStatus.PAID
    assert (part.paid_confirmed_by, part.payment_reference) == (user, "BNI-778899")
    assert part.paid_at is not None
    event = part.events.get()
    assert (event.from_status, event.to_status) == (PartStatus.AWAITING_PAYMENT, PartStatus.PAID)
    assert (event.actor, event.actor_label, event.reference) == (user, ActorKind.PRODUCER, "BNI-778899")


def test_a_move_not_allowed_from_the_current_status_writes_nothing():
    part = factories.order_part(status=PartStatus.DONE)
    assert not part.move(to=PartStatus.PAID, by=None)
    part.refresh_from_db()
    assert part.status == PartStatus.DONE
    assert not OrderEvent.objects.exists()


def test_a_stale_instance_is_checked_against_the_row_not_its_own_status():
    part = factories.order_part()
    stale = type(part).objects.get(pk=part.pk)
    assert part.move(to=PartStatus.CANCELLED, by=None, note="Habis")
    assert not stale.move(to=PartStatus.PAID, by=None)
    assert stale.status == PartStatus.CANCELLED


def test_cancelling_returns_the_stock_exactly_once():
    product = factories.product(stock=10)
    part = factories.order_part(product, quantity=3)
    assert stock(product) == 7
    assert part.move(to=PartStatus.CANCELLED, by=None, note="Tidak dibayar")
    assert stock(product) == 10
    assert not part.move(to=PartStatus.CANCELLED, by=None)
    assert not part.return_stock()
    assert stock(product) == 10


def test_only_from_refuses_a_part_that_has_moved_on():
    part = factories.order_part()
    part.move(to=PartStatus.PAID, by=None)
    assert not part.move(to=PartStatus.CANCELLED, by=None, only_from={PartStatus.AWAITING_PAYMENT})
    part.refresh_from_db()
    assert part.status == PartStatus.PAID


def test_a_shipping_quote_moves_the_part_on_with_its_price():
    part = factories.order_part(status=PartStatus.AWAITING_QUOTE, delivery="kirim")
    assert part.move(to=PartStatus.AWAITING_PAYMENT, by=None, shipping=15000)
    part.refresh_from_db()
    assert (part.shipping, part.amount_due) == (15000, part.subtotal + 15000)


def test_shipped_keeps_courier_and_tracking_in_the_event():
    part = factories.order_part(status=PartStatus.PAID)
    assert part.move(to=PartStatus.SHIPPED, by=None, courier="JNE", tracking="JN123")
    event = part.events.get()
    assert (event.courier, event.tracking, event.actor_label) == ("JNE", "JN123", ActorKind.SYSTEM)


def test_an_officer_is_labelled_petugas():
    part = factories.order_part()
    officer = factories.producer_user().__class__.objects.create_user("petugas", is_staff=True)
    part.move(to=PartStatus.PAID, by=officer)
    assert part.events.get().actor_label == ActorKind.OFFICER


def test_the_bill_number_is_the_order_number_and_the_part_index():
    part = factories.order_part()
    second = factories.order_part(factories.product())
    second.order = part.order
    second.save()
    assert part.bill_number() == f"{part.order.number}-1"
    assert second.bill_number() == f"{part.order.number}-2"
    assert len(second.bill_number()) <= 25


def test_one_shipping_rate_per_producer_and_regency():
    producer = factories.producer()
    regency = factories.regency("53.71", "Kota Kupang")
    ShippingRate.objects.create(producer=producer, regency=regency, price=10000, eta_days=2)
    assert ShippingRate.objects.rate_for(producer, regency).price == 10000
    assert ShippingRate.objects.rate_for(producer, None) is None
    with pytest.raises(IntegrityError):
        ShippingRate.objects.create(producer=producer, regency=regency, price=12000, eta_days=2)


def test_parts_waiting_on_a_producer_are_those_quoting_or_preparing():
    from datetime import timedelta

    from django.utils import timezone

    quote = factories.order_part(status=PartStatus.AWAITING_QUOTE)
    paid = factories.order_part(status=PartStatus.PAID)
    factories.order_part(status=PartStatus.DONE)
    waiting = type(quote).objects.waiting_on_producer(since=timezone.now() + timedelta(seconds=1))
    assert set(waiting) == {quote, paid}
    assert not type(quote).objects.waiting_on_producer(since=timezone.now() - timedelta(hours=24)).exists()
