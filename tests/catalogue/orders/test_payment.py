"""The dynamic QRIS an order page shows for each producer part, from real static samples."""

import re
from html import unescape

import pytest
import qrcode
import qrcode.constants
from PIL import Image, ImageDraw

from catalogue import qris
from catalogue.barcodes import qr_svg
from catalogue.models import Order, OrderPart, Payment
from tests import factories
from tests.catalogue import _shop
from tests.catalogue.test_qris import STATIC_IDS, STATIC_PAYLOADS

pytestmark = pytest.mark.django_db

PAYLOAD_RE = re.compile(r'class="qris-payload" readonly value="([^"]+)"')


def order_with_part(subtotal: int, static: str) -> Order:
    producer = factories.producer(qris_payload=static)
    order = Order.objects.create(
        checkout_key=f"{subtotal:032d}",
        buyer_name="Ina",
        buyer_whatsapp="+6281234567890",
        delivery="ambil",
        payment=Payment.QRIS,
        total=subtotal,
    )
    OrderPart.objects.create(order=order, producer=producer, subtotal=subtotal)
    return order


def shown_payload(client, order: Order) -> str:
    html = client.get(order.get_absolute_url()).content.decode()
    (payload,) = PAYLOAD_RE.findall(html)
    return unescape(payload)


@pytest.mark.parametrize("static", STATIC_PAYLOADS, ids=STATIC_IDS)
def test_order_page_turns_each_static_sample_into_a_dynamic_code_for_the_subtotal(client, static):
    product = factories.product(price=25000, producer_=factories.producer(qris_payload=static))
    order = _shop.buy(client, product)
    payload = shown_payload(client, order)
    qris.validate(payload)
    fields = qris.parse(payload)
    assert dict(fields)["01"] == "12"
    assert dict(fields)["54"] == "25000"
    assert qris.amount(payload) == 25000
    assert [(t, v) for t, v in fields if t not in ("01", "54", "63")] == [
        (t, v) for t, v in qris.parse(static) if t not in ("01", "63")
    ]


@pytest.mark.parametrize("amount", [1, 25000, 9999999999])
def test_part_amounts_are_encoded_in_whole_rupiah(client, amount):
    payload = shown_payload(client, order_with_part(amount, STATIC_PAYLOADS[0]))
    assert dict(qris.parse(payload))["54"] == str(amount)
    assert qris.amount(payload) == amount


def test_a_stored_code_that_no_longer_validates_falls_back_to_pay_on_pickup(client):
    order = order_with_part(25000, STATIC_PAYLOADS[0])
    part = order.parts.get()
    type(part.producer).objects.filter(pk=part.producer_id).update(qris_payload=STATIC_PAYLOADS[0][:-1] + "0")
    response = client.get(order.get_absolute_url())
    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert "belum menerima QRIS" in response.content.decode()


def test_qr_svg_draws_exactly_the_qr_matrix_of_the_payload():
    payload = qris.to_dynamic(STATIC_PAYLOADS[1], 125000)
    svg = str(qr_svg(payload, label="QRIS uji", css_class="qris-code"))
    assert svg.startswith("<svg ") and 'viewBox="0 0 ' in svg and 'class="qris-code"' in svg
    assert 'aria-label="QRIS uji"' in svg
    assert "style" not in svg
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    expected = {(x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row) if dark}
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    drawn = {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", path)}
    assert drawn == expected


def test_qr_svg_decodes_back_to_the_payload():
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (dev extra) decodes QR codes")
    payload = qris.to_dynamic(STATIC_PAYLOADS[0], 87500)
    svg = str(qr_svg(payload, label="QRIS uji", css_class="qris-code"))
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    scale = 6
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    # Rasterise the path as drawn: each "Mx,yHx2Vy2Hxz" is one dark module.
    for x, y in re.findall(r"M(\d+),(\d+)H", re.search(r'<path d="([^"]+)"', svg).group(1)):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle([left, top, left + scale - 1, top + scale - 1], fill=0)
    (decoded,) = zxingcpp.read_barcodes(image)
    assert decoded.text == payload
    assert qris.amount(decoded.text) == 87500
