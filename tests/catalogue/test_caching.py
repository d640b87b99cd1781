"""The public pages' fragment cache (catalogue/caching.py): warm pages skip the database, every change
an officer or a checkout makes is visible at once, and nothing personal travels between visitors."""

from __future__ import annotations

import datetime
import re
import socket
import uuid

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue import caching
from catalogue.models import Certificate, Product
from catalogue.orders.statuses import cancel_part
from tests import factories
from tests.catalogue import backoffice

from ._shop import add, buy

pytestmark = pytest.mark.django_db

TOKEN_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">')
HX = {"HX-Request": "true"}


def place(regency_code: str, regency_name: str, village_name: str):
    factories.regency(regency_code, regency_name)
    district = factories.district(
        f"{regency_code}.01", f"Kecamatan {village_name}", regency_code=regency_code
    )
    return factories.village(f"{district.code}.2001", village_name)


@pytest.fixture
def shop():
    """Two products of one producer in Beiposo (Ngada), one with a photo, and a satellite village."""
    village = place("53.09", "Kabupaten Ngada", "Beiposo")
    village.is_ovop_locus = True
    village.commodity = "Kopi arabika"
    village.save()
    producer = factories.producer("Kelompok Tani Beiposo", village_=village)
    kopi = factories.product("Kopi Arabika Bajawa", producer_=producer, price=85000, stock=5)
    factories.product_image(kopi)
    gula = factories.product("Gula Aren Beiposo", producer_=producer, price=30000, stock=1, is_featured=True)
    return {"village": village, "producer": producer, "kopi": kopi, "gula": gula}


def public_pages(shop) -> dict[str, str]:
    return {
        "home": "/",
        "catalogue": "/produk/",
        "filtered catalogue": "/produk/?kategori=kopi&urut=harga-naik",
        "search": "/produk/?q=beiposo",
        "product": shop["kopi"].get_absolute_url(),
        "producer": shop["producer"].get_absolute_url(),
        "regency": "/kabupaten/kabupaten-ngada/",
        "village": shop["village"].get_absolute_url(),
        "english product": "/en" + shop["kopi"].get_absolute_url(),
    }


def impersonal(html: str) -> str:
    """The page without what differs on every request by design: CSRF tokens and CSP nonces."""
    html = TOKEN_INPUT.sub('<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">', html)
    html = re.sub(r'"X-CSRFToken": "[A-Za-z0-9]{64}"', '"X-CSRFToken": "TOKEN"', html)
    html = re.sub(r'Nonce": "[^"]+"', 'Nonce": "NONCE"', html)  # htmx's config
    return re.sub(r'nonce="[^"]+"', 'nonce="NONCE"', html)


def card(html: str, product: Product) -> str:
    """The catalogue card of one product."""
    start = html.index(f'href="{product.get_absolute_url()}"')
    return html[start : html.index("</li>", start)]


def cart_form_tokens(html: str) -> list[str]:
    """The CSRF tokens of the add-to-cart forms (not the language switch's, outside every fragment)."""
    forms = re.findall(r'<form class="add-to-cart".*?</form>', html, flags=re.S)
    return [match for form in forms for match in TOKEN_INPUT.findall(form)]


def queries_for(client: Client, url: str, **headers) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


# --- a warm cache skips the database and serves the same page ---------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "catalogue",
        "filtered catalogue",
        "search",
        "product",
        "producer",
        "regency",
        "village",
        "english product",
    ],
)
def test_a_warm_page_runs_no_query_for_a_visitor_without_a_session_and_is_the_same_page(shop, page):
    url = public_pages(shop)[page]
    cold_queries, cold = queries_for(Client(), url)
    warm_queries, warm = queries_for(Client(), url)
    assert cold_queries >= 2
    assert warm_queries == 0
    assert impersonal(warm) == impersonal(cold)


def test_a_warm_catalogue_costs_a_shopper_with_a_cart_only_the_session(
    shop, client, django_assert_max_num_queries, django_assert_num_queries
):
    add(client, shop["gula"])
    with django_assert_max_num_queries(6):  # the cold budget of tests/catalogue/test_browse.py
        assert client.get("/produk/").status_code == 200
    with django_assert_num_queries(1):  # the session, for the cart badge
        html = client.get("/produk/").content.decode()
    assert '<span class="cart-badge-count">1<' in html


def test_the_htmx_results_of_a_warm_catalogue_run_no_query_and_push_the_clean_address(shop):
    url = "/produk/?q=&kategori=kopi&kabupaten=&sertifikat=&urut=terbaru"
    cold_queries, cold = queries_for(Client(), url, **HX)
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url, headers=HX)
    assert len(captured) == 0 < cold_queries
    assert response["HX-Push-Url"] == "/produk/?kategori=kopi"
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="hasil"') and "<title>Kopi · Produk desa NTT" in html
    assert impersonal(html) == impersonal(cold)
    assert len(cart_form_tokens(html)) == html.count('<form class="add-to-cart"') == 2
    assert len(TOKEN_INPUT.findall(html)) == 3  # and the language switch's


def test_tracking_parameters_share_the_cache_and_are_never_copied_into_the_page(shop):
    queries_for(Client(), "/produk/?kategori=kopi")
    queries, html = queries_for(Client(), "/produk/?fbclid=IwAR0abc123&kategori=kopi&utm_source=wa")
    assert queries == 0
    assert "IwAR0abc123" not in html.split('id="ganti-bahasa"')[0]  # only the language switch keeps it
    assert 'name="next" value="/produk/?kategori=kopi"' in html


def test_the_full_page_and_the_htmx_results_may_come_in_any_order(shop):
    url = "/produk/?kategori=kopi"
    queries_for(Client(), url, **HX)
    queries, html = queries_for(Client(), url)
    assert queries == 2  # only the filter form's categories and regencies: the results are cached
    assert queries_for(Client(), url)[0] == 0
    assert html.count('<section id="hasil"') == 1 and "<title>Kopi · Produk desa NTT" in html
    assert '<form class="filters"' in html


# --- what officers and checkouts change is seen at once ---------------------------------------------


def test_saving_a_product_shows_the_change_on_every_page_at_once(shop):
    kopi = shop["kopi"]
    pages = public_pages(shop)
    for url in pages.values():
        queries_for(Client(), url)
    kopi.name, kopi.price = "Kopi Arabika Flores Bajawa", 90000
    kopi.save()
    for page in ["catalogue", "product", "producer", "regency", "village", "search"]:
        html = Client().get(pages[page]).content.decode()
        assert "Kopi Arabika Flores Bajawa" in html, page
        assert "Rp90.000" in html and "Rp85.000" not in html, page


def test_an_unpublished_product_leaves_the_pages_and_its_own_page_is_404(shop):
    kopi = shop["kopi"]
    for url in ["/produk/", kopi.get_absolute_url()]:
        queries_for(Client(), url)
    kopi.is_published = False
    kopi.save()
    assert "Kopi Arabika Bajawa" not in Client().get("/produk/").content.decode()
    assert Client().get(kopi.get_absolute_url()).status_code == 404


def test_an_officer_editing_a_product_in_the_admin_changes_what_shoppers_see(shop):
    kopi = shop["kopi"]
    assert "Rp85.000" in card(Client().get("/produk/").content.decode(), kopi)
    officer = Client()
    officer.force_login(backoffice.staff(superuser=True))
    address = reverse("admin:catalogue_product_change", args=[kopi.pk])
    data = backoffice.form_data(officer.get(address).content.decode(), "product_form")
    data["price"] = "99000"
    response = officer.post(address, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert "Rp99.000" in card(Client().get("/produk/").content.decode(), kopi)
    assert "Rp99.000" in Client().get(kopi.get_absolute_url()).content.decode()


def test_verifying_a_certificate_in_the_admin_shows_its_badge(shop):
    kopi = shop["kopi"]
    certificate = backoffice.certificate(kopi, verified=False)
    url = kopi.get_absolute_url()
    assert "certificate-badge" not in Client().get(url).content.decode()
    assert "certificate-badge" not in Client().get("/produk/?sertifikat=bpom").content.decode()
    officer = Client()
    officer.force_login(backoffice.staff(superuser=True))
    response = officer.post(
        reverse("admin:catalogue_certificate_changelist"),
        {"action": "mark_verified", ACTION_CHECKBOX_NAME: [certificate.pk]},
    )
    assert response.status_code == 302
    html = Client().get(url).content.decode()
    assert "certificate-badge" in html and "BPOM RI MD 224510107115" in html
    assert "Kopi Arabika Bajawa" in Client().get("/produk/?sertifikat=bpom").content.decode()

    officer.post(
        reverse("admin:catalogue_certificate_changelist"),
        {"action": "clear_verification", ACTION_CHECKBOX_NAME: [certificate.pk]},
    )
    assert "certificate-badge" not in Client().get(url).content.decode()


def test_a_certificate_saved_or_deleted_changes_the_badges(shop):
    kopi = shop["kopi"]
    url = kopi.get_absolute_url()
    assert "certificate-badge" not in Client().get(url).content.decode()
    certificate = backoffice.certificate(kopi, verified=True)
    assert "BPOM RI MD 224510107115" in Client().get(url).content.decode()
    Certificate.objects.filter(pk=certificate.pk).delete()
    assert "certificate-badge" not in Client().get(url).content.decode()


def test_a_certificate_past_its_last_day_disappears_at_midnight_without_any_edit(shop, monkeypatch):
    kopi = shop["kopi"]
    today = timezone.localdate()
    backoffice.certificate(kopi, "halal", "ID53110000123450224", expires_on=today, verified=True)
    url = kopi.get_absolute_url()
    assert "ID53110000123450224" in Client().get(url).content.decode()
    assert "ID53110000123450224" in Client().get(url).content.decode()  # from the cache
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    assert "ID53110000123450224" not in Client().get(url).content.decode()


def test_a_checkout_taking_the_last_unit_shows_sold_out_and_a_cancelled_part_brings_it_back(shop):
    gula = shop["gula"]  # stock 1
    for url in ["/", "/produk/", gula.get_absolute_url()]:
        queries_for(Client(), url)
    assert "Tambah ke keranjang" in card(Client().get("/produk/").content.decode(), gula)

    order = buy(Client(), gula)
    gula.refresh_from_db()
    assert gula.stock == 0
    assert "Stok habis" in card(Client().get("/produk/").content.decode(), gula)
    assert "Stok habis" in card(Client().get("/").content.decode(), gula)
    product_page = Client().get(gula.get_absolute_url()).content.decode()
    assert "Stok habis" in product_page and '"availability":"https://schema.org/OutOfStock"' in product_page

    assert cancel_part(order.parts.get(), by="test")
    html = Client().get("/produk/").content.decode()
    assert "Stok habis" not in card(html, gula) and "Tambah ke keranjang" in card(html, gula)
    assert "Stok tersedia: 1" in Client().get(gula.get_absolute_url()).content.decode()


def test_village_mapping_satellites_and_new_villages_show_on_the_region_pages(shop):
    village = shop["village"]
    regency_url = "/kabupaten/kabupaten-ngada/"
    for url in [regency_url, village.get_absolute_url()]:
        queries_for(Client(), url)
    satellite = factories.village(f"{village.district.code}.2002", "Turekisa")
    assert "Turekisa" in Client().get(regency_url).content.decode()
    village.satellite_villages.add(satellite)
    assert 'href="/desa/53.09.01.2002/">Turekisa' in Client().get(village.get_absolute_url()).content.decode()
    village.commodity = "Kopi arabika dan vanili"
    village.save()
    assert "Kopi arabika dan vanili" in Client().get(village.get_absolute_url()).content.decode()


def test_a_village_import_shows_the_new_mapping(shop):
    from villages import importing

    village = shop["village"]
    assert "Kopi arabika" in Client().get(village.get_absolute_url()).content.decode()
    header = ",".join(importing.MAPPING_COLUMNS)
    row = f"{village.code},Vanili,ya,,4,14/03/2025,Yohanes Nope,,,"
    report = importing.import_file(f"{header}\n{row}\n".encode())
    assert report.ok, [str(problem) for problem in report.problems]
    html = Client().get(village.get_absolute_url()).content.decode()
    assert "Vanili" in html and "Kopi arabika" not in html


# --- nothing personal travels between visitors -------------------------------------------------------


def test_two_visitors_of_a_cached_page_get_their_own_csrf_token_and_both_can_add_to_cart(shop):
    url = shop["kopi"].get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(url)
    with CaptureQueriesContext(connection) as captured:
        second_page = second.get(url)
    assert len(captured) == 0  # the second page came from the cache
    first_token = cart_form_tokens(first_page.content.decode())[0]
    second_token = cart_form_tokens(second_page.content.decode())[0]
    assert first_token != second_token
    assert "csrftoken" in first_page.cookies and "csrftoken" in second_page.cookies
    assert first_page.cookies["csrftoken"].value != second_page.cookies["csrftoken"].value

    form = {"product": shop["kopi"].pk, "quantity": 1, "next": url}
    # Each token matches only its own visitor's cookie.
    assert first.post("/keranjang/tambah/", {**form, "csrfmiddlewaretoken": second_token}).status_code == 403
    assert first.post("/keranjang/tambah/", {**form, "csrfmiddlewaretoken": first_token}).status_code == 302
    assert second.post("/keranjang/tambah/", {**form, "csrfmiddlewaretoken": second_token}).status_code == 302


def test_every_form_of_a_cached_catalogue_carries_the_visitors_token(shop):
    client = Client(enforce_csrf_checks=True)
    Client().get("/produk/")
    html = client.get("/produk/").content.decode()
    assert caching.CSRF_SLOT not in html
    tokens = cart_form_tokens(html)
    assert len(tokens) == html.count('<form class="add-to-cart"') == 2
    assert len(TOKEN_INPUT.findall(html)) == html.count("<form") - 1  # all but the filters' GET form
    response = client.post(
        "/keranjang/tambah/",
        {"product": shop["kopi"].pk, "quantity": 1, "csrfmiddlewaretoken": tokens[0]},
        headers=HX,
    )
    assert response.status_code == 200 and "masuk ke keranjang" in response.content.decode()


def test_one_visitors_cart_and_messages_never_appear_in_another_visitors_page(shop):
    url = shop["kopi"].get_absolute_url()
    shopper, other = Client(), Client()
    other.get(url)  # warms the cache first
    response = shopper.post("/keranjang/tambah/", {"product": shop["kopi"].pk, "quantity": 2, "next": url})
    assert response["Location"] == url
    mine = shopper.get(url).content.decode()
    assert "Kopi Arabika Bajawa masuk ke keranjang." in mine
    assert '<span class="cart-badge-count">2<' in mine
    theirs = other.get(url).content.decode()
    assert "masuk ke keranjang" not in theirs
    assert '<span class="cart-badge-count">0<' in theirs
    for page in ["/", "/produk/", "/kabupaten/kabupaten-ngada/"]:
        assert '<span class="cart-badge-count">2<' in shopper.get(page).content.decode()
        assert '<span class="cart-badge-count">0<' in other.get(page).content.decode()


def test_cart_checkout_and_order_pages_are_never_cached(shop):
    shopper = Client()
    add(shopper, shop["kopi"])
    for url in ["/keranjang/", "/checkout/"]:
        assert "no-store" in shopper.get(url)["Cache-Control"], url
    order = buy(shopper, shop["gula"])
    response = shopper.get(reverse("catalogue:order", kwargs={"token": order.access_token}))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    stored = b"".join(cache._cache.values())  # nothing of the buyer or the order in the shared cache
    assert b"Maria Ndapa" not in stored and order.access_token.encode() not in stored


# --- switched off, and without a cache ----------------------------------------------------------------


def test_zero_seconds_turns_the_fragment_cache_off(shop, settings):
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0
    first, _html = queries_for(Client(), "/produk/")
    second, _html = queries_for(Client(), "/produk/")
    assert first == second > 0
    Product.objects.filter(pk=shop["kopi"].pk).update(price=77000)  # no signal, no bump
    assert "Rp77.000" in Client().get("/produk/").content.decode()


def test_a_write_that_bypasses_signals_and_does_not_bump_is_not_seen_while_cached(shop):
    """The counterpart of the above: proof that pages really come from the cache."""
    Client().get("/produk/")
    Product.objects.filter(pk=shop["kopi"].pk).update(price=77000)
    assert "Rp77.000" not in Client().get("/produk/").content.decode()
    caching.bump()
    assert "Rp77.000" in Client().get("/produk/").content.decode()


@pytest.fixture
def cache_down(settings):
    """Redis at a closed port, through the production backend (ovop/cache.py)."""
    from ovop import cache as tolerant

    location = "redis://127.0.0.1:1/0"
    tolerant._circuits.pop(location, None)
    settings.CACHES = {
        "default": {
            "BACKEND": "ovop.cache.TolerantRedisCache",
            "LOCATION": location,
            "OPTIONS": {"retry_after": 0},
        }
    }
    yield
    tolerant._circuits.pop(location, None)


def test_with_the_cache_down_pages_are_served_from_the_database_and_stay_correct(shop, cache_down):
    assert caching.current_version() != caching.current_version()  # never shared, never stale
    caching.bump()  # does not raise
    for url in public_pages(shop).values():
        assert Client().get(url).status_code == 200, url
    html = Client().get("/produk/").content.decode()
    assert "Kopi Arabika Bajawa" in html and "Rp85.000" in html
    Product.objects.filter(pk=shop["kopi"].pk).update(price=77000)
    assert "Rp77.000" in Client().get("/produk/").content.decode()
    client = Client(enforce_csrf_checks=True)
    token = cart_form_tokens(client.get(shop["kopi"].get_absolute_url()).content.decode())[0]
    response = client.post(
        "/keranjang/tambah/", {"product": shop["kopi"].pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_lost_version_counter_starts_from_a_number_never_used_before(shop):
    Client().get("/produk/")
    before = caching.current_version()
    cache.delete(caching.VERSION_KEY)  # evicted, or Redis restarted without its data
    Product.objects.filter(pk=shop["kopi"].pk).update(price=77000)
    assert caching.current_version() > before
    assert "Rp77.000" in Client().get("/produk/").content.decode()


def test_bump_creates_a_missing_counter():
    cache.delete(caching.VERSION_KEY)
    caching.bump()
    first = caching.current_version()
    caching.bump()
    assert caching.current_version() == first + 1


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_warm_pages_come_from_redis(shop, settings):
    from ovop import cache as tolerant

    prefix = f"ovop-test-caching-{uuid.uuid4().hex[:8]}"
    location = "redis://127.0.0.1:6379/7"
    tolerant._circuits.pop(location, None)
    settings.CACHES = {
        "default": {"BACKEND": "ovop.cache.TolerantRedisCache", "LOCATION": location, "KEY_PREFIX": prefix}
    }
    try:
        for url in public_pages(shop).values():
            cold_queries, cold = queries_for(Client(), url)
            warm_queries, warm = queries_for(Client(), url)
            assert warm_queries == 0 < cold_queries, url
            assert impersonal(warm) == impersonal(cold), url
        shop["kopi"].price = 91000
        shop["kopi"].save()
        assert "Rp91.000" in Client().get("/produk/").content.decode()
    finally:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


# --- configuration ---------------------------------------------------------------------------------


def test_the_csrf_slot_middleware_must_follow_the_csrf_middleware(settings):
    assert caching.check_csrf_slot_middleware() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != caching.SLOT_MIDDLEWARE]
    assert [error.id for error in caching.check_csrf_slot_middleware()] == ["catalogue.E001"]
    settings.MIDDLEWARE = [caching.SLOT_MIDDLEWARE, *settings.MIDDLEWARE]
    assert [error.id for error in caching.check_csrf_slot_middleware()] == ["catalogue.E001"]
