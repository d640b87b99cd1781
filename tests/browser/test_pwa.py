"""The installable shop on patchy signal, in Chromium at 360 px: a visited product page and the
order page with its QR codes open offline; anything else shows the Indonesian offline page."""

from __future__ import annotations

import pytest

from catalogue.models import Product

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


def phone(make_page):
    page = make_page(viewport=SMALL_PHONE)
    page.set_default_timeout(30_000)  # the first visit makes the thumbnails
    return page


def wait_for_worker(page) -> None:
    """Until the service worker controls the page (polled from Python: the page's CSP forbids the
    string evaluation that wait_for_function's polling would need)."""
    for _ in range(60):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(500)
    raise AssertionError("the service worker never took control of the page")


def test_visited_product_and_order_pages_open_offline_and_others_show_the_offline_page(
    make_page, problems, live_server, demo_data
):
    page = phone(make_page)
    product = Product.objects.filter(stock__gt=0).order_by("pk").first()
    page.goto(live_server.url + product.get_absolute_url())
    wait_for_worker(page)  # installed by static/js/pwa.js, controlling the page after clients.claim()
    page.reload()  # now through the worker, which keeps this visited product page
    page.get_by_role("button", name="Tambah ke keranjang").first.click()
    page.locator("#toast .toast").wait_for()
    page.goto(f"{live_server.url}/checkout/")
    page.locator("#id_nama").fill("Maria Ndapa")  # "Nama pejabat …" (agency purchases) also has "Nama"
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Ambil di produsen").check()
    page.get_by_label("QRIS").check()
    page.get_by_role("button", name="Pesan sekarang").click()
    page.wait_for_url("**/pesanan/*/")
    order_url = page.url
    page.wait_for_load_state("networkidle")

    page.context.set_offline(True)
    page.goto(live_server.url + product.get_absolute_url())
    assert page.locator("h1").inner_text() == product.name
    page.goto(order_url)
    assert page.locator("svg.qris-code").count() == 1
    assert page.locator("svg.qris-code").first.is_visible()
    page.goto(f"{live_server.url}/tentang/")  # never visited
    assert "Tidak ada koneksi internet" in page.locator("h1").inner_text()
    page.context.set_offline(False)
    problems.console_errors = [
        text for text in problems.console_errors if "ERR_INTERNET_DISCONNECTED" not in text
    ]
    problems.assert_none()


def test_the_worker_never_keeps_admin_pages(make_page, live_server, demo_data):
    page = phone(make_page)
    page.goto(f"{live_server.url}/")
    wait_for_worker(page)
    page.goto(f"{live_server.url}/admin/login/", wait_until="networkidle")
    kept = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert "/offline/" in kept
    assert not [path for path in kept if path.startswith(("/admin/", "/produsen/"))]
