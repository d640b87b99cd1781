import re

import pytest
from django.http import HttpResponse
from django.urls import reverse

from catalogue import product_page
from catalogue.middleware import fill_csrf_slots
from catalogue.orders.cart import SESSION_KEY, Cart, _clean
from tests import factories
from tests.catalogue._shop import add

pytestmark = pytest.mark.django_db

CART = "/keranjang/"
HTMX = {"HX-Request": "true"}


def cart_items(client) -> dict:
    return client.session.get(SESSION_KEY, {})


def set_session(client, value) -> None:
    session = client.session
    session[SESSION_KEY] = value
    session.save()


def test_urls_are_the_public_indonesian_paths():
    assert reverse("catalogue:cart") == "/keranjang/"
    assert reverse("catalogue:checkout") == "/checkout/"
    assert reverse("catalogue:order", kwargs={"token": "abc"}) == "/pesanan/abc/"


# --- adding ----------------------------------------------------------------------------------------


def test_plain_post_adds_and_redirects_back_with_a_message(client):
    product = factories.product(name="Kopi Arabika Bajawa", stock=5)
    response = client.post(
        reverse("catalogue:cart_add"), {"product": product.pk, "quantity": "2", "next": "/produk/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/produk/"
    assert cart_items(client) == {str(product.pk): {"q": 2, "p": product.price}}
    page = client.get("/produk/")
    assert "Kopi Arabika Bajawa masuk ke keranjang." in page.content.decode()
    assert '<span class="cart-badge-count">2<' in page.content.decode()


def test_next_pointing_to_another_site_is_ignored(client):
    product = factories.product()
    response = client.post(
        reverse("catalogue:cart_add"),
        {"product": product.pk, "quantity": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == CART


def test_htmx_add_answers_with_a_status_line_and_the_badge_out_of_band(client):
    product = factories.product(name="Madu Hutan", stock=5)
    add(client, product, 1)
    response = add(client, product, 2, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Madu Hutan masuk ke keranjang." in html
    assert 'id="cart-badge"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="cart-badge-count">3<' in html


def test_first_htmx_add_of_a_new_visitor_counts_in_the_badge(client):
    response = add(client, factories.product(stock=5), 1, **HTMX)
    assert '<span class="cart-badge-count">1<' in response.content.decode()


def product_body(product) -> str:
    """The product page's body, where its add-to-cart form is (catalogue/product_page.py)."""
    return product_page.render(product=product, gallery=[], nearby=[], whatsapp_link="", next_path="/produk/")


def test_add_to_cart_form_posts_product_and_quantity_and_works_without_js():
    from django.test import RequestFactory

    product = factories.product(stock=4)
    request = RequestFactory().get("/produk/")
    html = product_body(product)
    assert 'method="post"' in html and f'action="{reverse("catalogue:cart_add")}"' in html
    assert f'name="product" value="{product.pk}"' in html
    assert 'name="quantity"' in html and 'max="4"' in html
    assert 'name="next" value="/produk/"' in html
    # The form lives in cached fragments: it carries a slot that the middleware fills with the
    # visitor's own token (catalogue/middleware.py), never a token of its own.
    assert "csrfmiddlewaretoken" not in html
    filled = fill_csrf_slots(request, HttpResponse(html)).content.decode()
    assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}">', filled)
    assert "style=" not in html and "hx-on" not in html


def test_add_to_cart_form_of_a_sold_out_product_says_so():
    product = factories.product(stock=0)
    html = product_body(product)
    assert "Stok habis" in html
    assert 'type="submit"' not in html


def test_adding_more_than_the_stock_in_total_is_refused(client):
    product = factories.product(name="Gula Lontar", stock=3)
    add(client, product, 2)
    response = add(client, product, 2)
    assert response.status_code == 400
    assert (
        "Stok tidak cukup untuk Gula Lontar: tersisa 3, diminta 4. Di keranjang sudah ada 2."
        in response.content.decode()
    )
    assert cart_items(client)[str(product.pk)]["q"] == 2


BAD_QUANTITIES = [
    ("0", "Jumlah paling sedikit 1."),
    ("-1", "Jumlah paling sedikit 1."),
    ("2.5", "Jumlah harus bilangan bulat"),
    ("abc", "Jumlah harus bilangan bulat"),
    ("1e3", "Jumlah harus bilangan bulat"),
    ("1000000000000", "Stok tidak cukup untuk Produk Uji"),
    ("9" * 60, "Jumlah harus bilangan bulat"),
]


@pytest.mark.parametrize(("quantity", "message"), BAD_QUANTITIES)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_quantity_on_add_gets_a_message_and_changes_nothing(client, quantity, message, htmx):
    product = factories.product(stock=5)
    add(client, product, 1)
    response = add(client, product, quantity, **(HTMX if htmx else {}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert cart_items(client) == {str(product.pk): {"q": 1, "p": product.price}}


@pytest.mark.parametrize(("quantity", "message"), [*BAD_QUANTITIES, ("", "Jumlah harus bilangan bulat")])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_quantity_on_update_gets_a_message_and_changes_nothing(client, quantity, message, htmx):
    product = factories.product(stock=5)
    add(client, product, 2)
    response = client.post(
        reverse("catalogue:cart_update"),
        {"product": product.pk, "quantity": quantity},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert cart_items(client) == {str(product.pk): {"q": 2, "p": product.price}}


@pytest.mark.parametrize(
    ("product_id", "message"),
    [
        ("999999", "tidak ditemukan atau tidak lagi dijual"),
        ("abc", "tidak ditemukan atau tidak lagi dijual"),
        ("", "Pilih produk yang akan dibeli."),
        ("-3", "tidak ditemukan atau tidak lagi dijual"),
        ("1.5", "tidak ditemukan atau tidak lagi dijual"),
        ("99999999999999999999999", "tidak ditemukan atau tidak lagi dijual"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_unknown_product_id_gets_a_message_and_changes_nothing(client, product_id, message, htmx):
    kept = factories.product()
    add(client, kept, 1)
    response = client.post(
        reverse("catalogue:cart_add"),
        {"product": product_id, "quantity": "1"},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert list(cart_items(client)) == [str(kept.pk)]


def test_unpublished_product_cannot_be_added(client):
    product = factories.product(is_published=False)
    response = add(client, product, 1)
    assert response.status_code == 400
    assert "tidak ditemukan atau tidak lagi dijual" in response.content.decode()
    assert cart_items(client) == {}


def test_sold_out_product_cannot_be_added(client):
    product = factories.product(name="Tenun Ikat", stock=0)
    response = add(client, product, 1)
    assert response.status_code == 400
    assert "Stok Tenun Ikat habis." in response.content.decode()


def test_cart_actions_refuse_get(client):
    assert client.get(reverse("catalogue:cart_add")).status_code == 405
    assert client.get(reverse("catalogue:cart_update")).status_code == 405
    assert client.get(reverse("catalogue:cart_remove")).status_code == 405


# --- the cart page -----------------------------------------------------------------------------------


def test_cart_groups_lines_by_producer_with_subtotals_and_a_total(client):
    kopi_farm = factories.producer(name="Kopi Ngada")
    madu_farm = factories.producer(name="Madu Amanuban")
    add(client, factories.product(name="Kopi Bajawa", price=60000, producer_=kopi_farm), 2)
    add(client, factories.product(name="Kopi Luwak", price=150000, producer_=kopi_farm), 1)
    add(client, factories.product(name="Madu Hutan", price=85000, producer_=madu_farm), 1)
    response = client.get(CART)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Subtotal Kopi Ngada: <strong>Rp270.000</strong>" in html
    assert "Subtotal Madu Amanuban: <strong>Rp85.000</strong>" in html
    assert "Total: <strong>Rp355.000</strong>" in html
    assert "dari 2 produsen" in html
    cart = html[html.index('id="cart"') :]
    assert cart.index("Kopi Ngada") < cart.index("Kopi Bajawa") < cart.index("Madu Amanuban")


def test_empty_cart_says_so(client):
    html = client.get(CART).content.decode()
    assert "Keranjang masih kosong." in html
    assert reverse("catalogue:checkout") not in html


def test_cart_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(6):
        add(client, factories.product(), 1)
    with django_assert_max_num_queries(6):
        assert client.get(CART).status_code == 200


def test_update_sets_the_quantity(client):
    product = factories.product(stock=9)
    add(client, product, 1)
    response = client.post(reverse("catalogue:cart_update"), {"product": product.pk, "quantity": "7"})
    assert response.status_code == 302
    assert cart_items(client)[str(product.pk)]["q"] == 7


def test_htmx_update_returns_the_cart_partial_and_the_badge(client):
    product = factories.product(price=20000, stock=9)
    add(client, product, 1)
    response = client.post(
        reverse("catalogue:cart_update"), {"product": product.pk, "quantity": "3"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="cart"')
    assert "<html" not in html
    assert "Rp60.000" in html
    assert 'hx-swap-oob="true"' in html and '<span class="cart-badge-count">3<' in html


def test_update_above_stock_is_refused(client):
    product = factories.product(name="Se'i Sapi", stock=4)
    add(client, product, 1)
    response = client.post(reverse("catalogue:cart_update"), {"product": product.pk, "quantity": "5"})
    assert response.status_code == 400
    assert "Stok tidak cukup untuk Se&#x27;i Sapi: tersisa 4, diminta 5." in response.content.decode()


def test_update_of_a_product_not_in_the_cart_is_refused(client):
    product = factories.product()
    response = client.post(reverse("catalogue:cart_update"), {"product": product.pk, "quantity": "1"})
    assert response.status_code == 400
    assert "tidak ada di keranjang" in response.content.decode()
    assert cart_items(client) == {}


def test_remove_takes_the_line_out(client):
    kept, removed = factories.product(), factories.product()
    add(client, kept, 1)
    add(client, removed, 1)
    response = client.post(reverse("catalogue:cart_remove"), {"product": removed.pk})
    assert response.status_code == 302
    assert list(cart_items(client)) == [str(kept.pk)]


def test_remove_works_for_a_product_unpublished_since(client):
    product = factories.product()
    add(client, product, 1)
    product.is_published = False
    product.save()
    client.post(reverse("catalogue:cart_remove"), {"product": product.pk})
    assert cart_items(client) == {}


@pytest.mark.parametrize("product_id", ["abc", "", "-1"])
def test_remove_with_a_bad_id_is_refused(client, product_id):
    product = factories.product()
    add(client, product, 1)
    response = client.post(reverse("catalogue:cart_remove"), {"product": product_id})
    assert response.status_code == 400
    assert list(cart_items(client)) == [str(product.pk)]


# --- the current state wins ------------------------------------------------------------------------


def test_changed_price_is_announced_and_the_new_price_is_used(client):
    product = factories.product(name="Kacang Mete", price=50000)
    add(client, product, 2)
    product.price = 55000
    product.save()
    html = client.get(CART).content.decode()
    assert "Harga Kacang Mete berubah dari Rp50.000 menjadi Rp55.000" in html
    assert "Total: <strong>Rp110.000</strong>" in html


def test_unpublished_product_is_announced_and_left_out_of_the_total(client):
    gone = factories.product(name="Vanili Flores", price=90000)
    kept = factories.product(price=10000)
    add(client, gone, 1)
    add(client, kept, 1)
    gone.is_published = False
    gone.save()
    html = client.get(CART).content.decode()
    assert "Vanili Flores tidak lagi dijual" in html
    assert "Total: <strong>Rp10.000</strong>" in html


def test_stock_lowered_since_adding_lowers_the_quantity_with_a_notice(client):
    product = factories.product(name="Garam Kupang", stock=10)
    add(client, product, 6)
    product.stock = 4
    product.save()
    html = client.get(CART).content.decode()
    assert "Stok tidak cukup untuk Garam Kupang: tersisa 4" in html
    assert cart_items(client)[str(product.pk)]["q"] == 4


def test_deleted_product_disappears_from_the_cart_with_a_notice(client):
    product = factories.product()
    set_session(client, {str(product.pk + 1000): {"q": 1, "p": 100}})
    html = client.get(CART).content.decode()
    assert "sudah tidak ada" in html
    assert cart_items(client) == {}


# --- tampered sessions -----------------------------------------------------------------------------

TAMPERED = [
    "garbage",
    12,
    None,
    [1, 2, 3],
    {"abc": {"q": 1, "p": 1}},
    {"1": "x"},
    {"1": {"q": "2", "p": 1}},
    {"1": {"q": 2.5, "p": 1}},
    {"1": {"q": True, "p": 1}},
    {"1": {"q": -4, "p": 1}},
    {"1": {"q": 10**15, "p": 1}},
    {"1": {"q": 1, "p": "mahal"}},
    {"99999999999999999999999": {"q": 1, "p": 1}},
    {"0": {"q": 1}},
    {"١": {"q": 1, "p": 1}},  # an Arabic-Indic digit: str.isdigit() would accept it
]


@pytest.mark.parametrize("value", TAMPERED, ids=[repr(value)[:30] for value in TAMPERED])
def test_tampered_session_never_breaks_a_page(client, value):
    product = factories.product()
    set_session(client, value)
    for url in ["/", CART, reverse("catalogue:checkout")]:
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
    response = add(client, product, 1)
    assert response.status_code == 302
    assert cart_items(client)[str(product.pk)]["q"] >= 1


def test_clean_keeps_only_well_formed_lines():
    raw = {"7": {"q": 2, "p": 1500}, "8": {"q": 0, "p": 1}, "x": {"q": 1, "p": 1}, "9": {"q": 1, "p": -5}}
    assert _clean(raw) == {"7": {"q": 2, "p": 1500}, "9": {"q": 1, "p": 0}}


def test_cart_holds_a_bounded_number_of_lines():
    session = {SESSION_KEY: {str(n): {"q": 1, "p": 1} for n in range(1, 500)}}
    assert len(Cart(session)) == 50


@pytest.mark.django_db
def test_cart_and_checkout_lines_show_a_thumbnail(client):
    product = factories.product()
    factories.product_image(product)
    add(client, product, 1)
    for url in ("/keranjang/", "/checkout/"):
        html = client.get(url).content.decode()
        assert re.search(r'<img class="thumb" src="/media/thumbs/[^"]+-96x96\.webp"', html), url
