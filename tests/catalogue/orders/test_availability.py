"""The one availability rule, and the per-order cap that stops one checkout holding the whole stock."""

import uuid

import pytest
from django.urls import reverse

from catalogue.models import Order, Product
from catalogue.orders import availability
from catalogue.orders.availability import Reason
from catalogue.orders.cart import SESSION_KEY
from catalogue.orders.checkout import Buyer, LineRequest, OrderRejected, place_order
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue._shop import add, buy, checkout_key, submit

pytestmark = pytest.mark.django_db


def stock(product: Product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def reasons(product, quantity, **seen) -> list[Reason]:
    return [problem.reason for problem in availability.check(product, quantity, **seen)]


# --- the rule ----------------------------------------------------------------------------------------


def test_the_rule_names_one_reason_per_problem():
    product = factories.product(name="Kopi Bajawa", stock=5, price=60000, max_per_order=3)
    assert reasons(product, 3, seen_price=60000) == []
    assert reasons(None, 1) == [Reason.GONE]
    assert reasons(factories.product(is_published=False), 1) == [Reason.NOT_FOR_SALE]
    assert reasons(factories.product(stock=0), 1) == [Reason.SOLD_OUT]
    assert reasons(product, 1, seen_price=55000) == [Reason.PRICE_CHANGED]
    assert reasons(product, 4, seen_price=55000) == [Reason.PRICE_CHANGED, Reason.OVER_LIMIT]
    assert reasons(factories.product(stock=2, max_per_order=3), 3) == [Reason.OVER_STOCK]


def test_the_rule_says_how_many_can_be_ordered_and_words_it_once():
    capped = factories.product(name="Madu Hutan", stock=50, max_per_order=10)
    (problem,) = availability.check(capped, 11)
    assert problem.orderable == 10
    assert problem.message == "Madu Hutan paling banyak 10 per pesanan, diminta 11."
    short = factories.product(name="Garam Kupang", stock=4, max_per_order=10)
    (problem,) = availability.check(short, 6)
    assert problem.orderable == 4
    assert problem.message == "Stok tidak cukup untuk Garam Kupang: tersisa 4, diminta 6."


# --- the cap in the cart -------------------------------------------------------------------------------


def test_new_products_allow_ten_per_order():
    assert factories.product().max_per_order == 10


def test_adding_more_than_the_cap_is_refused_in_the_cart(client):
    product = factories.product(name="Tenun Ikat", stock=100, max_per_order=10)
    assert add(client, product, 8).status_code == 302
    response = add(client, product, 3)
    assert response.status_code == 400
    assert (
        "Tenun Ikat paling banyak 10 per pesanan, diminta 11. Di keranjang sudah ada 8."
        in response.content.decode()
    )
    assert client.session[SESSION_KEY][str(product.pk)]["q"] == 8


def test_changing_a_line_above_the_cap_is_refused(client):
    product = factories.product(name="Kopi Bajawa", stock=100, max_per_order=5)
    add(client, product, 1)
    response = client.post(reverse("catalogue:cart_update"), {"product": product.pk, "quantity": "6"})
    assert response.status_code == 400
    assert "Kopi Bajawa paling banyak 5 per pesanan, diminta 6." in response.content.decode()


def test_a_cart_above_a_cap_lowered_since_is_brought_down_to_it(client):
    product = factories.product(name="Gula Lontar", stock=100, max_per_order=10)
    add(client, product, 9)
    Product.objects.filter(pk=product.pk).update(max_per_order=4)
    html = client.get(reverse("catalogue:cart")).content.decode()
    assert (
        "Gula Lontar paling banyak 4 per pesanan, diminta 9. Jumlah di keranjang disesuaikan menjadi 4."
        in html
    )
    assert client.session[SESSION_KEY][str(product.pk)]["q"] == 4


def test_the_product_page_shows_the_cap_and_the_quantity_box_obeys_it(client):
    product = factories.product(stock=100, max_per_order=6)
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Maks. 6 per pesanan" in html
    assert 'max="6"' in html


def test_officers_edit_the_cap_in_the_product_admin(client):
    product = factories.product(max_per_order=10)
    client.force_login(backoffice.staff(backoffice.ADMIN_PMD))
    address = reverse("admin:catalogue_product_change", args=[product.pk])
    data = backoffice.form_data(client.get(address).content.decode(), "product_form")
    assert data["max_per_order"] == "10"
    data["max_per_order"] = "2"
    response = client.post(address, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert Product.objects.get(pk=product.pk).max_per_order == 2


# --- the hoarding attack -------------------------------------------------------------------------------


def test_one_checkout_cannot_hold_the_whole_stock_of_every_product(client):
    """The attack: one anonymous checkout with every product (43 lines) at its whole stock."""
    products = [factories.product(stock=100) for _ in range(43)]
    refused = [add(client, product, 100).status_code for product in products]
    assert refused == [400] * 43
    order = buy(client, *products)  # one of each is fine
    assert order.total == 43 * 25000
    assert all(stock(product) == 99 for product in products)


def test_placing_an_order_enforces_the_cap_again_and_writes_nothing():
    products = [factories.product(stock=100) for _ in range(43)]
    with pytest.raises(OrderRejected) as rejected:
        place_order(
            cart_lines=[LineRequest(product.pk, 100) for product in products],
            buyer=Buyer("Penimbun", "081234567890"),
            checkout_key=uuid.uuid4().hex,
            delivery="ambil",
            payment="cod",
        )
    assert len(rejected.value.problems) == 43
    assert all("paling banyak 10 per pesanan, diminta 100." in problem for problem in rejected.value.problems)
    assert not Order.objects.exists()
    assert all(stock(product) == 100 for product in products)


def test_a_cap_lowered_after_the_checkout_page_stops_the_order(client):
    product = factories.product(name="Se'i Sapi", stock=100, max_per_order=10)
    add(client, product, 8)
    key = checkout_key(client)
    Product.objects.filter(pk=product.pk).update(max_per_order=5)
    response = submit(client, key)
    assert response.status_code == 409
    assert "paling banyak 5 per pesanan, diminta 8." in response.content.decode()
    assert not Order.objects.exists()
    assert stock(product) == 100
