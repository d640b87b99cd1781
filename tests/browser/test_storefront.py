"""The storefront in a real browser: htmx filtering and history, search, and a clean console."""

from __future__ import annotations

import pytest

from catalogue.models import Category, Product
from tests import factories
from villages.models import Village

pytestmark = pytest.mark.browser

RESULTS = "#hasil .card-title"


def card_titles(page) -> list[str]:
    return page.locator(RESULTS).all_inner_texts()


def open_filters(page) -> None:
    """The filters other than the search box fold away behind "Filter" (a <details>)."""
    page.locator("details.filter-panel > summary").click()


def mark_document(page) -> None:
    """A flag on window disappears on a full page load: proof that htmx swapped only a part."""
    page.evaluate("window.__sameDocument = true")


def same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def test_filtering_by_regency_swaps_results_changes_the_url_and_back_restores(
    page, problems, live_server, demo_data
):
    page.goto(f"{live_server.url}/produk/")
    everything = card_titles(page)
    assert len(everything) == 24
    mark_document(page)

    open_filters(page)
    page.get_by_label("Kabupaten/kota").select_option("kabupaten-kupang")
    page.wait_for_url("**/produk/?kabupaten=kabupaten-kupang")
    page.wait_for_function("document.querySelectorAll('#hasil .card').length === 2")
    kupang = sorted(card_titles(page))
    assert kupang == ["Garam Beryodium Oebelo", "Rumput Laut Kering Tablolong"]
    assert same_document(page), "the results were swapped without a full reload"

    page.go_back()
    page.wait_for_url(f"{live_server.url}/produk/")
    page.wait_for_function("document.querySelectorAll('#hasil .card').length === 24")
    assert card_titles(page) == everything
    assert page.get_by_label("Kabupaten/kota").input_value() == ""

    page.go_forward()
    page.wait_for_url("**/produk/?kabupaten=kabupaten-kupang")
    page.wait_for_function("document.querySelectorAll('#hasil .card').length === 2")
    assert sorted(card_titles(page)) == kupang
    assert page.get_by_label("Kabupaten/kota").input_value() == "kabupaten-kupang"
    problems.assert_none()


def test_search_finds_a_product_by_its_village_name(page, problems, live_server, demo_data):
    # Nothing in this product's own texts or its producer's name mentions its village, Tablolong.
    village = Village.objects.get(name="Tablolong")
    product = factories.product(
        "Abon Ikan Tuna",
        producer_=factories.producer("UMKM Laut Biru", village_=village),
        category=Category.objects.first(),
    )
    page.goto(f"{live_server.url}/produk/")
    mark_document(page)
    page.get_by_label("Cari").press_sequentially("tablolong", delay=30)
    page.wait_for_url("**/produk/?q=tablolong")
    page.wait_for_function("document.querySelectorAll('#hasil .card').length === 2")
    assert sorted(card_titles(page)) == ["Abon Ikan Tuna", "Rumput Laut Kering Tablolong"]
    assert product.village == village
    assert same_document(page)
    problems.assert_none()


def test_pagination_and_language_switch_keep_the_state(page, problems, live_server, demo_data):
    page.goto(f"{live_server.url}/produk/?urut=nama")
    mark_document(page)
    page.get_by_role("link", name="Berikutnya").click()
    page.wait_for_url("**/produk/?urut=nama&page=2")
    page.wait_for_function("document.querySelectorAll('#hasil .card').length === 20")
    assert same_document(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/produk/?urut=nama&page=2")
    assert page.locator("html").get_attribute("lang") == "en"
    assert len(card_titles(page)) == 20
    problems.assert_none()


def test_filters_work_without_javascript(make_page, problems, live_server, demo_data):
    page = make_page(javascript=False)
    page.goto(f"{live_server.url}/produk/")
    open_filters(page)
    page.get_by_label("Kabupaten/kota").select_option("kabupaten-kupang")
    page.get_by_label("Kategori").select_option("hasil-laut")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url(lambda url: "kategori=hasil-laut" in url and "kabupaten=kabupaten-kupang" in url)
    assert page.evaluate("typeof window.htmx") == "undefined"  # a plain form submission
    expected = Product.objects.filter(
        category__slug="hasil-laut", producer__village__district__regency__slug="kabupaten-kupang"
    )
    assert sorted(card_titles(page)) == sorted(expected.values_list("name", flat=True))
    assert 0 < expected.count() < 44
    problems.assert_none()


@pytest.mark.parametrize("which", ["home", "catalogue", "product", "producer", "village", "regency"])
def test_no_console_errors_csp_violations_or_other_hosts(page, problems, live_server, demo_data, which):
    product = Product.objects.select_related("producer__village__district__regency").order_by("pk").first()
    path = {
        "home": "/",
        "catalogue": "/produk/",
        "product": product.get_absolute_url(),
        "producer": product.producer.get_absolute_url(),
        "village": product.village.get_absolute_url(),
        "regency": product.regency.get_absolute_url(),
    }[which]
    page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    assert page.evaluate("typeof window.htmx") == "object"
    images = page.locator("main img")
    assert images.count() > 0
    for index in range(images.count()):  # scroll each lazy image into view: it loads, and loads well
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    page.wait_for_load_state("networkidle")
    problems.assert_none()


def test_the_watch_itself_catches_csp_violations_and_console_errors(page, problems, live_server):
    """Guards the tests above: if nothing could be caught, "no problems" would mean nothing."""
    page.goto(f"{live_server.url}/produk/")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.appendChild(script);
        console.error("deliberate");
    }"""
    )
    page.wait_for_function("() => true")
    assert page.evaluate("window.__ran === undefined"), "the CSP blocked the inline script"
    assert any(violation["directive"].startswith("script-src") for violation in problems.csp_violations)
    assert "deliberate" in problems.console_errors


@pytest.mark.parametrize(
    "path", ["/tentang/", "/keranjang/", "/checkout/", "/en/produk/", "/en/tentang/", "/produk/tidak-ada/"]
)
def test_the_other_public_pages_load_without_csp_violations(page, problems, live_server, demo_data, path):
    response = page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    assert response.status == (404 if path.endswith("tidak-ada/") else 200)
    assert page.evaluate("typeof window.htmx") == "object"
    # A 404 is the page's answer, not a broken resource on it.
    if response.status == 404:
        problems.failed_requests = [line for line in problems.failed_requests if "tidak-ada" not in line]
        problems.console_errors = [line for line in problems.console_errors if "404" not in line]
    problems.assert_none()
