import re
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from catalogue.models import Order, OrderLine, OrderPart, PartStatus, Product
from catalogue.orders.cart import Cart
from catalogue.orders.checkout import Buyer, LineRequest, OrderRejected, place_order
from tests import factories
from tests.catalogue import _shop
from tests.catalogue._concurrency import file_database, run_concurrently
from tests.catalogue._shop import add, checkout_key, submit

CHECKOUT = "/checkout/"


def stock(product: Product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


# --- the form --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checkout_with_an_empty_cart_sends_back_to_the_cart(client):
    response = client.get(CHECKOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:cart")


@pytest.mark.django_db
def test_checkout_page_has_the_public_field_names_and_a_one_time_key(client):
    add(client, factories.product())
    html = client.get(CHECKOUT).content.decode()
    for name in [
        "nama",
        "whatsapp",
        "email",
        "pengiriman",
        "alamat",
        "kabupaten",
        "catatan",
        "pembayaran",
        "kunci",
    ]:
        assert f'name="{name}"' in html, name
    assert 'value="ambil"' in html and 'value="kirim"' in html
    assert 'value="qris"' in html and 'value="cod"' in html
    assert "mengonfirmasi ongkos kirim lewat WhatsApp" in html
    assert "style=" not in html


@pytest.mark.django_db
def test_each_checkout_page_issues_a_new_key(client):
    add(client, factories.product())
    assert checkout_key(client) != checkout_key(client)


# --- placing the order -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_order_is_split_per_producer_with_prices_and_stock_taken(client, django_capture_on_commit_callbacks):
    kopi_farm, madu_farm = factories.producer(name="Kopi Ngada"), factories.producer(name="Madu Amanuban")
    kopi = factories.product(name="Kopi Bajawa", price=60000, stock=10, producer_=kopi_farm)
    luwak = factories.product(name="Kopi Luwak", price=150000, stock=3, producer_=kopi_farm)
    madu = factories.product(name="Madu Hutan", price=85000, stock=4, producer_=madu_farm)
    add(client, kopi, 2)
    add(client, luwak, 1)
    add(client, madu, 3)
    key = checkout_key(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, key, whatsapp="+62 812-3456-7890", catatan="Tolong dibungkus rapat.")

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pesanan/{order.access_token}/"
    assert re.fullmatch(r"OVOP-\d{8}-[2-9A-HJKMNP-Z]{4}", order.number)
    assert len(order.access_token) >= 40
    assert order.checkout_key == key
    assert order.buyer_whatsapp == "+6281234567890"
    assert order.note == "Tolong dibungkus rapat."
    assert order.total == 2 * 60000 + 150000 + 3 * 85000
    parts = {part.producer.name: part for part in OrderPart.objects.select_related("producer")}
    assert parts["Kopi Ngada"].subtotal == 270000
    assert parts["Madu Amanuban"].subtotal == 255000
    assert {part.status for part in parts.values()} == {PartStatus.AWAITING_PAYMENT}
    lines = {line.product_name: line for line in OrderLine.objects.all()}
    assert (lines["Kopi Luwak"].unit_price, lines["Kopi Luwak"].quantity, lines["Kopi Luwak"].part) == (
        150000,
        1,
        parts["Kopi Ngada"],
    )
    assert (stock(kopi), stock(luwak), stock(madu)) == (8, 2, 1)
    assert client.session.get("keranjang") == {}


@pytest.mark.django_db
def test_order_lines_keep_the_price_at_ordering_time(client):
    product = factories.product(price=30000)
    order = _shop.buy(client, product)
    Product.objects.filter(pk=product.pk).update(price=99000)
    assert OrderLine.objects.get(part__order=order).unit_price == 30000


@pytest.mark.django_db
def test_delivery_needs_address_and_regency(client):
    add(client, factories.product())
    response = submit(client, checkout_key(client), pengiriman="kirim")
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Wajib diisi bila barang dikirim.") == 4  # beside both fields, and in the summary
    assert not Order.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["kota-kupang", "53.71"], ids=["slug", "code"])
def test_regency_is_accepted_by_slug_or_code(client, value):
    kupang = factories.regency("53.71", "Kota Kupang")
    order = _shop.buy(
        client, factories.product(), pengiriman="kirim", alamat="Jl. El Tari 1, Oebobo", kabupaten=value
    )
    assert order.regency == kupang
    assert order.address == "Jl. El Tari 1, Oebobo"


@pytest.mark.django_db
def test_pickup_order_drops_a_typed_address(client):
    factories.regency("53.71", "Kota Kupang")
    order = _shop.buy(
        client, factories.product(), pengiriman="ambil", alamat="Jl. X", kabupaten="kota-kupang"
    )
    assert (order.address, order.regency) == ("", None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"nama": ""}, "nama", "Isi nama Anda."),
        ({"whatsapp": ""}, "whatsapp", "Isi nomor WhatsApp Anda."),
        ({"whatsapp": "0380-821234"}, "whatsapp", "Nomor WhatsApp tidak sah"),
        ({"email": "bukan-email"}, "email", "Alamat email tidak sah"),
        ({"pengiriman": "terbang"}, "pengiriman", "Pilih ambil di produsen atau dikirim."),
        ({"pembayaran": "bitcoin"}, "pembayaran", "Pilih QRIS atau bayar saat ambil/terima."),
        ({"pengiriman": "kirim", "alamat": "Jl. A", "kabupaten": "atlantis"}, "kabupaten", "tidak dikenal"),
        ({"nama": "x" * 121}, "nama", "Nama paling panjang 120 karakter."),
    ],
)
def test_errors_are_shown_beside_their_field_in_indonesian(client, fields, field, message):
    product = factories.product(stock=5)
    add(client, product)
    response = submit(client, checkout_key(client), **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    # Django renders a field's errors right before its widget, inside the field's own group.
    error_at = html.rindex(message)  # the last: the first is in the error summary at the top
    assert html.index(f'name="{field}"', error_at) - error_at < 1500
    assert not Order.objects.exists()
    assert stock(product) == 5


@pytest.mark.django_db
def test_a_forged_key_is_refused_and_a_new_one_issued(client):
    add(client, factories.product())
    checkout_key(client)
    response = submit(client, "f" * 32)
    html = response.content.decode()
    assert response.status_code == 400
    assert "sudah kedaluwarsa" in html
    new_key = _shop.KEY_RE.search(html).group(1)
    assert new_key != "f" * 32
    assert submit(client, new_key).status_code == 302
    assert Order.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "not-a-key", "A" * 32, "1" * 80])
def test_a_malformed_key_is_refused(client, key):
    add(client, factories.product())
    checkout_key(client)
    response = submit(client, key)
    assert response.status_code == 400
    assert "sudah kedaluwarsa" in response.content.decode()
    assert _shop.KEY_RE.search(response.content.decode())  # a fresh key to submit again
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_post_with_an_empty_cart_goes_back_to_the_cart(client):
    add(client, product := factories.product())
    key = checkout_key(client)
    client.post(reverse("catalogue:cart_remove"), {"product": product.pk})
    response = submit(client, key)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:cart")
    assert not Order.objects.exists()


# --- double submit ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_double_click_creates_one_order_and_both_land_on_it(client):
    product = factories.product(stock=5)
    add(client, product, 2)
    key = checkout_key(client)
    first = submit(client, key)
    second = submit(client, key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    assert stock(product) == 3


@pytest.mark.django_db
def test_refresh_after_ordering_resubmits_to_the_same_order(client):
    product = factories.product(stock=5)
    add(client, product, 1)
    key = checkout_key(client)
    first = submit(client, key)
    client.get(first["Location"])
    refreshed = submit(client, key)  # the browser's "resend form data?"
    assert refreshed["Location"] == first["Location"]
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_back_and_resubmit_with_a_new_cart_still_lands_on_the_first_order(client):
    product = factories.product(stock=5)
    add(client, product, 1)
    key = checkout_key(client)
    first = submit(client, key)
    add(client, product, 2)  # shopping on, then back to the old checkout page and submit it again
    again = submit(client, key, nama="Lain")
    assert again["Location"] == first["Location"]
    assert Order.objects.count() == 1
    assert stock(product) == 4
    assert client.session["keranjang"][str(product.pk)]["q"] == 2


@pytest.mark.django_db
def test_same_key_from_two_callers_gives_one_order():
    product = factories.product(stock=5)
    kwargs = {
        "cart_lines": [LineRequest(product.pk, 1)],
        "buyer": Buyer("Ina", "081234567890"),
        "checkout_key": "a" * 32,
        "delivery": "ambil",
        "payment": "qris",
    }
    first, second = place_order(**kwargs), place_order(**kwargs)
    assert (first.created, second.created) == (True, False)
    assert first.order == second.order
    assert stock(product) == 4


# --- the current state wins ------------------------------------------------------------------------


@pytest.mark.django_db
def test_price_changed_since_added_is_shown_on_checkout(client):
    product = factories.product(name="Kopi Bajawa", price=60000)
    add(client, product, 1)
    Product.objects.filter(pk=product.pk).update(price=65000)
    html = client.get(CHECKOUT).content.decode()
    assert "Harga Kopi Bajawa berubah dari Rp60.000 menjadi Rp65.000" in html
    assert "Rp65.000" in html


@pytest.mark.django_db
def test_product_unpublished_since_added_is_shown_on_checkout_and_left_out(client):
    gone, kept = factories.product(name="Vanili Flores", price=90000), factories.product(price=10000)
    add(client, gone)
    add(client, kept)
    Product.objects.filter(pk=gone.pk).update(is_published=False)
    html = client.get(CHECKOUT).content.decode()
    assert "Vanili Flores tidak lagi dijual" in html
    assert "Total: <strong>Rp10.000</strong>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("garbage", ["x", 5, {"a": 1}, ["short", 7, None]])
def test_tampered_issued_keys_never_break_the_checkout(client, garbage):
    add(client, factories.product())
    session = client.session
    session["checkout_keys"] = garbage
    session.save()
    assert submit(client, "a" * 32).status_code == 400  # not issued: refused, a fresh key is given
    assert submit(client, checkout_key(client)).status_code == 302


@pytest.mark.django_db
def test_price_changed_after_the_checkout_page_stops_the_order_until_seen(client):
    product = factories.product(name="Kopi Bajawa", price=60000)
    add(client, product, 2)
    key = checkout_key(client)
    Product.objects.filter(pk=product.pk).update(price=70000)
    response = submit(client, key)
    assert response.status_code == 409
    assert "Harga Kopi Bajawa berubah dari Rp60.000 menjadi Rp70.000" in response.content.decode()
    assert not Order.objects.exists()
    response = submit(client, key)  # seen now: the same form goes through at the new price
    assert response.status_code == 302
    assert Order.objects.get().total == 140000


@pytest.mark.django_db
def test_product_unpublished_after_the_checkout_page_is_announced_and_not_ordered(client):
    gone, kept = factories.product(name="Vanili Flores"), factories.product(name="Kemiri")
    add(client, gone)
    add(client, kept)
    key = checkout_key(client)
    Product.objects.filter(pk=gone.pk).update(is_published=False)
    response = submit(client, key)
    assert response.status_code == 409
    assert "Vanili Flores tidak lagi dijual" in response.content.decode()
    assert submit(client, key).status_code == 302
    assert list(OrderLine.objects.values_list("product_name", flat=True)) == ["Kemiri"]


@pytest.mark.django_db
def test_short_stock_at_ordering_writes_nothing_and_names_the_product(client):
    kopi = factories.product(name="Kopi Bajawa", stock=5)
    madu = factories.product(name="Madu Hutan", stock=5)
    add(client, kopi, 1)
    add(client, madu, 4)
    key = checkout_key(client)
    # Someone else buys between the cart's check and the transaction.
    real_summary = Cart.summary

    def summary_then_sold(cart):
        result = real_summary(cart)
        Product.objects.filter(pk=madu.pk).update(stock=3)
        return result

    with mock.patch("catalogue.orders.cart.Cart.summary", summary_then_sold):
        response = submit(client, key)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Stok tidak cukup untuk Madu Hutan: tersisa 3, diminta 4." in html
    assert not Order.objects.exists() and not OrderPart.objects.exists()
    assert (stock(kopi), stock(madu)) == (5, 3)


@pytest.mark.django_db
def test_place_order_rejects_every_short_line_and_writes_nothing():
    a = factories.product(name="Tenun Sumba", stock=1)
    b = factories.product(name="Gula Lontar", stock=2)
    c = factories.product(name="Garam", stock=9)
    with pytest.raises(OrderRejected) as rejected:
        place_order(
            cart_lines=[LineRequest(a.pk, 2), LineRequest(b.pk, 3), LineRequest(c.pk, 1)],
            buyer=Buyer("Ina", "081234567890"),
            checkout_key="b" * 32,
            delivery="ambil",
            payment="cod",
        )
    assert rejected.value.problems == [
        "Stok tidak cukup untuk Tenun Sumba: tersisa 1, diminta 2.",
        "Stok tidak cukup untuk Gula Lontar: tersisa 2, diminta 3.",
    ]
    assert not Order.objects.exists()
    assert (stock(a), stock(b), stock(c)) == (1, 2, 9)


@pytest.mark.django_db
def test_place_order_merges_repeated_lines_of_a_product():
    product = factories.product(stock=5)
    placed = place_order(
        cart_lines=[LineRequest(product.pk, 2), LineRequest(product.pk, 1)],
        buyer=Buyer("Ina", "081234567890"),
        checkout_key="c" * 32,
        delivery="ambil",
        payment="cod",
    )
    assert OrderLine.objects.get(part__order=placed.order).quantity == 3
    assert stock(product) == 2


@pytest.mark.django_db
def test_place_order_refuses_a_price_other_than_the_one_shown():
    product = factories.product(name="Madu", price=50000)
    with pytest.raises(OrderRejected, match=r"Harga Madu berubah dari Rp45\.000 menjadi Rp50\.000"):
        place_order(
            cart_lines=[LineRequest(product.pk, 1, expected_price=45000)],
            buyer=Buyer("Ina", "081234567890"),
            checkout_key="d" * 32,
            delivery="ambil",
            payment="qris",
        )
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_order_number_collision_is_retried_with_a_fresh_number():
    def order(product, key):
        return place_order(
            cart_lines=[LineRequest(product.pk, 1)],
            buyer=Buyer("Ina", "081234567890"),
            checkout_key=key,
            delivery="ambil",
            payment="qris",
        )

    taken = order(factories.product(), "e" * 32).order.number
    product = factories.product(stock=10)
    numbers = iter([taken, "OVOP-20261127-AB2C"])
    with mock.patch.object(Order._meta.get_field("number"), "_get_default", lambda: next(numbers)):
        placed = order(product, "f" * 32)
    assert placed.order.number == "OVOP-20261127-AB2C"
    assert stock(product) == 9
    assert Order.objects.count() == 2


# --- emails ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_emails_go_to_the_buyer_and_the_inbox_after_commit(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.ORDER_INBOX_EMAIL = "pesanan@pmd.example"
    add(client, factories.product(name="Kopi Bajawa", price=60000))
    key = checkout_key(client)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client, key, email="ina@example.com", pengiriman="kirim", alamat="Jl. A", kabupaten="53.01")
    assert mailoutbox == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()
    order = Order.objects.get()
    assert sorted(message.to[0] for message in mailoutbox) == ["ina@example.com", "pesanan@pmd.example"]
    buyer_mail = next(message for message in mailoutbox if message.to == ["ina@example.com"])
    assert order.number in buyer_mail.subject
    assert "Kopi Bajawa" in buyer_mail.body and "Rp60.000" in buyer_mail.body
    assert order.get_absolute_url() in buyer_mail.body
    assert "produsen belum punya tarif ke daerah Anda dan akan mengisinya" in buyer_mail.body  # no rate
    inbox_mail = next(message for message in mailoutbox if message.to == ["pesanan@pmd.example"])
    assert "+6281234567890" in inbox_mail.body


@pytest.mark.django_db
def test_without_an_email_only_the_inbox_is_told(client, mailoutbox, django_capture_on_commit_callbacks):
    add(client, factories.product())
    key = checkout_key(client)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, key)
    assert [message.to for message in mailoutbox] == [["pesanan@beliprodukntt.id"]]


@pytest.mark.django_db
def test_a_failing_mail_server_does_not_undo_the_order(client, django_capture_on_commit_callbacks):
    add(client, factories.product())
    key = checkout_key(client)
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = submit(client, key, email="ina@example.com")
    assert response.status_code == 302
    assert Order.objects.count() == 1


# --- rate limit ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checkout_posts_over_the_limit_get_the_indonesian_429_page(client, settings):
    settings.CHECKOUT_RATE_LIMIT_PER_MINUTE = 3
    add(client, factories.product())
    for _ in range(3):
        assert submit(client, "0" * 32).status_code == 400
    response = submit(client, "0" * 32)
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert int(response["Retry-After"]) <= 60
    assert client.get(CHECKOUT).status_code == 200  # reading the page is not limited


@pytest.mark.django_db
def test_the_limit_is_per_address(client, settings):
    settings.CHECKOUT_RATE_LIMIT_PER_MINUTE = 1
    add(client, factories.product())
    assert submit(client, "0" * 32).status_code == 400
    assert submit(client, "0" * 32).status_code == 429
    other = client.post(CHECKOUT, _shop.checkout_data("0" * 32), REMOTE_ADDR="10.0.0.9")
    assert other.status_code != 429


@pytest.mark.django_db
def test_forwarded_for_is_ignored_unless_trusted(client, settings):
    settings.CHECKOUT_RATE_LIMIT_PER_MINUTE = 1
    add(client, factories.product())
    data = _shop.checkout_data("0" * 32)
    assert client.post(CHECKOUT, data, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 400
    assert client.post(CHECKOUT, data, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
    settings.RATELIMIT_TRUST_X_FORWARDED_FOR = True
    assert client.post(CHECKOUT, data, HTTP_X_FORWARDED_FOR="spoofed, 3.3.3.3").status_code == 400
    assert client.post(CHECKOUT, data, HTTP_X_FORWARDED_FOR="other, 3.3.3.3").status_code == 429


@pytest.mark.django_db
def test_checkout_keeps_working_when_the_cache_is_down(client, settings):
    settings.CHECKOUT_RATE_LIMIT_PER_MINUTE = 1
    add(client, factories.product())
    key = checkout_key(client)
    with (
        mock.patch("catalogue.ratelimit.cache.add", side_effect=ConnectionError("redis down")),
        mock.patch("catalogue.ratelimit.cache.incr", side_effect=ConnectionError("redis down")),
    ):
        assert submit(client, "0" * 32).status_code == 400
        assert submit(client, key).status_code == 302
    assert Order.objects.count() == 1


# --- concurrency -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_checkouts_for_five_in_stock_sell_exactly_five(tmp_path):
    from django.test import Client

    product = factories.product(name="Kopi Bajawa", stock=5)
    clients = []
    keys = []
    for _ in range(20):
        shopper = Client()
        assert add(shopper, product, 1).status_code == 302
        keys.append(checkout_key(shopper))
        clients.append(shopper)

    with file_database(tmp_path):
        responses = run_concurrently(lambda i: submit(clients[i], keys[i], whatsapp=f"0813{i:08d}"), 20)
        errors = [response for response in responses if isinstance(response, BaseException)]
        assert errors == []
        placed = [i for i, response in enumerate(responses) if "/pesanan/" in response.get("Location", "")]
        assert len(placed) == 5
        for i, response in enumerate(responses):
            if i in placed:
                continue
            # Refused while placing (409, the checkout page again) or, for a buyer whose cart was read
            # after the stock ran out, sent back to the cart: either way told it is sold out.
            if response.status_code == 302:
                assert response["Location"] == reverse("catalogue:cart")
                html = clients[i].get(response["Location"]).content.decode()
            else:
                assert response.status_code == 409
                html = response.content.decode()
            assert "Stok Kopi Bajawa habis." in html  # stock only went down
        assert Order.objects.count() == 5
        assert OrderLine.objects.filter(product=product).count() == 5
        assert stock(product) == 0


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_place_order_calls_for_five_in_stock(tmp_path):
    product = factories.product(name="Madu Hutan", stock=5)
    other = factories.product(name="Garam", stock=100)

    def order(i: int):
        try:
            return place_order(
                cart_lines=[LineRequest(other.pk, 1), LineRequest(product.pk, 1)],
                buyer=Buyer("Pembeli", f"0813{i:08d}"),
                checkout_key=f"{i:032x}",
                delivery="ambil",
                payment="qris",
            )
        except OrderRejected as rejected:
            return rejected

    with file_database(tmp_path):
        results = run_concurrently(order, 20)
        rejected = [result for result in results if isinstance(result, OrderRejected)]
        assert len(rejected) == 15, results
        assert all(result.problems == ["Stok Madu Hutan habis."] for result in rejected)
        assert Order.objects.count() == 5
        assert stock(product) == 0
        assert stock(other) == 95  # the refused orders' other lines were rolled back


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_of_one_form_gives_one_order(tmp_path):
    from django.test import Client

    product = factories.product(stock=5)
    shopper = Client()
    add(shopper, product, 1)
    key = checkout_key(shopper)
    session_id = shopper.cookies[settings.SESSION_COOKIE_NAME].value

    def click(_i: int):
        browser = Client()
        browser.cookies[settings.SESSION_COOKIE_NAME] = session_id  # the same browser clicking again
        return submit(browser, key)

    with file_database(tmp_path):
        responses = run_concurrently(click, 4)
        assert not [response for response in responses if isinstance(response, BaseException)]
        assert {response.status_code for response in responses} == {302}
        assert len({response["Location"] for response in responses}) == 1
        assert Order.objects.count() == 1
        assert stock(product) == 4


@pytest.mark.django_db
def test_a_failed_checkout_puts_an_error_summary_first_with_links_to_the_fields_and_keeps_values(client):
    add(client, factories.product())
    response = submit(client, checkout_key(client), pengiriman="kirim", nama="Maria Ndapa")
    html = response.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in html and "data-focus-on-load" in summary
    assert 'href="#id_alamat"' in summary and 'href="#id_kabupaten"' in summary
    assert "checkout-has-errors" in html  # the form, with its summary, comes first on a phone
    assert 'value="Maria Ndapa"' in html  # what was typed is kept
    assert "js/errors.js" in html
