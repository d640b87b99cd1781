"""The printable label sheet: what it says, and that its QR code and barcode really scan.

The SVGs are taken from the page as served, drawn onto a bitmap (they are made only of rectangles:
`<rect>` bars and a path of `M x,y H V H z` squares), and decoded by zxing-cpp, the decoder of
Android's barcode scanners. A label that encoded the wrong address or number fails here.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from catalogue.barcodes import ean13_svg, qr_svg
from catalogue.demo import load_demo
from catalogue.models import Product
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"
GTIN = "8991002101234"
QR, EAN13 = zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.EAN13


def svgs(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<svg[^>]*class="{css_class}".*?</svg>', html, flags=re.S)


def rasterise(svg: str, scale: float) -> Image.Image:
    """Draw an SVG made of rectangles (as our barcodes are) onto a white bitmap."""
    root = ET.fromstring(svg)  # noqa: S314 (our own page)
    _, _, width, height = (float(n) for n in root.get("viewBox").split())
    margin = 20
    image = Image.new("L", (int(width * scale) + 2 * margin, int(height * scale) + 2 * margin), 255)
    draw = ImageDraw.Draw(image)

    def box(x: float, y: float, w: float, h: float) -> None:
        draw.rectangle(
            [
                margin + x * scale,
                margin + y * scale,
                margin + (x + w) * scale - 1,
                margin + (y + h) * scale - 1,
            ],
            fill=0,
        )

    for rect in root.iter(f"{SVG_NS}rect"):
        if rect.get("fill") in {"white", "#ffffff"} or rect.get("width", "").endswith("%"):
            continue
        box(*(float(rect.get(name)) for name in ("x", "y", "width", "height")))
    for path in root.iter(f"{SVG_NS}path"):
        for x1, y1, x2, y2, _x3 in re.findall(
            r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H([\d.]+)z", path.get("d")
        ):
            box(float(x1), float(y1), float(x2) - float(x1), float(y2) - float(y1))
    return image


def decode(svg: str, scale: float) -> list[tuple[str, str]]:
    return [(result.format, result.text) for result in zxingcpp.read_barcodes(rasterise(svg, scale))]


@pytest.fixture
def demo_product() -> Product:
    load_demo(with_images=False)
    product = Product.objects.exclude(net_content="").order_by("pk").first()
    product.gtin = GTIN
    product.save()
    product.certificates.all().delete()  # the demo's own permits; this test sets known ones
    today = timezone.localdate()
    backoffice.certificate(product, "pirt", f"2155308010281-{(today.year + 5) % 100:02d}", issued_on=today)
    backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=today)
    backoffice.certificate(product, "bpom_ml", "ML224510107115", issued_on=today, verified=False)
    return product


def label_page(product: Product, group: str = backoffice.MITRA, **params):
    client = Client()
    client.force_login(backoffice.staff(group))
    return client.get(reverse("catalogue:label", args=[product.slug]), params)


def test_the_label_of_a_demo_product_has_a_qr_to_its_page_and_a_barcode_of_its_gtin(demo_product, settings):
    response = label_page(demo_product)
    assert response.status_code == 200
    html = response.content.decode()
    qr_codes, barcodes = svgs(html, "qr"), svgs(html, "barcode")
    assert len(qr_codes) == len(barcodes) == 6
    expected_url = f"{settings.SITE_URL}/produk/{demo_product.slug}/"
    assert decode(qr_codes[0], scale=8) == [(QR, expected_url)]
    assert decode(barcodes[0], scale=12) == [(EAN13, GTIN)]


def test_the_label_says_what_a_buyer_and_an_inspector_need(demo_product):
    html = label_page(demo_product).content.decode()
    village = demo_product.producer.village
    for text in [
        demo_product.name,
        demo_product.producer.name,
        village.name,
        village.district.regency.name,
        demo_product.net_content,
        "Pindai untuk melihat desa dan sertifikat",
        f"P-IRT No. 2155308010281-{(timezone.localdate().year + 5) % 100:02d}",
        "ID53110000123450224",
    ]:
        assert text and text in html, text
    assert f"Rp{demo_product.price:,}".replace(",", ".") in html
    assert "ML224510107115" not in html  # unverified: never printed


def test_the_sheet_is_print_ready_without_site_chrome_or_inline_styles(demo_product):
    html = label_page(demo_product).content.decode()
    assert "css/label.css" in html and "site-header" not in html
    assert not re.search(r"\sstyle=", html)
    assert "<script>" not in html


def test_label_count_can_be_chosen_and_bad_counts_fall_back_to_six(demo_product):
    assert len(svgs(label_page(demo_product, jumlah="2").content.decode(), "qr")) == 2
    html = label_page(demo_product, jumlah="abc").content.decode()
    assert len(svgs(html, "qr")) == 6 and "1 sampai 24" in html
    assert len(svgs(label_page(demo_product, jumlah="500").content.decode(), "qr")) == 6


def test_a_product_without_gtin_gets_no_barcode_but_still_a_qr():
    product = factories.product()
    html = label_page(product).content.decode()
    assert svgs(html, "barcode") == []
    assert "Belum ada GTIN-13" in html
    assert len(svgs(html, "qr")) == 6


def test_labels_are_for_staff_who_may_view_products():
    product = factories.product()
    address = reverse("catalogue:label", args=[product.slug])
    assert Client().get(address).status_code == 302
    client = Client()
    client.force_login(backoffice.staff(None))
    assert client.get(address).status_code == 403
    assert label_page(product, backoffice.PENDAMPING).status_code == 200
    missing = Client()
    missing.force_login(backoffice.staff(backoffice.ADMIN_PMD))
    assert missing.get(reverse("catalogue:label", args=["tidak-ada"])).status_code == 404


def test_the_decoder_tells_a_wrong_code_apart():
    """The check above would catch a label that encodes something else."""
    assert decode(qr_svg("https://contoh.id/produk/lain/"), scale=8) == [
        (QR, "https://contoh.id/produk/lain/")
    ]
    assert decode(ean13_svg("4006381333931"), scale=12) == [(EAN13, "4006381333931")]


def test_an_invalid_gtin_cannot_become_a_barcode():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ean13_svg("8991002101235")


def test_dates_on_labels_do_not_matter_but_the_certificate_must_be_current(demo_product):
    expired = demo_product.certificates.get(kind="halal")
    expired.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    expired.issued_on = expired.expires_on - datetime.timedelta(days=365)
    expired.save()
    assert "ID53110000123450224" not in label_page(demo_product).content.decode()
