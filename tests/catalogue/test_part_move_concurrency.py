"""A producer confirms payments while expire_orders runs: each part ends paid or cancelled, never
both, with one event, and the stock of the cancelled ones comes back exactly once.

Runs on SQLite (a file database, as deployed) and on PostgreSQL (`make test-postgres`), where the
row lock of OrderPart.move() and expiry's conditional update really race."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogue import tasks
from catalogue.models import Order, OrderEvent, OrderPart, PartStatus, Product
from tests import factories

from ._concurrency import file_database, run_concurrently

PARTS = 20
QUANTITY = 2


@pytest.mark.django_db(transaction=True)
def test_confirming_payments_while_expiry_runs_ends_paid_or_cancelled_never_both(tmp_path, settings):
    settings.ORDER_PAYMENT_HOURS = 24
    product = factories.product(stock=100)
    parts = [factories.order_part(product, quantity=QUANTITY) for _ in range(PARTS)]
    Order.objects.update(created_at=timezone.now() - timedelta(hours=30))
    producer_user = factories.producer_user(product.producer, product.producer.whatsapp)

    def confirm_all() -> int:
        # From the newest part back, while expiry goes from the oldest on: they meet in the middle.
        return sum(
            OrderPart.objects.get(pk=part.pk).move(to=PartStatus.PAID, by=producer_user, reference="BRI")
            for part in reversed(parts)
        )

    def work(i: int) -> int:
        return confirm_all() if i % 2 == 0 else tasks.expire_orders.call()

    with file_database(tmp_path):
        results = run_concurrently(work, 4)
        assert not [result for result in results if isinstance(result, BaseException)], results
        statuses = dict(OrderPart.objects.values_list("pk", "status"))
        paid = [pk for pk, status in statuses.items() if status == PartStatus.PAID]
        cancelled = [pk for pk, status in statuses.items() if status == PartStatus.CANCELLED]
        assert len(paid) + len(cancelled) == PARTS
        assert sum(results) == PARTS  # every part moved exactly once, by one of the racers
        for pk in statuses:  # one event each: never paid then cancelled, or the other way round
            assert OrderEvent.objects.filter(part_id=pk).count() == 1
        assert not OrderPart.objects.filter(pk__in=paid, stock_returned=True).exists()
        stock = Product.objects.values_list("stock", flat=True).get(pk=product.pk)
        assert stock == 100 - QUANTITY * len(paid)  # returned once per cancelled part
