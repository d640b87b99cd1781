import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalogue import tasks
from catalogue.models import OrderPart, PartStatus, Product
from catalogue.orders.checkout import Buyer, LineRequest, place_order
from catalogue.orders.expiry import expire_orders
from catalogue.orders.statuses import cancel_part, set_part_status
from tests import factories
from tests.catalogue._concurrency import file_database, run_concurrently

NOW = timezone.now()


def stock(product: Product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def order(*lines: tuple[Product, int], hours_ago: float = 30, payment: str = "qris"):
    return place_order(
        cart_lines=[LineRequest(product.pk, quantity) for product, quantity in lines],
        buyer=Buyer("Ina", "081234567890"),
        checkout_key=uuid.uuid4().hex,
        delivery="ambil",
        payment=payment,
        now=NOW - timedelta(hours=hours_ago),
    ).order


@pytest.mark.django_db
def test_unpaid_qris_parts_past_the_deadline_are_cancelled_and_stock_returned(settings):
    settings.ORDER_PAYMENT_HOURS = 24
    kopi, madu = factories.product(stock=10), factories.product(stock=10)
    placed = order((kopi, 3), (madu, 2), hours_ago=25)
    assert (stock(kopi), stock(madu)) == (7, 8)
    assert expire_orders(now=NOW) == 2
    assert set(placed.parts.values_list("status", flat=True)) == {PartStatus.CANCELLED}
    assert all(placed.parts.values_list("stock_returned", flat=True))
    assert (stock(kopi), stock(madu)) == (10, 10)


@pytest.mark.django_db
def test_young_cash_and_paid_parts_are_left_alone(settings):
    settings.ORDER_PAYMENT_HOURS = 24
    product = factories.product(stock=10)
    young = order((product, 1), hours_ago=23)
    cash = order((product, 1), hours_ago=30, payment="cod")
    paid = order((product, 1), hours_ago=48)
    set_part_status(paid.parts.get(), PartStatus.PAID, by="test")
    assert expire_orders(now=NOW) == 0
    assert young.parts.get().status == PartStatus.AWAITING_PAYMENT
    assert cash.parts.get().status == PartStatus.AWAITING_CONFIRMATION
    assert paid.parts.get().status == PartStatus.PAID
    assert stock(product) == 7


@pytest.mark.django_db
def test_only_the_unpaid_part_of_a_split_order_expires():
    a, b = factories.product(stock=5), factories.product(stock=5)
    placed = order((a, 1), (b, 1))
    set_part_status(placed.parts.get(producer=a.producer), PartStatus.PAID, by="test")
    assert expire_orders(now=NOW) == 1
    assert (stock(a), stock(b)) == (4, 5)


@pytest.mark.django_db
def test_running_twice_returns_stock_once():
    product = factories.product(stock=5)
    order((product, 2))
    assert expire_orders(now=NOW) == 1
    assert expire_orders(now=NOW) == 0
    assert stock(product) == 5


@pytest.mark.django_db
def test_cancelling_a_part_twice_returns_its_stock_once():
    product = factories.product(stock=5)
    part = order((product, 2), hours_ago=0).parts.get()
    assert cancel_part(part, by="test") is True
    assert cancel_part(part, by="test") is False
    assert stock(product) == 5


@pytest.mark.django_db
def test_expiry_does_not_cancel_a_part_paid_meanwhile():
    product = factories.product(stock=5)
    part = order((product, 1)).parts.get()
    set_part_status(part, PartStatus.PAID, by="staff")
    assert cancel_part(part, by="expire", only_from={PartStatus.AWAITING_PAYMENT}) is False
    assert OrderPart.objects.get(pk=part.pk).status == PartStatus.PAID


@pytest.mark.django_db
def test_status_changes_obey_next_allowed():
    part = order((factories.product(), 1), hours_ago=0).parts.get()
    assert set_part_status(part, PartStatus.DONE, by="t") is False  # not straight from awaiting payment
    assert set_part_status(part, PartStatus.PAID, by="t") is True
    assert set_part_status(part, PartStatus.PAID, by="t") is False
    assert set_part_status(part, PartStatus.READY, by="t") is True
    assert set_part_status(part, PartStatus.SHIPPED, by="t") is False
    assert set_part_status(part, PartStatus.DONE, by="t") is True
    assert set_part_status(part, PartStatus.CANCELLED, by="t") is False  # done is final
    assert OrderPart.objects.get(pk=part.pk).status == PartStatus.DONE


@pytest.mark.django_db
def test_a_cash_part_is_confirmed_by_readying_or_shipping_it_and_paid_on_completion():
    ready = order((factories.product(), 1), hours_ago=0, payment="cod").parts.get()
    assert ready.status == PartStatus.AWAITING_CONFIRMATION
    assert set_part_status(ready, PartStatus.PAID, by="t") is False  # cash is paid on handover
    assert set_part_status(ready, PartStatus.DONE, by="t") is False  # not before it was confirmed
    assert set_part_status(ready, PartStatus.READY, by="t") is True
    assert set_part_status(ready, PartStatus.DONE, by="t") is True
    shipped = order((factories.product(), 1), hours_ago=0, payment="cod").parts.get()
    assert set_part_status(shipped, PartStatus.SHIPPED, by="t") is True
    assert OrderPart.objects.get(pk=shipped.pk).status == PartStatus.SHIPPED


@pytest.mark.django_db
def test_an_unconfirmed_cash_part_can_be_cancelled_and_returns_its_stock_once():
    product = factories.product(stock=5)
    part = order((product, 2), hours_ago=0, payment="cod").parts.get()
    assert set_part_status(part, PartStatus.CANCELLED, by="t") is True
    assert set_part_status(part, PartStatus.CANCELLED, by="t") is False
    assert stock(product) == 5


@pytest.mark.django_db
def test_management_command_reports_what_it_cancelled():
    product = factories.product(stock=5)
    order((product, 1), hours_ago=100)
    out = StringIO()
    call_command("expire_orders", stdout=out)
    assert "1 bagian pesanan kedaluwarsa dibatalkan." in out.getvalue()
    assert stock(product) == 5


@pytest.mark.django_db
def test_expiry_runs_as_a_django_task():
    product = factories.product(stock=5)
    order((product, 1), hours_ago=100)
    result = tasks.expire_orders.enqueue()
    assert result.return_value == 1
    assert stock(product) == 5


@pytest.mark.django_db(transaction=True)
def test_overlapping_expiry_runs_return_stock_exactly_once(tmp_path):
    products = [factories.product(stock=50) for _ in range(3)]
    for _ in range(6):
        order(*[(product, 2) for product in products], hours_ago=48)
    assert [stock(product) for product in products] == [38, 38, 38]

    with file_database(tmp_path):
        results = run_concurrently(lambda _i: expire_orders(now=NOW), 4)
        assert not [result for result in results if isinstance(result, BaseException)], results
        assert sum(results) == 18  # 6 orders x 3 producers, each cancelled by exactly one run
        assert [stock(product) for product in products] == [50, 50, 50]
        assert OrderPart.objects.filter(status=PartStatus.CANCELLED, stock_returned=True).count() == 18


@pytest.mark.django_db(transaction=True)
def test_staff_cancel_racing_expiry_returns_stock_once(tmp_path):
    product = factories.product(stock=10)
    part = order((product, 4), hours_ago=48).parts.get()

    def work(i: int) -> bool | int:
        return cancel_part(part.pk, by="staff") if i % 2 else expire_orders(now=NOW)

    with file_database(tmp_path):
        results = run_concurrently(work, 6)
        assert not [result for result in results if isinstance(result, BaseException)], results
        assert sum(int(result) for result in results) == 1
        assert stock(product) == 10
