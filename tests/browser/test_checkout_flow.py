"""From the catalogue to an order page with one dynamic QRIS per producer, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalogue import qris
from catalogue.models import Order, Product

pytestmark = pytest.mark.browser

CARD = "#hasil .card"
BADGE_COUNT = "#cart-badge .cart-badge-count"


def card_for(page, product: Product):
    return page.locator(CARD).filter(has=page.locator(f'input[name="product"][value="{product.pk}"]'))


def two_products_of_two_producers(page) -> list[Product]:
    """The first two products on the catalogue page that belong to different producers."""
    ids = [
        int(value)
        for value in page.locator(f'{CARD} input[name="product"]').evaluate_all(
            "inputs => inputs.map(input => input.value)"
        )
    ]
    products = Product.objects.in_bulk(ids)
    chosen: list[Product] = []
    for product_id in ids:
        product = products[product_id]
        if product.stock > 0 and product.producer_id not in {p.producer_id for p in chosen}:
            chosen.append(product)
        if len(chosen) == 2:
            return chosen
    raise AssertionError("the catalogue's first page should show two producers")


def fill_checkout(page) -> None:
    page.locator("#id_nama").fill("Maria Ndapa")  # "Nama pejabat …" (agency purchases) also has "Nama"
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Ambil di produsen").check()
    page.get_by_label("QRIS").check()
    page.get_by_role("button", name="Pesan sekarang").click()
    page.wait_for_url("**/pesanan/*/")


def assert_two_qr_codes_for_the_two_subtotals(page, chosen: list[Product]) -> None:
    assert page.locator("svg.qris-code").count() == 2
    for svg in page.locator("svg.qris-code").all():
        assert svg.is_visible()
        assert svg.get_attribute("style") is None
    payloads = page.locator("input.qris-payload").evaluate_all("inputs => inputs.map(input => input.value)")
    order = Order.objects.get()
    subtotals = sorted(order.parts.values_list("subtotal", flat=True))
    assert subtotals == sorted(product.price for product in chosen)
    assert sorted(qris.amount(payload) for payload in payloads) == subtotals
    for payload in payloads:
        qris.validate(payload)
        assert dict(qris.parse(payload))["01"] == "12"
    assert page.get_by_text(order.number).first.is_visible()


def test_add_two_producers_products_check_out_and_pay_each_by_qris(page, problems, live_server, demo_data):
    page.goto(f"{live_server.url}/produk/")
    chosen = two_products_of_two_producers(page)
    page.evaluate("window.__sameDocument = true")

    for count, product in enumerate(chosen, start=1):
        card_for(page, product).get_by_role("button", name="Tambah ke keranjang").click()
        expect(page.locator(BADGE_COUNT)).to_have_text(re.compile(rf"^{count}\b"))
        expect(page.locator("#toast .toast")).to_contain_text(f"{product.name} masuk ke keranjang.")
    assert page.evaluate("window.__sameDocument === true"), "adding to the cart reloaded the page"

    page.locator("#cart-badge").click()
    page.wait_for_url("**/keranjang/")
    assert page.locator(".cart-group").count() == 2
    page.get_by_role("link", name="Lanjut ke checkout").click()
    page.wait_for_url("**/checkout/")
    fill_checkout(page)

    assert_two_qr_codes_for_the_two_subtotals(page, chosen)
    assert page.get_by_role("link", name="Hubungi via WhatsApp").count() == 2
    expect(page.locator("button.copy-button").first).to_be_visible()  # shown by static/js/copy.js
    assert page.locator("#order-statuses").get_attribute("hx-trigger") == "every 30s"
    problems.assert_none()


def test_the_same_purchase_works_with_javascript_off(make_page, problems, live_server, demo_data):
    page = make_page(javascript=False)
    page.goto(f"{live_server.url}/produk/")
    chosen = two_products_of_two_producers(page)
    for product in chosen:
        card_for(page, product).get_by_role("button", name="Tambah ke keranjang").click()
        page.wait_for_load_state()
        assert page.get_by_text(f"{product.name} masuk ke keranjang.").is_visible()
    assert page.locator(BADGE_COUNT).first.inner_text().startswith("2")

    page.goto(f"{live_server.url}/keranjang/")
    page.get_by_role("link", name="Lanjut ke checkout").click()
    page.wait_for_url("**/checkout/")
    fill_checkout(page)
    assert_two_qr_codes_for_the_two_subtotals(page, chosen)
    problems.assert_none()


def test_a_wrong_quantity_shows_the_message_beside_the_form(page, problems, live_server, demo_data):
    page.goto(f"{live_server.url}/produk/")
    product = two_products_of_two_producers(page)[0]
    page.goto(f"{live_server.url}{product.get_absolute_url()}")
    form = page.locator("form.add-to-cart").first
    quantity = form.locator('input[name="quantity"]')
    # Bypass the browser's own number check, as a crafted request would.
    quantity.evaluate("input => { input.type = 'text'; input.value = '2.5'; }")
    form.get_by_role("button", name="Tambah ke keranjang").click()
    form.locator(".cart-error").wait_for()
    assert "bilangan bulat" in form.locator(".cart-error").inner_text()
    assert page.locator(BADGE_COUNT).inner_text().startswith("0")
    # The 400 answer is the expected, handled outcome here; anything else is a problem.
    problems.failed_requests = [line for line in problems.failed_requests if "/keranjang/tambah/" not in line]
    problems.console_errors = [line for line in problems.console_errors if "400" not in line]
    problems.assert_none()
