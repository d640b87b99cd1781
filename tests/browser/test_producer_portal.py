"""A producer runs their orders from a 360 px phone: sign in by link, confirm a payment, quote
shipping, mark a part shipped; the buyer then sees the timeline on the order page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catalogue.models import PartStatus
from catalogue.producers import links
from tests import factories

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


def fits_the_screen(page) -> bool:
    # Measured once the stylesheet has loaded: a page laid out before it (a slow CI machine) is wider.
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_producer_runs_orders_from_a_phone_and_the_buyer_follows(
    make_page, problems, live_server, settings
):
    settings.SITE_URL = live_server.url
    product = factories.product(name="Kopi Bajawa", stock=20, price=40000)
    to_confirm = factories.order_part(product, quantity=1, delivery="kirim", address="Jl. Sudirman 1")
    to_quote = factories.order_part(
        product, quantity=2, status=PartStatus.AWAITING_QUOTE, delivery="kirim", address="Jl. Timor Raya 9"
    )
    page = make_page(viewport=SMALL_PHONE)

    page.goto(links.issue(product.producer))
    page.wait_for_url(f"{live_server.url}/produsen/")
    expect(page.locator("#bayar")).to_contain_text(to_confirm.order.number)
    expect(page.locator("#ongkir")).to_contain_text("Jl. Timor Raya 9")
    assert fits_the_screen(page)

    # Confirm the payment, with the reference from the bank app.
    page.locator("#bayar").get_by_role("link", name=to_confirm.order.number).click()
    expect(page.locator(".bill-number")).to_have_text(to_confirm.bill_number())
    assert fits_the_screen(page)
    page.get_by_label("Referensi di aplikasi bank").fill("BRI-55501")
    page.get_by_role("button", name="Pembayaran sudah masuk").click()
    expect(page.locator(".messages")).to_contain_text("Dibayar")

    # Ship it, with courier and tracking number.
    page.get_by_label("Kurir").fill("JNE")
    page.get_by_label("Nomor resi").fill("JNE778899")
    page.get_by_role("button", name="Sudah dikirim").click()
    expect(page.locator(".timeline")).to_contain_text("JNE778899")

    # Quote the shipping of the delivery part.
    page.get_by_role("link", name="Semua pesanan").click()
    page.locator("#ongkir").get_by_role("link", name=to_quote.order.number).click()
    page.get_by_label("Ongkos kirim (Rp)").fill("15000")
    page.get_by_role("button", name="Simpan ongkos kirim").click()
    expect(page.locator(".messages")).to_contain_text("Ongkos kirim disimpan")
    to_quote.refresh_from_db()
    assert (to_quote.status, to_quote.shipping) == (PartStatus.AWAITING_PAYMENT, 15000)

    # The buyer's page shows the timeline, without staff or producer user names.
    buyer = make_page(viewport=SMALL_PHONE)
    buyer.goto(live_server.url + to_confirm.order.get_absolute_url())
    timeline = buyer.locator(".timeline")
    expect(timeline).to_contain_text("Dibayar")
    expect(timeline).to_contain_text("Dikirim")
    expect(timeline).to_contain_text("JNE778899")
    expect(timeline).not_to_contain_text("produsen-")
    assert fits_the_screen(buyer)
    problems.assert_none()
