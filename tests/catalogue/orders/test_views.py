import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.urls import reverse

from catalogue import qris
from catalogue.models import Order, OrderPart, PartStatus
from catalogue.orders.statuses import set_part_status
from tests import factories
from tests.catalogue import _shop

pytestmark = pytest.mark.django_db

PAYLOAD_RE = re.compile(r'class="qris-payload" readonly value="([^"]+)"')


def payloads(html: str) -> list[str]:
    return [unescape(value) for value in PAYLOAD_RE.findall(html)]


def two_producer_order(client, **fields) -> Order:
    kopi = factories.product(name="Kopi Bajawa", price=60000, producer_=factories.producer(name="Kopi Ngada"))
    madu = factories.product(name="Madu Hutan", price=85000, producer_=factories.producer(name="Madu Timor"))
    _shop.add(client, kopi, 2)
    _shop.add(client, madu, 1)
    response = _shop.submit(client, _shop.checkout_key(client), **fields)
    assert response.status_code == 302
    return Order.objects.get()


def test_unknown_token_is_404(client):
    two_producer_order(client)
    response = client.get(reverse("catalogue:order", kwargs={"token": "tidak-ada"}))
    assert response.status_code == 404


def test_sequential_ids_do_not_reach_an_order(client):
    order = two_producer_order(client)
    assert client.get(f"/pesanan/{order.pk}/").status_code == 404
    assert order.get_absolute_url() == f"/pesanan/{order.access_token}/"
    assert len(order.access_token) >= 40


def test_order_page_shows_number_parts_and_amounts(client):
    order = two_producer_order(client)
    response = client.get(order.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert order.number in html
    assert "Kopi Ngada" in html and "Madu Timor" in html
    assert '<strong class="part-amount">Rp120.000</strong>' in html
    assert '<strong class="part-amount">Rp85.000</strong>' in html
    assert "Rp205.000" in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_each_qris_part_gets_a_dynamic_code_for_exactly_its_subtotal(client):
    order = two_producer_order(client)
    html = client.get(order.get_absolute_url()).content.decode()
    found = payloads(html)
    assert sorted(qris.amount(payload) for payload in found) == [85000, 120000]
    statics = {part.producer.qris_payload for part in order.parts.select_related("producer")}
    for payload in found:
        qris.validate(payload)  # the CRC verifies
        fields = dict(qris.parse(payload))
        assert fields["01"] == "12"
        static = next(s for s in statics if qris.merchant_name(s) == qris.merchant_name(payload))
        assert {t: v for t, v in qris.parse(static) if t not in ("01", "62", "63")} == {
            t: v for t, v in qris.parse(payload) if t not in ("01", "54", "62", "63")
        }
    assert html.count('class="qris-code"') == 2


def test_qr_codes_are_inline_svg_without_style_attributes(client):
    order = two_producer_order(client)
    html = client.get(order.get_absolute_url()).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.DOTALL)
    assert len(svgs) == 2
    for svg in svgs:
        assert "style" not in svg
        assert 'id="' not in svg
        assert 'viewBox="' in svg and 'role="img"' in svg
    assert "style=" not in html
    assert "<script>" not in html


def test_producer_without_qris_gets_pay_on_pickup_instructions(client):
    plain = factories.producer(name="Tenun Prailiu", qris_payload="")
    with_qris = factories.producer(name="Kopi Ngada")
    _shop.add(client, factories.product(price=300000, producer_=plain), 1)
    _shop.add(client, factories.product(price=50000, producer_=with_qris), 1)
    _shop.submit(client, _shop.checkout_key(client))
    html = client.get(Order.objects.get().get_absolute_url()).content.decode()
    assert [qris.amount(payload) for payload in payloads(html)] == [50000]
    assert "Produsen ini belum menerima QRIS: bayar langsung kepada produsen" in html


def test_cash_orders_show_no_qr_code(client):
    order = two_producer_order(client, pembayaran="cod")
    html = client.get(order.get_absolute_url()).content.decode()
    assert "<svg" not in html
    assert html.count("Bayar langsung kepada produsen saat mengambil atau menerima barang.") == 2


def test_cash_parts_wait_for_the_producer_to_confirm_them(client):
    order = two_producer_order(client, pembayaran="cod")
    assert set(order.parts.values_list("status", flat=True)) == {PartStatus.AWAITING_CONFIRMATION}
    html = client.get(order.get_absolute_url()).content.decode()
    assert html.count("Menunggu konfirmasi produsen") == 4  # the statuses list and each part
    assert "Menunggu pembayaran" not in html


def test_cash_orders_say_unconfirmed_parts_are_cancelled_after_cod_confirm_hours(client, settings):
    settings.COD_CONFIRM_HOURS = 36
    order = two_producer_order(client, pembayaran="cod")
    html = client.get(order.get_absolute_url()).content.decode()
    assert "Tiap produsen mengonfirmasi bagiannya dalam 36 jam" in html


def test_a_paid_part_shows_no_more_qr_code(client):
    order = two_producer_order(client)
    paid = order.parts.first()
    assert set_part_status(paid, PartStatus.PAID, by="test")
    html = client.get(order.get_absolute_url()).content.decode()
    assert len(payloads(html)) == 1
    assert "Dibayar" in html


def test_whatsapp_link_per_part_carries_the_order_number_and_lines(client):
    order = two_producer_order(client)
    html = client.get(order.get_absolute_url()).content.decode()
    links = [unquote(unescape(link)) for link in re.findall(r'href="(https://wa\.me/[^"]+)"', html)]
    assert len(links) == 2
    kopi = next(link for link in links if "Kopi Ngada" in link)
    assert order.number in kopi
    assert "2 × Kopi Bajawa" in kopi and "Rp120.000" in kopi
    assert "Madu Hutan" not in kopi
    assert html.count("Hubungi via WhatsApp") == 2


def test_delivery_orders_without_a_rate_say_the_producer_quotes_the_shipping_first(client):
    factories.regency("53.71", "Kota Kupang")
    order = two_producer_order(client, pengiriman="kirim", alamat="Jl. El Tari 1", kabupaten="kota-kupang")
    html = client.get(order.get_absolute_url()).content.decode()
    assert html.count("belum punya tarif ongkos kirim ke Kota Kupang") == 2
    assert "Jl. El Tari 1" in html and "Kota Kupang" in html
    assert payloads(html) == []  # no QRIS before the total is known


def test_statuses_are_polled_every_30_seconds_from_a_real_url(client):
    order = two_producer_order(client)
    html = client.get(order.get_absolute_url()).content.decode()
    status_url = reverse("catalogue:order_status", kwargs={"token": order.access_token})
    match = re.search(r'hx-get="([^"]+)" hx-trigger="every 30s"', html)
    assert match and unescape(match.group(1)).startswith(status_url + "?v=")
    partial = client.get(unescape(match.group(1)), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<section id="order-statuses"')
    assert "HX-Refresh" not in partial
    assert client.get(status_url).status_code == 200  # works without htmx too


def test_a_changed_status_makes_the_poll_reload_the_page(client):
    order = two_producer_order(client)
    html = client.get(order.get_absolute_url()).content.decode()
    poll_url = unescape(re.search(r'hx-get="([^"]+)"', html).group(1))
    set_part_status(order.parts.first(), PartStatus.PAID, by="test")
    response = client.get(poll_url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert "Dibayar" in response.content.decode()


def test_polling_stops_when_every_part_is_final(client):
    order = two_producer_order(client)
    for part in order.parts.all():
        set_part_status(part, PartStatus.CANCELLED, by="test")
    html = client.get(order.get_absolute_url()).content.decode()
    assert "every 30s" not in html
    assert html.count("Dibatalkan") >= 2


def test_unknown_token_on_the_status_url_is_404(client):
    assert client.get(reverse("catalogue:order_status", kwargs={"token": "nope"})).status_code == 404


def test_order_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    producers = [factories.producer() for _ in range(4)]
    for producer in producers:
        _shop.add(client, factories.product(producer_=producer), 1)
        _shop.add(client, factories.product(producer_=producer), 1)
    _shop.submit(client, _shop.checkout_key(client))
    order = Order.objects.get()
    assert OrderPart.objects.filter(order=order).count() == 4
    with django_assert_max_num_queries(6):
        assert client.get(order.get_absolute_url()).status_code == 200


def test_order_page_shows_the_payment_deadline_in_wita(client, settings):
    settings.ORDER_PAYMENT_HOURS = 24
    order = two_producer_order(client)
    Order.objects.filter(pk=order.pk).update(created_at="2026-11-27T02:00:00Z")  # 10:00 WITA
    html = client.get(order.get_absolute_url()).content.decode()
    assert "28 November 2026, 10:00 WITA" in html


def test_each_qr_code_can_be_saved_as_a_png_and_shared(client):
    from io import BytesIO

    from PIL import Image

    order = two_producer_order(client)
    html = client.get(order.get_absolute_url()).content.decode()
    links = re.findall(r'<a class="button" href="([^"]+\.png)" download="[^"]+">Simpan gambar QR</a>', html)
    assert len(links) == 2
    assert html.count('class="button-secondary share-button"') == 2
    response = client.get(links[0])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert Image.open(BytesIO(response.content)).format == "PNG"
    other_order_part = OrderPart.objects.exclude(order=order).first()
    assert other_order_part is None  # only this order's parts have codes under its token
    wrong = reverse("catalogue:order_qris_png", kwargs={"token": order.access_token, "part": 999999})
    assert client.get(wrong).status_code == 404


def test_a_cash_order_says_how_it_is_paid_not_awaiting_payment(client):
    pickup = two_producer_order(client, pembayaran="cod")
    html = client.get(pickup.get_absolute_url()).content.decode()
    assert "Bayar saat ambil" in html and "Menunggu pembayaran" not in html
    assert "Simpan gambar QR" not in html  # no QR code for cash


def test_a_cash_delivery_says_pay_when_the_goods_arrive(client):
    regency = factories.regency()
    order = two_producer_order(
        client, pembayaran="cod", pengiriman="kirim", alamat="Jl. El Tari 1", kabupaten=regency.pk
    )
    html = client.get(order.get_absolute_url()).content.decode()
    assert "Bayar saat barang tiba" in html and "Menunggu pembayaran" not in html


def test_order_lines_show_a_thumbnail_of_the_product(client):
    order = two_producer_order(client)
    factories.product_image(order.parts.first().lines.first().product)
    html = client.get(order.get_absolute_url()).content.decode()
    assert re.search(r'<img class="thumb" src="/media/thumbs/[^"]+-96x96\.webp"[^>]* alt=""', html)
    assert html.count('class="thumb') == 2
