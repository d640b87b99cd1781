"""The storefront on a 360×740 phone: a two-column grid of compact cards, filters folded behind
"Filter" with removable chips, search that forgives, the add-to-cart toast, over-stock messages in
the form, the About chart, and the order page's QR codes and cash wording."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Product

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(make_page):
    page = make_page(viewport=SMALL_PHONE)
    page.set_default_timeout(30_000)  # a first visit makes the thumbnails; the machine may be busy
    return page


def boxes(page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(
        "els => els.map(el => { const r = el.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })"
    )


def test_two_compact_cards_a_row_and_the_first_image_in_the_first_screen(
    phone, problems, live_server, demo_data
):
    phone.goto(f"{live_server.url}/produk/", wait_until="networkidle")
    cards = boxes(phone, "#hasil .card")
    assert len(cards) == 24
    assert cards[0]["y"] == cards[1]["y"] and cards[1]["x"] > cards[0]["x"]  # two a row
    assert cards[2]["y"] > cards[0]["y"]
    assert all(card["height"] <= 300 for card in cards), max(card["height"] for card in cards)
    first_image = phone.locator("#hasil .card img").first
    box = first_image.bounding_box()
    assert box["y"] + box["height"] <= SMALL_PHONE["height"]  # wholly in the first screen
    assert first_image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert (
        phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    )  # no sideways scroll
    problems.assert_none()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_category_says_what_it_holds_and_its_first_image_stays_in_the_first_screen(
    phone, problems, live_server, demo_data, prefix
):
    # Tenun ikat has the longest demo description, in both languages.
    phone.goto(f"{live_server.url}{prefix}/produk/?kategori=tenun-ikat", wait_until="networkidle")
    expect(phone.locator("#hasil .category-description")).to_contain_text("Timor")
    first_image = phone.locator("#hasil .card img").first
    box = first_image.bounding_box()
    assert box["y"] + box["height"] <= SMALL_PHONE["height"]  # the text does not push the goods away
    problems.assert_none()


def test_wider_screens_get_more_cards_a_row(make_page, problems, live_server, demo_data):
    page = make_page(viewport={"width": 1024, "height": 800})
    page.goto(f"{live_server.url}/produk/")
    tops = [box["y"] for box in boxes(page, "#hasil .card")[:4]]
    assert len(set(tops)) == 1  # four in the first row
    problems.assert_none()


@pytest.mark.parametrize("path", ["home", "regency", "village", "producer"])
def test_the_same_two_column_grid_on_the_other_pages(phone, problems, live_server, demo_data, path):
    product = Product.objects.select_related("producer__village__district__regency").get(
        slug="kopi-arabika-bajawa-beiwali"
    )
    url = {
        "home": "/",
        "regency": product.regency.get_absolute_url(),
        "village": product.village.get_absolute_url(),
        "producer": product.producer.get_absolute_url(),
    }[path]
    phone.goto(live_server.url + url)
    cards = boxes(phone, "main .grid .card")
    assert cards
    assert cards[0]["width"] < SMALL_PHONE["width"] / 2
    assert all(card["height"] <= 300 for card in cards)
    problems.assert_none()


def test_filters_fold_behind_filter_and_active_ones_are_chips_that_remove_them(
    phone, problems, live_server, demo_data
):
    phone.goto(f"{live_server.url}/produk/")
    regency = phone.get_by_label("Kabupaten/kota")
    assert not regency.is_visible()  # folded away: the products come first
    phone.locator("details.filter-panel > summary").click()
    regency.select_option("kabupaten-kupang")
    phone.wait_for_url("**/produk/?kabupaten=kabupaten-kupang")
    chip = phone.locator(".filter-chips a", has_text="Kabupaten Kupang")
    chip.wait_for()
    phone.wait_for_function("document.querySelectorAll('#hasil .card').length === 2")
    chip.click()
    phone.wait_for_url(f"{live_server.url}/produk/")
    phone.wait_for_function("document.querySelectorAll('#hasil .card').length === 24")
    assert phone.locator(".filter-chips").count() == 0
    assert regency.input_value() == ""
    problems.assert_none()


def test_filter_chips_work_without_javascript(make_page, problems, live_server, demo_data):
    page = make_page(javascript=False, viewport=SMALL_PHONE)
    page.goto(f"{live_server.url}/produk/?kategori=madu&q=madu")
    assert page.locator(".filter-chips li").count() == 2
    page.locator(".filter-chips a", has_text="Madu").last.click()
    page.wait_for_url(f"{live_server.url}/produk/?q=madu")
    assert page.locator(".filter-chips li").count() == 1
    problems.assert_none()


def test_add_to_cart_confirms_with_a_toast_in_view_linking_to_the_cart(
    phone, problems, live_server, demo_data
):
    phone.goto(f"{live_server.url}/produk/")
    card = phone.locator("#hasil .card").nth(5)
    card.scroll_into_view_if_needed()
    name = card.locator(".card-title").inner_text()
    card.get_by_role("button", name="Tambah ke keranjang").click()
    toast = phone.locator("#toast .toast")
    toast.wait_for()
    assert f"{name} masuk ke keranjang." in toast.inner_text()
    assert phone.locator("#toast").get_attribute("aria-live") == "polite"
    box = toast.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= SMALL_PHONE["height"]  # in view, not below the fold
    expect(phone.locator("#cart-badge .cart-badge-count")).to_have_text(re.compile(r"^1\b"))
    toast.get_by_role("link", name="Lihat keranjang").click()
    phone.wait_for_url("**/keranjang/")
    problems.assert_none()


@pytest.mark.parametrize("debug", [False, True])
def test_an_over_stock_add_shows_its_message_in_the_form_never_a_page_swap(
    phone, problems, live_server, demo_data, settings, debug
):
    settings.DEBUG = debug  # with DEBUG, django-htmx's debug script is on the page
    product = Product.objects.get(slug="kopi-arabika-bajawa-beiwali")
    product.stock = 3  # under the per-order cap (10), so it is the stock that refuses the next one
    product.save()
    phone.goto(live_server.url + product.get_absolute_url())
    if debug:
        assert phone.locator('script[src*="django-htmx"]').count() == 1
    phone.evaluate("window.__sameDocument = true")
    form = phone.locator("main form.add-to-cart").first
    form.get_by_label("Jumlah").fill(str(product.stock))  # all of it: fine
    form.get_by_role("button", name="Tambah ke keranjang").click()
    phone.locator("#toast .toast").wait_for()
    form.get_by_label("Jumlah").fill("1")  # one more than the stock
    form.get_by_role("button", name="Tambah ke keranjang").click()
    error = form.locator(".cart-error")
    error.wait_for()
    assert "stok" in error.inner_text().lower()
    assert phone.evaluate("window.__sameDocument === true")  # the page was not replaced
    assert phone.locator("h1").inner_text() == product.name
    # the refused add is an expected 400 answer: the only failed request allowed
    problems.failed_requests = [line for line in problems.failed_requests if "/keranjang/tambah/" not in line]
    problems.console_errors = [text for text in problems.console_errors if "status of 400" not in text]
    problems.assert_none()


def test_the_about_chart_is_readable_at_360_px(phone, problems, live_server, demo_data):
    phone.goto(f"{live_server.url}/tentang/")
    chart = phone.locator("svg.chart").first
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SMALL_PHONE["width"]  # not cut off
    label_heights = chart.locator(".chart-label").evaluate_all(
        "els => els.map(el => el.getBoundingClientRect().height)"
    )
    assert min(label_heights) >= 11  # text drawn at a readable size, not shrunk to fit
    problems.assert_none()


def add_first_product_and_open_checkout(page, live_server) -> Product:
    product = Product.objects.filter(stock__gt=0).order_by("pk").first()
    page.goto(live_server.url + product.get_absolute_url())
    page.get_by_role("button", name="Tambah ke keranjang").first.click()
    page.locator("#toast .toast").wait_for()
    page.goto(f"{live_server.url}/keranjang/")
    thumb = page.locator("#cart img.thumb").first
    assert thumb.is_visible() and thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    page.get_by_role("link", name="Lanjut ke checkout").click()
    page.wait_for_url("**/checkout/")
    assert page.locator(".checkout-lines img.thumb").count() == 1
    return product


def test_a_failed_checkout_shows_and_focuses_an_error_summary_linking_to_the_fields(
    phone, problems, live_server, demo_data
):
    add_first_product_and_open_checkout(phone, live_server)
    phone.locator("#id_nama").fill("Maria Ndapa")
    phone.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    phone.get_by_label("Dikirim").check()  # but no address
    phone.get_by_label("QRIS").check()
    phone.get_by_role("button", name="Pesan sekarang").click()
    summary = phone.locator(".error-summary")
    summary.wait_for()
    # The focus moved there (errors.js is deferred: expect retries until it has run).
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    assert box["y"] < SMALL_PHONE["height"]  # in the first screen, not below the order summary
    assert phone.locator("#id_nama").input_value() == "Maria Ndapa"  # values kept
    summary.get_by_role("link", name="Alamat").first.click()
    expect(phone.locator("[name=alamat]")).to_be_focused()
    problems.failed_requests = [line for line in problems.failed_requests if "/checkout/" not in line]
    problems.console_errors = [text for text in problems.console_errors if "status of 400" not in text]
    problems.assert_none()


def test_the_order_page_saves_each_qr_code_as_a_png(phone, problems, live_server, demo_data):
    add_first_product_and_open_checkout(phone, live_server)
    phone.locator("#id_nama").fill("Maria Ndapa")
    phone.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    phone.get_by_label("Ambil di produsen").check()
    phone.get_by_label("QRIS").check()
    phone.get_by_role("button", name="Pesan sekarang").click()
    phone.wait_for_url("**/pesanan/*/")
    assert phone.locator(".checkout-lines img.thumb").count() == 1
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Simpan gambar QR").click()
    saved = download.value
    assert saved.suggested_filename.endswith(".png")
    with open(saved.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
    problems.assert_none()


def test_english_pages_show_english_product_names(phone, problems, live_server, demo_data):
    phone.goto(f"{live_server.url}/en/produk/?urut=nama")
    titles = phone.locator("#hasil .card-title").all_inner_texts()
    assert "Adonara Roasted Cashews" in titles or "Alor Dried Vanilla" in titles
    assert phone.locator("#hasil .card-title [lang=id]").count() == 0  # every demo product has English
    problems.assert_none()


def card_titles(page) -> list[str]:
    return page.locator("#hasil .card-title").all_inner_texts()


@pytest.mark.parametrize(
    ("prefix", "typed", "expected"),
    [
        ("", "kopii", "Kopi Arabika Bajawa Beiwali"),  # a typo
        ("/en", "coffee", "Bajawa Beiwali Arabica Coffee"),  # an English word, English names
    ],
)
def test_a_typo_or_an_english_word_typed_into_the_search_box_still_finds_the_products(
    phone, problems, live_server, demo_data, prefix, typed, expected
):
    phone.goto(f"{live_server.url}{prefix}/produk/", wait_until="networkidle")
    phone.locator("#id_q").fill(typed)  # htmx searches as the shopper types, and pushes the address
    phone.wait_for_url(f"**{prefix}/produk/?q={typed}")
    expect(phone.locator("#hasil .card-title").first).to_be_visible()
    assert expected in card_titles(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    problems.assert_none()


def test_a_search_that_finds_nothing_offers_a_spelling_and_the_featured_products(
    phone, problems, live_server, demo_data
):
    phone.goto(f"{live_server.url}/produk/?q=kopiiiz", wait_until="networkidle")
    expect(phone.locator("#hasil .results-count")).to_contain_text("0 produk")
    expect(phone.locator("#hasil")).to_contain_text("Produk unggulan")
    featured = Product.objects.published().featured().count()
    assert featured and len(card_titles(phone)) == min(featured, 4)
    phone.locator("#hasil .suggestions").get_by_role("link", name="kopi", exact=True).click()
    phone.wait_for_url("**/produk/?q=kopi")
    titles = card_titles(phone)
    assert titles and all("Kopi" in title or "Cokelat" in title for title in titles[:3]), titles
    problems.assert_none()


def order_on_the_phone(page, live_server, *, payment: str) -> None:
    add_first_product_and_open_checkout(page, live_server)
    page.locator("#id_nama").fill("Maria Ndapa")
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Ambil di produsen").check()
    page.get_by_label(payment).check()
    page.get_by_role("button", name="Pesan sekarang").click()
    page.wait_for_url("**/pesanan/*/")


def test_a_cash_order_says_pay_on_pickup_never_awaiting_payment(phone, problems, live_server, demo_data):
    order_on_the_phone(phone, live_server, payment="Bayar saat ambil/terima")
    expect(phone.locator("main")).to_contain_text("Bayar saat ambil")
    expect(phone.locator("main")).not_to_contain_text("Menunggu pembayaran")
    assert phone.locator("svg.qris-code").count() == 0
    problems.assert_none()


def test_a_qr_code_is_shared_as_a_png_where_the_phone_can_share_images(
    phone, problems, live_server, demo_data
):
    # Headless Chromium has no share sheet: stand in for the Web Share API, as a phone provides it,
    # and record what the page hands over.
    phone.add_init_script(
        "navigator.canShare = (data) => Boolean(data && data.files);"
        "navigator.share = async (data) => { window.shared = await Promise.all(data.files.map("
        "  async (f) => ({name: f.name, type: f.type, head: Array.from(new Uint8Array("
        "    await f.slice(0, 8).arrayBuffer()))}))); window.sharedTitle = data.title; };"
    )
    order_on_the_phone(phone, live_server, payment="QRIS")
    share = phone.get_by_role("button", name="Bagikan").first
    expect(share).to_be_visible()
    share.click()
    phone.wait_for_function("() => window.shared !== undefined")
    shared = phone.evaluate("window.shared")
    assert len(shared) == 1 and shared[0]["type"] == "image/png" and shared[0]["name"].endswith(".png")
    assert bytes(shared[0]["head"]) == b"\x89PNG\r\n\x1a\n"
    assert phone.evaluate("window.sharedTitle").startswith("QRIS ")
    problems.assert_none()
