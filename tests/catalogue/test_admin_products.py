"""The product admin PMD officers work in: list columns, filters, search, a fixed query budget,
stage history from every kind of change, certificates' verification, and the private files."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Certificate, Product, Stage, StageChange, StageKind, StageStatus
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalogue_product_changelist"


def client_for(group: str | None, **kwargs) -> tuple[Client, object]:
    user = backoffice.staff(group, **kwargs)
    client = Client()
    client.force_login(user)
    return client, user


def names(response) -> set[str]:
    return {product.name for product in response.context["cl"].result_list}


def stage(product: Product, kind: str) -> Stage:
    return Stage.objects.get(product=product, kind=kind)


# --- the list -------------------------------------------------------------------------------------


def test_list_shows_progress_next_stage_stock_and_published():
    product = factories.product(name="Kopi Bajawa", stock=17)
    for kind in StageKind.values[:9]:
        stage(product, kind).change_status(to=StageStatus.DONE, by=None)
    permit = stage(product, StageKind.PERMIT)
    permit.target_date = datetime.date(2026, 9, 30)
    permit.save()
    client, _ = client_for(PENDAMPING)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "9/14 selesai" in html
    assert "Izin edar (BPOM MD atau P-IRT) (target 30 Sep 2026)" in html
    assert ">17<" in html


def test_a_gtin_outside_gs1_indonesia_is_flagged_in_the_list_and_the_form():
    factories.product(name="Impor", gtin="4006381333931")
    factories.product(name="Lokal", gtin="8991002101234")
    client, _ = client_for(ADMIN_PMD)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "⚠ 4006381333931" in html
    assert "⚠ 8991002101234" not in html
    outside = Product.objects.get(name="Impor")
    change = client.get(reverse("admin:catalogue_product_change", args=[outside.pk])).content.decode()
    assert "tidak berprefiks 899" in change


def test_the_list_runs_the_same_number_of_queries_for_3_and_30_products(django_assert_max_num_queries):
    client, _ = client_for(ADMIN_PMD)

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(queries)

    for _ in range(3):
        factories.product()
    few = count_queries()
    for _ in range(27):
        factories.product()
    many = count_queries()
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(reverse(CHANGELIST))


def test_filter_by_regency_category_and_search_by_village():
    kupang = factories.product(
        name="Garam Kupang", producer_=factories.producer(village_=factories.village())
    )
    ngada_village = factories.village("53.09.01.2001", "Beiposo")
    ngada = factories.product(
        name="Kopi Ngada",
        producer_=factories.producer(village_=ngada_village),
        category=factories.category("Tenun"),
    )
    client, _ = client_for(MITRA)
    regency = ngada_village.district.regency
    assert names(client.get(reverse(CHANGELIST), {"kabupaten": regency.slug})) == {ngada.name}
    assert names(client.get(reverse(CHANGELIST), {"category__id__exact": ngada.category_id})) == {ngada.name}
    assert names(client.get(reverse(CHANGELIST), {"q": "Beiposo"})) == {ngada.name}
    assert names(client.get(reverse(CHANGELIST), {"q": kupang.producer.name})) == {kupang.name}


def test_filter_by_stage_and_status():
    done, _, other = factories.product(name="A"), factories.product(name="B"), factories.product(name="C")
    stage(done, StageKind.HALAL).change_status(to=StageStatus.DONE, by=None)
    stage(other, StageKind.BARCODE).change_status(to=StageStatus.DONE, by=None)
    client, _ = client_for(MITRA)
    both = {"tahap": StageKind.HALAL, "status_tahap": StageStatus.DONE}
    assert names(client.get(reverse(CHANGELIST), both)) == {"A"}
    assert names(client.get(reverse(CHANGELIST), {"status_tahap": StageStatus.DONE})) == {"A", "C"}
    assert names(client.get(reverse(CHANGELIST), {"tahap": StageKind.HALAL})) == {"B", "C"}  # still open


def test_filter_by_certificate_kind_and_expiring_soon():
    today = timezone.localdate()
    soon, later, none = (
        factories.product(name="Soon"),
        factories.product(name="Later"),
        factories.product(name="None"),
    )
    backoffice.certificate(
        soon,
        "bpom_md",
        "MD224510107115",
        issued_on=today - datetime.timedelta(days=400),
        expires_on=today + datetime.timedelta(days=20),
    )
    backoffice.certificate(later, "halal", "ID53110000123450224", issued_on=today)
    client, _ = client_for(PENDAMPING)
    assert names(client.get(reverse(CHANGELIST), {"sertifikat": "bpom_md"})) == {"Soon"}
    assert names(client.get(reverse(CHANGELIST), {"sertifikat": "tanpa"})) == {none.name}
    assert names(client.get(reverse(CHANGELIST), {"kedaluwarsa": "30"})) == {"Soon"}
    assert names(client.get(reverse(CHANGELIST), {"kedaluwarsa": "lewat"})) == set()


def test_producer_and_village_use_autocomplete():
    client, _ = client_for(PENDAMPING)
    product_form = client.get(reverse("admin:catalogue_product_add")).content.decode()
    assert "admin-autocomplete" in product_form and 'name="producer"' in product_form
    producer_form = client.get(reverse("admin:catalogue_producer_add")).content.decode()
    assert "admin-autocomplete" in producer_form and 'name="village"' in producer_form
    village = factories.village()
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": village.name[:5],
            "app_label": "catalogue",
            "model_name": "producer",
            "field_name": "village",
        },
    )
    assert found.status_code == 200
    assert village.code in found.content.decode()


# --- history from every kind of change ------------------------------------------------------------


def test_a_status_changed_in_the_product_inline_is_recorded_with_its_note():
    product = factories.product()
    client, officer = client_for(PENDAMPING)
    address = reverse("admin:catalogue_product_change", args=[product.pk])
    data = backoffice.form_data(client.get(address).content.decode(), "product_form")
    halal = stage(product, StageKind.HALAL)
    index = next(i for i in range(14) if data.get(f"stages-{i}-id") == str(halal.pk))
    data[f"stages-{index}-status"] = StageStatus.SUBMITTED
    data[f"stages-{index}-note"] = "Berkas diajukan ke BPJPH"
    response = client.post(address, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    (change,) = StageChange.objects.all()
    assert (change.stage, change.from_status, change.to_status) == (halal, "belum", "diajukan")
    assert (change.changed_by, change.note) == (officer, "Berkas diajukan ke BPJPH")
    page = client.get(address).content.decode()
    assert "Berkas diajukan ke BPJPH" in page and "Belum → Diajukan" in page


def test_a_status_changed_in_the_stage_form_is_recorded_with_the_change_note():
    product = factories.product()
    qris = stage(product, StageKind.QRIS)
    client, officer = client_for(PENDAMPING)
    address = reverse("admin:catalogue_stage_change", args=[qris.pk])
    data = backoffice.form_data(client.get(address).content.decode(), "stage_form")
    data.update({"status": StageStatus.DONE, "change_note": "QRIS Bank NTT aktif"})
    assert client.post(address, data).status_code == 302
    (change,) = StageChange.objects.all()
    assert (change.to_status, change.changed_by, change.note) == ("selesai", officer, "QRIS Bank NTT aktif")
    qris.refresh_from_db()
    assert qris.completed_on == timezone.localdate()


def test_the_bulk_action_asks_for_a_note_then_records_every_change():
    first, second, untouched = factories.product(), factories.product(), factories.product()
    client, officer = client_for(PENDAMPING)
    selected = {"action": "set_stage_status", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}
    form_page = client.post(reverse(CHANGELIST), selected)
    assert form_page.status_code == 200
    assert "Ubah status dan catat riwayat" in form_page.content.decode()
    missing_note = client.post(
        reverse(CHANGELIST),
        {**selected, "apply": "1", "kind": StageKind.BARCODE, "status": "selesai", "note": ""},
    )
    assert missing_note.status_code == 200 and not StageChange.objects.exists()
    done = client.post(
        reverse(CHANGELIST),
        {**selected, "apply": "1", "kind": StageKind.BARCODE, "status": "selesai", "note": "GS1 terbit"},
    )
    assert done.status_code == 302
    changes = StageChange.objects.filter(note="GS1 terbit", changed_by=officer, to_status="selesai")
    assert sorted(changes.values_list("stage__product", flat=True)) == sorted([first.pk, second.pk])
    assert stage(untouched, StageKind.BARCODE).status == StageStatus.NOT_STARTED


def test_partners_get_no_bulk_action_and_cannot_post_it():
    product = factories.product()
    client, _ = client_for(MITRA)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "set_stage_status" not in html
    client.post(
        reverse(CHANGELIST),
        {
            "action": "set_stage_status",
            ACTION_CHECKBOX_NAME: [product.pk],
            "apply": "1",
            "kind": StageKind.BARCODE,
            "status": "selesai",
            "note": "x",
        },
    )
    assert not StageChange.objects.exists()


# --- certificates ---------------------------------------------------------------------------------


def test_ticking_verified_stamps_the_officer_and_time():
    product = factories.product()
    client, officer = client_for(PENDAMPING)
    response = client.post(
        reverse("admin:catalogue_certificate_add"),
        {
            "product": product.pk,
            "kind": "bpom_md",
            "number": "BPOM RI MD 224510107115",
            "issued_on": "2026-02-01",
            "verified": "on",
        },
    )
    assert response.status_code == 302
    cert = Certificate.objects.get()
    assert (cert.number, cert.expires_on) == ("MD224510107115", datetime.date(2031, 2, 1))
    assert cert.verified_by == officer and cert.verified_at is not None


def test_a_pirt_whose_year_disagrees_is_refused_in_the_admin_with_the_message():
    product = factories.product()
    client, _ = client_for(PENDAMPING)
    response = client.post(
        reverse("admin:catalogue_certificate_add"),
        {
            "product": product.pk,
            "kind": "pirt",
            "number": "P-IRT No. 2153276010281-21",
            "issued_on": "2026-02-01",
        },
    )
    assert response.status_code == 200
    assert "menunjukkan masa berlaku sampai tahun 2021" in response.content.decode()
    assert not Certificate.objects.exists()


def test_unticking_verified_withdraws_it_from_the_shop():
    product = factories.product()
    cert = backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=timezone.localdate())
    client, _ = client_for(ADMIN_PMD)
    address = reverse("admin:catalogue_certificate_change", args=[cert.pk])
    data = backoffice.form_data(client.get(address).content.decode(), "certificate_form")
    assert data.get("verified") == "on"
    data.pop("verified")
    assert client.post(address, data).status_code == 302
    assert not Certificate.objects.public().exists()


# --- private files --------------------------------------------------------------------------------


def test_evidence_is_served_to_staff_who_may_view_stages_only():
    product = factories.product()
    evidence = stage(product, StageKind.QUALITY)
    evidence.evidence.save("uji-mutu.pdf", ContentFile(backoffice.pdf_bytes()))
    address = evidence.evidence.url
    mitra, _ = client_for(MITRA)
    response = mitra.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "private" in response["Cache-Control"]
    no_rights, _ = client_for(None)
    assert no_rights.get(address).status_code == 403
    assert Client().get(address).status_code == 302  # to the admin login
    assert mitra.get("/dasbor/berkas/bukti/999/x.pdf").status_code == 404
    assert mitra.get("/dasbor/berkas/../settings.py").status_code == 404


def test_a_read_only_product_page_with_evidence_and_scan_opens_for_partners():
    product = factories.product()
    stage(product, StageKind.QUALITY).evidence.save("uji.png", ContentFile(backoffice.image_bytes()))
    cert = backoffice.certificate(product, "halal", "ID53110000123450224", issued_on=timezone.localdate())
    cert.scan.save("halal.pdf", ContentFile(backoffice.pdf_bytes()))
    client, _ = client_for(MITRA)
    page = client.get(reverse("admin:catalogue_product_change", args=[product.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert cert.scan.url in html
    assert client.get(cert.scan.url).status_code == 200
    assert 'name="stages-0-status"' not in html  # read-only


def test_a_renamed_file_uploaded_as_evidence_is_refused_in_the_stage_form():
    from django.core.files.uploadedfile import SimpleUploadedFile

    product = factories.product()
    quality = stage(product, StageKind.QUALITY)
    client, _ = client_for(PENDAMPING)
    address = reverse("admin:catalogue_stage_change", args=[quality.pk])
    data = backoffice.form_data(client.get(address).content.decode(), "stage_form")
    data["evidence"] = SimpleUploadedFile(
        "hasil-uji.pdf", b"MZ not really a pdf", content_type="application/pdf"
    )
    response = client.post(address, data)
    assert response.status_code == 200
    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    quality.refresh_from_db()
    assert not quality.evidence


def test_an_overdue_next_stage_is_marked_late():
    product = factories.product()
    mapping = stage(product, StageKind.MAPPING)
    mapping.target_date = timezone.localdate() - datetime.timedelta(days=3)
    mapping.save()
    client, _ = client_for(MITRA)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "⚠ Pemetaan potensi dan keberlanjutan bahan baku" in html and "terlambat" in html
