"""The public pages' fragment cache (catalogue/caching.py): warm pages skip the database, every change
an officer or a checkout makes is visible at once, and nothing personal travels between visitors."""

from __future__ import annotations

import datetime
import re
import socket
import uuid
from unittest import mock

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.sessions.models import Session
from django.core import checks
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue import caching
from catalogue.filters import CatalogueFilter
from catalogue.middleware import SLOT_MIDDLEWARE, check_csrf_slot_middleware
from catalogue.models import Certificate, Product, Stage, StageKind, StageStatus
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


def test_browsing_without_a_cart_creates_and_saves_no_session(shop, settings):
    """A session costs a database write and read per visitor; a shopper gets one with the cart."""
    client = Client()
    for url in public_pages(shop).values():
        response = client.get(url)
        assert settings.SESSION_COOKIE_NAME not in response.cookies, url
    assert not Session.objects.exists()


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


def cache_reads(client: Client, url: str) -> tuple[list[str], str]:
    """The cache reads of one request, in order: each is a round trip to Redis (get_many is one MGET)."""
    backend = type(caches["default"])
    reads: list[str] = []
    real_get, real_get_many = backend.get, backend.get_many

    def get(self, key, *args, **kwargs):
        if not reads or reads[-1] != "get_many":  # the local-memory get_many calls get for each key
            reads.append("get")
        return real_get(self, key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        reads.append("get_many")
        found = real_get_many(self, keys, *args, **kwargs)
        reads.append("get_many done")
        return found

    with mock.patch.object(backend, "get", get), mock.patch.object(backend, "get_many", get_many):
        html = client.get(url).content.decode()
    return reads, html


def test_a_warm_product_page_is_one_cache_read_for_a_visitor_without_a_session(shop):
    """The version and the whole page come in one MGET (catalogue/pagecache.py)."""
    url = shop["kopi"].get_absolute_url()
    Client().get(url)
    reads, html = cache_reads(Client(), url)
    assert "Kopi Arabika Bajawa" in html
    assert reads == ["get_many", "get_many done"]


def test_a_warm_product_page_reads_the_cache_twice_for_a_shopper_with_a_cart(shop, client):
    """A shopper's page has their own badge, so it is assembled: the version with the head data in
    one read, the body's fragment in the other."""
    url = shop["kopi"].get_absolute_url()
    add(client, shop["gula"])
    client.get(url)
    reads, html = cache_reads(client, url)
    assert "Kopi Arabika Bajawa" in html and '<span class="cart-badge-count">1<' in html
    assert reads == ["get_many", "get_many done", "get"]


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


def officer_saves(obj, **changes) -> None:
    """A superuser opens the object's admin change form, changes these fields and saves it."""
    officer = Client()
    officer.force_login(backoffice.staff(superuser=True))
    meta = obj._meta
    address = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    data = backoffice.form_data(officer.get(address).content.decode(), f"{meta.model_name}_form")
    data.update(changes)
    response = officer.post(address, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors


def test_an_officer_editing_a_product_in_the_admin_changes_what_shoppers_see(shop):
    kopi = shop["kopi"]
    assert "Rp85.000" in card(Client().get("/produk/").content.decode(), kopi)
    officer_saves(kopi, price="99000")
    assert "Rp99.000" in card(Client().get("/produk/").content.decode(), kopi)
    assert "Rp99.000" in Client().get(kopi.get_absolute_url()).content.decode()


def test_a_category_description_is_cached_per_language_and_an_officers_edit_shows_at_once(shop):
    category = shop["kopi"].category
    category.description, category.description_en = "Kopi dari Ngada.", "Coffee from Ngada."
    category.save()
    pages = {"id": "/produk/?kategori=kopi", "en": "/en/produk/?kategori=kopi"}
    for url in pages.values():
        queries_for(Client(), url)
    # Warm, each language keeps its own page: the fragment's key holds the language.
    assert queries_for(Client(), pages["id"]) == (0, mock.ANY)
    assert "Kopi dari Ngada." in Client().get(pages["id"]).content.decode()
    assert "Coffee from Ngada." in Client().get(pages["en"]).content.decode()
    officer_saves(category, description_en="Arabica from the slopes of Mount Inerie.")
    english = Client().get(pages["en"]).content.decode()
    assert "Arabica from the slopes of Mount Inerie." in english and "Coffee from Ngada." not in english
    assert "Kopi dari Ngada." in Client().get(pages["id"]).content.decode()


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


# --- every model a public page shows invalidates on save and delete, whoever writes -----------------


def _rename(instance, field: str, value: str) -> str:
    setattr(instance, field, value)
    instance.save()
    return value


def _image_alt(shop) -> str:
    image = shop["kopi"].images.get()
    return _rename(image, "alt_text", "Biji kopi sangrai di tampah")


def _new_certificate(shop) -> str:
    backoffice.certificate(shop["kopi"], verified=True)
    return "BPOM RI MD 224510107115"


def _new_village(shop) -> str:
    return factories.village(f"{shop['village'].district.code}.2002", "Turekisa").name


#: What a visitor sees change: (the page, a change through the ORM, the text that must appear).
SAVED = {
    "product": ("product", lambda shop: _rename(shop["kopi"], "name", "Kopi Arabika Flores")),
    "product image": ("product", _image_alt),
    "certificate": ("product", _new_certificate),
    "producer": ("product", lambda shop: _rename(shop["producer"], "name", "Koperasi Beiposo Jaya")),
    "category": ("product", lambda shop: _rename(shop["kopi"].category, "name", "Kopi Bubuk")),
    "village": ("village", lambda shop: _rename(shop["village"], "commodity", "Vanili Ngada")),
    "new village": ("regency", _new_village),
    "district": ("regency", lambda shop: _rename(shop["village"].district, "name", "Golewa Selatan")),
    "regency": (
        "home",
        lambda shop: _rename(shop["village"].district.regency, "name", "Kabupaten Ngada Raya"),
    ),
    "province": (
        "regency",
        lambda shop: _rename(shop["village"].district.regency.province, "name", "Prov. NTT"),
    ),
}


@pytest.mark.parametrize("model", SAVED)
def test_a_model_saved_through_the_orm_shows_on_the_cached_page_at_once(shop, model):
    page, change = SAVED[model]
    url = public_pages(shop)[page]
    queries_for(Client(), url)
    text = change(shop)
    assert queries_for(Client(), url)[0] > 0  # rendered again, not served from the cache
    assert text in Client().get(url).content.decode()


def _delete_product(shop) -> str:
    shop["gula"].delete()
    return "Gula Aren Beiposo"


def _delete_image(shop) -> str:
    shop["kopi"].images.get().delete()
    return "/media/"


def _delete_certificate(shop) -> str:
    Certificate.objects.filter(product=shop["kopi"]).delete()  # a QuerySet delete: one signal a row
    return "BPOM RI MD 224510107115"


def _delete_category(shop) -> str:
    factories.category("Rempah").delete()
    return "Rempah"


def _delete_village(shop) -> str:
    factories.village(f"{shop['village'].district.code}.2002", "Turekisa").delete()
    return "Turekisa"


def _delete_regency(shop) -> str:
    factories.regency("53.21", "Kabupaten Malaka").delete()
    return "Kabupaten Malaka"


#: (the page, a deletion through the ORM, returning the text that must leave the page).
DELETED = {
    "product": ("catalogue", _delete_product),
    "product image": ("product", _delete_image),
    "certificate": ("product", _delete_certificate),
    "category": ("home", _delete_category),
    "village": ("regency", _delete_village),
    "regency": ("home", _delete_regency),
}
#: What is on the page before it is deleted (the `shop` fixture has the rest).
BEFORE_DELETING = {
    "certificate": lambda shop: backoffice.certificate(shop["kopi"], verified=True),
    "category": lambda shop: factories.category("Rempah"),
    "village": lambda shop: factories.village(f"{shop['village'].district.code}.2002", "Turekisa"),
    "regency": lambda shop: factories.regency("53.21", "Kabupaten Malaka"),
}


@pytest.mark.parametrize("model", DELETED)
def test_a_model_deleted_through_the_orm_leaves_the_cached_page_at_once(shop, model):
    page, delete = DELETED[model]
    if model in BEFORE_DELETING:
        BEFORE_DELETING[model](shop)
    url = public_pages(shop)[page]
    before = Client().get(url).content.decode()
    text = delete(shop)
    assert text in before
    assert text not in Client().get(url).content.decode()


def _stage(shop) -> Stage:
    return Stage.objects.get(product=shop["kopi"], kind=StageKind.PERMIT)


#: Each model the public pages show, written in every way that sends no page-visible text above:
#: the version moves, so every cached fragment is left behind.
WRITES = {
    "stage change": lambda shop: _stage(shop).change_status(to=StageStatus.DONE, by=None),
    "stage save": lambda shop: _rename(_stage(shop), "note", "Berkas diajukan"),
    "stages with their product": lambda shop: shop["gula"].delete(),
    "bulk stock update": lambda shop: Product.objects.filter(pk=shop["kopi"].pk).update(stock=9),
    "certificate verification": lambda shop: Certificate.objects.filter(
        pk=backoffice.certificate(shop["kopi"], verified=False).pk
    ).mark_verified(by=None),
    "producer deleted": lambda shop: factories.producer(
        "UMKM Tanpa Produk", village_=shop["village"]
    ).delete(),
    "district deleted": lambda shop: factories.district(
        "53.09.09", "Riung Barat", regency_code="53.09"
    ).delete(),
    "satellite added": lambda shop: shop["village"].satellite_villages.add(
        factories.village(f"{shop['village'].district.code}.2002", "Turekisa")
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_to_what_public_pages_show_moves_the_version(shop, write):
    before = caching.current_version()
    WRITES[write](shop)
    assert caching.current_version() > before


def test_the_public_models_querysets_bump_on_their_bulk_writes():
    from catalogue.signals import SHOWN_ON_PUBLIC_PAGES

    own = [model for model in SHOWN_ON_PUBLIC_PAGES if model._meta.app_label == "catalogue"]
    assert {model.__name__ for model in own} >= {"Product", "ProductImage", "Certificate", "Stage"}
    for model in own:
        assert isinstance(model.objects.all(), caching.PublicQuerySet), model


def test_writes_inside_a_transaction_bump_again_once_at_commit(shop):
    """Each write bumps at once, and one more bump waits for the commit (the test's transaction)."""
    before = caching.current_version()
    for stock in (3, 2, 1):
        Product.objects.filter(pk=shop["kopi"].pk).update(stock=stock)
    shop["gula"].save()
    assert caching.current_version() == before + 4
    waiting = [callback for _savepoints, callback, _robust in connection.run_on_commit]
    assert waiting.count(caching.bump) == 1


def test_an_officer_moving_a_stage_in_the_admin_moves_the_version(shop):
    stage = _stage(shop)
    before = caching.current_version()
    officer_saves(stage, status=StageStatus.DONE, change_note="Izin edar terbit")
    assert caching.current_version() > before
    stage.refresh_from_db()
    assert stage.status == StageStatus.DONE
    assert stage.changes.get().note == "Izin edar terbit"


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


def test_a_write_behind_the_models_back_is_not_seen_while_cached(shop):
    """The counterpart of the above: proof that pages really come from the cache."""
    Client().get("/produk/")
    with connection.cursor() as cursor:  # raw SQL: no model, no QuerySet, no bump
        cursor.execute("UPDATE catalogue_product SET price = 77000 WHERE id = %s", [shop["kopi"].pk])
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
    assert check_csrf_slot_middleware() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != SLOT_MIDDLEWARE]
    assert [error.id for error in check_csrf_slot_middleware()] == ["catalogue.E001"]
    settings.MIDDLEWARE = [SLOT_MIDDLEWARE, *settings.MIDDLEWARE]
    assert [error.id for error in check_csrf_slot_middleware()] == ["catalogue.E001"]


def test_the_check_runs_with_manage_py_check(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != SLOT_MIDDLEWARE]
    assert "catalogue.E001" in {message.id for message in checks.run_checks(tags=[checks.Tags.security])}


def test_the_cache_keys_read_every_parameter_of_the_catalogue_filter():
    """A filter the keys ignored would serve one filter's results for another's."""
    assert set(caching.PAGE_PARAMETERS) == {*CatalogueFilter.base_fields, "page"}
