"""Barcodes: a product's GTIN-13 as an EAN-13 SVG, and QR codes (a label's page link, a part's QRIS).

Both are inline SVG made on the server. The page's Content-Security-Policy refuses `style="…"`
attributes, so the SVG uses presentation attributes (`fill`, `font-size`) only: python-barcode's own
SVG writer writes `style` attributes, hence the small writer below.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import qrcode
import qrcode.image.svg
from barcode import EAN13
from barcode.writer import SVGWriter, _set_attributes, create_svg_object
from django.utils.safestring import SafeString, mark_safe

from catalogue import identifiers

SVG_NS = "http://www.w3.org/2000/svg"


class _AttributeSVGWriter(SVGWriter):
    """python-barcode's SVG writer, drawing with `fill` attributes instead of `style`."""

    def _init(self, code: list[str]) -> None:
        line = code[0]
        width, height = self.calculate_size(len(line), 1)
        self._document = create_svg_object(False)
        self._root = self._document.documentElement
        _set_attributes(
            self._root,
            width=f"{width:.3f}mm",
            height=f"{height:.3f}mm",
            viewBox=f"0 0 {width:.3f} {height:.3f}",
        )
        self._group = self._root.appendChild(self._document.createElement("g"))
        if self.background is not None:
            background = self._document.createElement("rect")
            _set_attributes(background, width="100%", height="100%", fill=self.background)
            self._group.appendChild(background)

    def _create_module(self, xpos, ypos, width, color) -> None:
        if color != self.background:
            element = self._document.createElement("rect")
            _set_attributes(
                element,
                x=f"{xpos:.3f}",
                y=f"{ypos:.3f}",
                width=f"{width:.3f}",
                height=f"{self.module_height:.3f}",
                fill=color,
            )
            self._group.appendChild(element)

    def _create_text(self, xpos, ypos) -> None:
        text = self.human or self.text
        element = self._document.createElement("text")
        _set_attributes(
            element,
            x=f"{xpos:.3f}",
            y=f"{ypos:.3f}",
            fill=self.foreground,
            **{"font-size": f"{self.font_size * 0.3528:.3f}", "text-anchor": "middle"},
        )
        element.appendChild(self._document.createTextNode(text))
        self._group.appendChild(element)

    def _finish(self) -> bytes:
        return self._root.toxml().encode("utf-8")


def _inline(root: ET.Element) -> SafeString:
    """Serialise for inline use in HTML: SVG elements without a namespace prefix."""
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    root.set("xmlns", SVG_NS)
    # Our own markup; text and attribute values were escaped by ElementTree.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


def ean13_svg(gtin: str, *, module_height: float = 14.0, label: str = "") -> SafeString:
    """An EAN-13 barcode for `gtin` (13 digits, check digit verified) as inline SVG markup."""
    number = identifiers.normalize_gtin13(gtin)
    writer = _AttributeSVGWriter()
    svg = EAN13(number[:12], writer=writer).render(
        writer_options={"module_height": module_height, "font_size": 9, "text_distance": 4, "quiet_zone": 4}
    )
    root = ET.fromstring(svg)  # noqa: S314 (python-barcode's own output, no outside data)
    root.set("class", "barcode")
    root.set("role", "img")
    root.set("aria-label", label or f"EAN-13 {number}")
    return _inline(root)


def qr_png(data: str, *, box_size: int = 10) -> bytes:
    """The same QR code as a PNG, for shoppers to save or share (the order page's "Simpan gambar QR")."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=box_size)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(data: str, *, label: str = "", css_class: str = "qr") -> SafeString:
    """A QR code for `data` as inline SVG markup (a single path, scalable, no style attributes).

    The one QR drawing of the project: labels (a product page's address) and the order page (each
    part's QRIS, ``css_class="qris-code"``) both come here."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    root = ET.fromstring(image.to_string(encoding="unicode"))  # noqa: S314 (qrcode's own output)
    for path in root.iter(f"{{{SVG_NS}}}path"):
        path.attrib.pop("id", None)  # many QR codes share a sheet: ids must not repeat
    root.set("class", css_class)
    root.set("role", "img")
    root.set("aria-label", label or data)
    return _inline(root)
