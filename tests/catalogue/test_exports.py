"""Exports to CSV and XLSX: the right columns, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import Product, Stage, StageKind, StageStatus
from catalogue.resources import (
    EXPORT_FORMATS,
    PipelineResource,
    ProducerResource,
    ProductResource,
    SafeCSV,
    SafeXLSX,
)
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "==1+1"]


def dangerous_products() -> list[Product]:
    producer = factories.producer(name="@UMKM Jahat")
    return [factories.product(name=name, producer_=producer) for name in DANGEROUS]


def csv_rows(content: bytes | str) -> list[list[str]]:
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} holds a formula: {cell.value!r}"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_product_export_escapes_every_dangerous_cell(fmt):
    products = dangerous_products()
    dataset = ProductResource().export(Product.objects.filter(pk__in=[p.pk for p in products]))
    content = fmt().export_data(dataset)
    rows = csv_rows(content) if fmt is SafeCSV else xlsx_rows(content)
    header, body = rows[0], rows[1:]
    names = [row[header.index("nama produk")] for row in body]
    expected = ["'" + name for name in DANGEROUS]
    if fmt is SafeXLSX:  # XML stores a carriage return as a line feed
        expected = [name.replace("\r", "\n") for name in expected]
    assert sorted(names) == sorted(expected)
    assert {row[header.index("produsen")] for row in body} == {"'@UMKM Jahat"}
    for row in body:
        for cell in row:
            if isinstance(cell, str) and cell:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_keeps_numbers_as_numbers():
    product = factories.product(price=25000, stock=7)
    content = SafeXLSX().export_data(
        ProductResource().export(Product.objects.filter(pk=product.pk), force_native_type=True)
    )
    header, row = xlsx_rows(content)
    assert row[header.index("harga (Rp)")] == 25000


def test_admin_export_of_products_as_csv_is_escaped():
    dangerous_products()
    client = Client()
    client.force_login(backoffice.staff(backoffice.MITRA))
    fields = {f"productresource_{name}": "on" for name in ProductResource().fields}
    response = client.post(
        reverse("admin:catalogue_product_export"), {"format": "0", "resource": "0", **fields}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "'=HYPERLINK" in body.decode()
    for row in csv_rows(body)[1:]:
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


@pytest.mark.parametrize(("index", "kind"), [("0", "csv"), ("1", "xlsx")])
def test_admin_export_of_the_pipeline_in_both_formats(index, kind):
    product = factories.product(name="=Kopi")
    Stage.objects.get(product=product, kind=StageKind.MAPPING).change_status(to=StageStatus.DONE, by=None)
    client = Client()
    client.force_login(backoffice.staff(backoffice.PENDAMPING))
    form = client.get(reverse("admin:catalogue_product_export")).content.decode()
    assert "Matriks pendampingan" in form
    fields = {f"pipelineresource_{name}": "on" for name in PipelineResource().fields}
    response = client.post(
        reverse("admin:catalogue_product_export"), {"format": index, "resource": "1", **fields}
    )
    assert response.status_code == 200
    rows = csv_rows(response.content) if kind == "csv" else xlsx_rows(response.content)
    header, row = rows[0], rows[1]
    assert row[header.index("Pemetaan potensi dan keberlanjutan bahan baku")] == "Selesai"
    assert row[header.index("QRIS")] == "Belum"
    assert row[header.index("progres")] == "1/14 selesai"
    assert "'=Kopi" in row


def test_pipeline_resource_has_a_column_per_stage_in_programme_order():
    header = PipelineResource().get_export_headers()
    stage_columns = header[header.index("kabupaten") + 1 : header.index("progres")]
    assert stage_columns == [str(label) for label in StageKind.labels]


def test_producer_export_has_place_contact_and_product_count():
    producer = factories.producer(name="UMKM Madu", whatsapp="+6281234567890")
    factories.product(producer_=producer)
    factories.product(producer_=producer)
    dataset = ProducerResource().export(type(producer).objects.filter(pk=producer.pk))
    rows = csv_rows(SafeCSV().export_data(dataset))
    header, row = rows
    assert row[header.index("nama UMKM")] == "UMKM Madu"
    assert row[header.index("nomor WhatsApp")] == "'+6281234567890"  # a leading + is a formula trigger
    assert row[header.index("jumlah produk")] == "2"
    assert row[header.index("kabupaten")] == producer.village.district.regency.name


def test_export_is_refused_to_staff_who_cannot_view_products():
    client = Client()
    client.force_login(backoffice.staff(None))
    assert client.get(reverse("admin:catalogue_product_export")).status_code == 403
    assert client.get(reverse("admin:catalogue_producer_export")).status_code == 403
