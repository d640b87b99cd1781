"""At most MAX_OPEN_ORDERS_PER_CONTACT unpaid or unconfirmed orders per WhatsApp number: one buyer
cannot hold the stock with order after order."""

import uuid

import pytest

from catalogue.models import Order, PartStatus, Product
from catalogue.orders.cart import SESSION_KEY
from catalogue.orders.checkout import Buyer, LineRequest, TooManyOpenOrders, place_order
from catalogue.orders.statuses import set_part_status
from tests import factories
from tests.catalogue._concurrency import file_database, run_concurrently
from tests.catalogue._shop import add, checkout_key, submit

NUMBER = "0812-3456-7890"
REFUSAL = (
    "Nomor WhatsApp ini masih punya 3 pesanan yang belum dibayar atau belum dikonfirmasi produsen. "
    "Selesaikan pesanan itu dahulu, lalu pesan lagi."
)


def stock(product: Product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def order(product: Product, *, whatsapp: str = NUMBER, payment: str = "qris") -> Order:
    return place_order(
        cart_lines=[LineRequest(product.pk, 1)],
        buyer=Buyer("Penimbun", whatsapp),
        checkout_key=uuid.uuid4().hex,
        delivery="ambil",
        payment=payment,
    ).order


@pytest.mark.django_db
def test_a_fourth_open_order_of_one_number_is_refused_at_checkout_and_nothing_written(client, settings):
    settings.MAX_OPEN_ORDERS_PER_CONTACT = 3
    product = factories.product(stock=20)
    held = [order(product), order(product, payment="cod"), order(product)]
    add(client, product, 2)
    key = checkout_key(client)
    response = submit(client, key, whatsapp="+62 812 3456 7890")  # the same number, written differently
    assert response.status_code == 409
    assert REFUSAL in response.content.decode()
    assert Order.objects.count() == 3
    assert stock(product) == 17
    assert client.session[SESSION_KEY][str(product.pk)]["q"] == 2  # the cart is kept

    set_part_status(held[0].parts.get(), PartStatus.PAID, by="produsen")  # one is no longer open
    assert submit(client, key, whatsapp=NUMBER).status_code == 302
    assert Order.objects.count() == 4


@pytest.mark.django_db
def test_paid_confirmed_and_cancelled_orders_do_not_count(settings):
    settings.MAX_OPEN_ORDERS_PER_CONTACT = 1
    product = factories.product(stock=20)
    set_part_status(order(product).parts.get(), PartStatus.PAID, by="t")
    set_part_status(order(product, payment="cod").parts.get(), PartStatus.READY, by="t")
    set_part_status(order(product).parts.get(), PartStatus.CANCELLED, by="t")
    order(product)  # the one open order allowed
    with pytest.raises(TooManyOpenOrders):
        order(product)
    order(product, whatsapp="0813-1111-2222")  # another number is not held back


@pytest.mark.django_db
def test_the_limit_comes_from_the_settings(settings):
    settings.MAX_OPEN_ORDERS_PER_CONTACT = 5
    product = factories.product(stock=20)
    for _ in range(5):
        order(product)
    with pytest.raises(TooManyOpenOrders) as refused:
        order(product)
    assert refused.value.problems == [REFUSAL.replace("punya 3", "punya 5")]
    assert stock(product) == 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_of_one_number_place_at_most_the_limit(tmp_path, settings):
    settings.MAX_OPEN_ORDERS_PER_CONTACT = 3
    product = factories.product(stock=50)

    def attempt(_i: int):
        try:
            return order(product)
        except TooManyOpenOrders as refused:
            return refused

    with file_database(tmp_path):
        results = run_concurrently(attempt, 8)
        assert sum(isinstance(result, Order) for result in results) == 3, results
        assert sum(isinstance(result, TooManyOpenOrders) for result in results) == 5, results
        assert Order.objects.count() == 3
        assert stock(product) == 47
