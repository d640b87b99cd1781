"""`/dasbor/label/<slug>/`: a printable A4 sheet of hang-tag labels for one product."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalogue import barcodes
from catalogue.models import Certificate, CertificateKind, Product

DEFAULT_LABELS = 6
MAX_LABELS = 24


@dataclass(frozen=True)
class LabelData:
    product: Product
    url: str
    permit: Certificate | None
    halal: Certificate | None
    barcode: str
    qr: str


def public_url(product: Product) -> str:
    """The product's page in the shop's default language, as an absolute address for the QR code."""
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + product.get_absolute_url()


def label_data(product: Product) -> LabelData:
    certificates = product.public_certificates
    permit = next((c for c in certificates if c.kind != CertificateKind.HALAL), None)
    halal = next((c for c in certificates if c.kind == CertificateKind.HALAL), None)
    url = public_url(product)
    return LabelData(
        product=product,
        url=url,
        permit=permit,
        halal=halal,
        barcode=barcodes.ean13_svg(product.gtin, label=f"GTIN {product.gtin}") if product.gtin else "",
        qr=barcodes.qr_svg(url, label=_("Kode QR ke halaman produk")),
    )


def label_count(raw: str | None) -> tuple[int, str]:
    """How many labels to print (1-24, default 8) and a notice when the request asked otherwise."""
    if raw in (None, ""):
        return DEFAULT_LABELS, ""
    try:
        count = int(raw)
    except ValueError:
        return DEFAULT_LABELS, _("Jumlah label harus angka 1 sampai 24; dicetak 6.")
    if not 1 <= count <= MAX_LABELS:
        return DEFAULT_LABELS, _("Jumlah label harus angka 1 sampai 24; dicetak 6.")
    return count, ""


@require_safe
@staff_member_required
@permission_required("catalogue.view_product", raise_exception=True)
def label_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(Product.objects.with_places().with_public_certificates(), slug=slug)
    count, notice = label_count(request.GET.get("jumlah"))
    context = {"label": label_data(product), "labels": range(count), "count": count, "notice": notice}
    return render(request, "catalogue/label_sheet.html", context)


@require_safe
@staff_member_required
@permission_required("catalogue.view_product", raise_exception=True)
def label_index(request: HttpRequest) -> HttpResponse:
    """`/dasbor/label/`: every product with a link to its label sheet, by regency (one query)."""
    products = Product.objects.with_places().order_by("producer__village__district__regency__name", "name")
    return render(request, "catalogue/label_index.html", {"products": products})
