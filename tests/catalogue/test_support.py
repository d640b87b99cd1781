"""The support pipeline: stages, their history, progress figures, and evidence files."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalogue import documents
from catalogue.models import Product, Stage, StageChange, StageKind, StageStatus
from catalogue.models.support import private_storage
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db


def stage(product, kind=StageKind.PACKAGING) -> Stage:
    return Stage.objects.get(product=product, kind=kind)


# --- history --------------------------------------------------------------------------------------


def test_change_status_records_who_when_from_to_and_why():
    officer = backoffice.staff(backoffice.PENDAMPING)
    packaging = stage(factories.product())
    assert packaging.change_status(to=StageStatus.IN_PROGRESS, by=officer, note="Desain kemasan dimulai")
    assert packaging.status == StageStatus.IN_PROGRESS
    (change,) = StageChange.objects.filter(stage=packaging)
    assert (change.from_status, change.to_status) == (StageStatus.NOT_STARTED, StageStatus.IN_PROGRESS)
    assert change.changed_by == officer
    assert change.note == "Desain kemasan dimulai"
    assert abs(timezone.now() - change.changed_at) < datetime.timedelta(seconds=5)


def test_changing_to_the_same_status_again_writes_no_history():
    packaging = stage(factories.product())
    assert not packaging.change_status(to=StageStatus.NOT_STARTED, by=None)
    assert not StageChange.objects.exists()


def test_successive_changes_are_recorded_in_order():
    officer = backoffice.staff(backoffice.ADMIN_PMD)
    packaging = stage(factories.product())
    packaging.change_status(to=StageStatus.SUBMITTED, by=officer, note="Diajukan ke percetakan")
    packaging.change_status(to=StageStatus.DONE, by=officer)
    steps = list(
        StageChange.objects.filter(stage=packaging).order_by("pk").values_list("from_status", "to_status")
    )
    assert steps == [
        (StageStatus.NOT_STARTED, StageStatus.SUBMITTED),
        (StageStatus.SUBMITTED, StageStatus.DONE),
    ]


def test_saving_a_stage_never_moves_its_status_behind_the_historys_back():
    packaging = stage(factories.product())
    packaging.status = StageStatus.DONE
    packaging.note = "Catatan baru"
    packaging.save()
    packaging.refresh_from_db()
    assert (packaging.status, packaging.note) == (StageStatus.NOT_STARTED, "Catatan baru")
    assert not StageChange.objects.exists()


def test_a_bulk_update_of_the_status_is_refused():
    packaging = stage(factories.product())
    with pytest.raises(TypeError):
        Stage.objects.filter(pk=packaging.pk).update(status=StageStatus.DONE)
    packaging.refresh_from_db()
    assert packaging.status == StageStatus.NOT_STARTED


def test_saving_other_fields_writes_no_history():
    packaging = stage(factories.product())
    packaging.note = "Catatan baru"
    packaging.target_date = datetime.date(2026, 12, 1)
    packaging.save()
    packaging.refresh_from_db()
    assert packaging.target_date == datetime.date(2026, 12, 1)
    assert not StageChange.objects.exists()


def test_done_stage_gets_its_completion_date_in_wita():
    packaging = stage(factories.product())
    packaging.change_status(to=StageStatus.DONE, by=None)
    packaging.refresh_from_db()
    assert packaging.completed_on == timezone.localdate()


def test_bulk_change_status_writes_one_history_row_per_changed_stage():
    officer = backoffice.staff(backoffice.ADMIN_PMD)
    first, second, third = factories.product(), factories.product(), factories.product()
    stage(third, StageKind.HALAL).change_status(to=StageStatus.DONE, by=officer)
    changed = Stage.objects.filter(product__in=[first, second, third], kind=StageKind.HALAL).change_status(
        to=StageStatus.DONE, by=officer, note="Sertifikat terbit serentak"
    )
    assert changed == 2
    bulk_rows = StageChange.objects.filter(note="Sertifikat terbit serentak")
    assert sorted(bulk_rows.values_list("stage__product", flat=True)) == sorted([first.pk, second.pk])
    assert set(bulk_rows.values_list("changed_by", flat=True)) == {officer.pk}
    assert Stage.objects.filter(kind=StageKind.HALAL, status=StageStatus.DONE).count() == 3
    assert set(Stage.objects.filter(kind=StageKind.HALAL).values_list("completed_on", flat=True)) == {
        timezone.localdate()
    }


def test_unknown_status_is_refused():
    packaging = stage(factories.product())
    with pytest.raises(ValueError):
        packaging.change_status(to="hampir", by=None)
    with pytest.raises(ValueError):
        Stage.objects.filter(pk=packaging.pk).change_status(to="hampir", by=None)
    assert not StageChange.objects.exists()


# --- progress -------------------------------------------------------------------------------------


def test_pipeline_progress_counts_done_out_of_applicable_stages():
    product = factories.product()
    for kind in StageKind.values[:9]:
        stage(product, kind).change_status(to=StageStatus.DONE, by=None)
    annotated = Product.objects.with_pipeline_progress().get(pk=product.pk)
    assert annotated.pipeline_progress == "9/14 selesai"
    stage(product, StageKind.HALAL).change_status(to=StageStatus.NOT_APPLICABLE, by=None)
    annotated = Product.objects.with_pipeline_progress().get(pk=product.pk)
    assert (annotated.stages_done, annotated.stages_applicable) == (9, 13)
    assert annotated.pipeline_progress == "9/13 selesai"
    assert Product.objects.get(pk=product.pk).pipeline_progress == "9/13 selesai"  # without annotations


def test_next_due_stage_is_the_earliest_target_then_the_programme_order():
    product = factories.product()
    stage(product, StageKind.MAPPING).change_status(to=StageStatus.DONE, by=None)
    annotated = Product.objects.with_pipeline_progress().get(pk=product.pk)
    assert annotated.next_stage_kind == StageKind.SATELLITES
    assert annotated.next_stage_target is None
    qris = stage(product, StageKind.QRIS)
    qris.target_date = datetime.date(2026, 3, 1)
    qris.save()
    annotated = Product.objects.with_pipeline_progress().get(pk=product.pk)
    assert (annotated.next_stage_kind, annotated.next_stage_target) == (
        StageKind.QRIS,
        datetime.date(2026, 3, 1),
    )


def test_a_finished_pipeline_has_no_next_stage():
    product = factories.product()
    Stage.objects.filter(product=product).change_status(to=StageStatus.DONE, by=None)
    annotated = Product.objects.with_pipeline_progress().get(pk=product.pk)
    assert annotated.next_stage_kind is None
    assert annotated.pipeline_progress == "14/14 selesai"


def test_progress_for_a_list_is_one_query(django_assert_num_queries):
    for _ in range(5):
        factories.product()
    with django_assert_num_queries(1):
        figures = [product.pipeline_progress for product in Product.objects.with_pipeline_progress()]
    assert figures == ["0/14 selesai"] * 5


# --- evidence files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("izin.pdf", backoffice.pdf_bytes(), "pdf"),
        ("foto.jpg", backoffice.image_bytes("JPEG"), "jpeg"),
        ("pindaian.png", backoffice.image_bytes("PNG"), "png"),
        ("tanpa-ekstensi", backoffice.pdf_bytes(), "pdf"),
    ],
)
def test_evidence_is_recognised_by_content(name, content, kind):
    assert documents.document_kind(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("surat.pdf", b"MZ\x90\x00 this is an executable", "document_kind", "bukan PDF, JPEG atau PNG"),
        ("catatan.pdf", b"hanya teks biasa", "document_kind", "bukan PDF, JPEG atau PNG"),
        ("animasi.png", backoffice.image_bytes("GIF"), "document_kind", "bukan PDF, JPEG atau PNG"),
        ("rusak.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "document_image", "Gambar ini rusak"),
        ("rusak.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 10, "document_image", "Gambar ini rusak"),
        (
            "terpotong.pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\n",
            "document_pdf_truncated",
            "PDF ini tidak lengkap",
        ),
    ],
)
def test_evidence_that_is_not_really_pdf_jpeg_or_png_is_refused(name, content, code, message):
    with pytest.raises(ValidationError) as error:
        documents.validate_document_upload(SimpleUploadedFile(name, content))
    assert error.value.code == code
    assert message in error.value.messages[0]


def test_evidence_over_10_mb_is_refused_with_its_size():
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF")
    with pytest.raises(ValidationError) as error:
        documents.validate_document_upload(big)
    assert error.value.code == "document_too_large"
    assert "10 MB" in error.value.messages[0]


def test_stage_full_clean_refuses_a_renamed_file():
    packaging = stage(factories.product())
    packaging.evidence = SimpleUploadedFile("bukti.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as error:
        packaging.full_clean()
    assert "evidence" in error.value.message_dict


def test_evidence_is_stored_outside_media_root_and_linked_to_the_staff_view(settings):
    packaging = stage(factories.product())
    packaging.evidence.save("bukti.pdf", ContentFile(backoffice.pdf_bytes()))
    path = private_storage.path(packaging.evidence.name)
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert packaging.evidence.url == f"/dasbor/berkas/{packaging.evidence.name}"
    packaging.full_clean()  # a stored file is not read again


def test_a_stage_saved_after_a_bulk_change_keeps_the_new_status_and_its_one_history_row():
    packaging = stage(factories.product())  # read before the change: its status in memory is stale
    Stage.objects.filter(pk=packaging.pk).change_status(to=StageStatus.IN_PROGRESS, by=None)
    packaging.note = "tanpa ganti status"
    packaging.save()
    packaging.refresh_from_db()
    assert packaging.status == StageStatus.IN_PROGRESS
    assert StageChange.objects.filter(stage=packaging).count() == 1


@pytest.mark.parametrize(
    "active",
    [
        b"3 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj",
        b"3 0 obj << /S /J#61vaScript /JS (app.alert(1)) >> endobj",  # a name hiding a letter
        b"3 0 obj << /S /Launch /F (cmd.exe) >> endobj",
        b"4 0 obj << /EmbeddedFiles 5 0 R >> endobj",
    ],
)
def test_a_pdf_with_scripts_launch_actions_or_attachments_is_refused(active):
    content = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + active + b"\ntrailer << >>\n%%EOF\n"
    with pytest.raises(ValidationError) as error:
        documents.validate_document_upload(SimpleUploadedFile("izin.pdf", content))
    assert error.value.code == "document_pdf_active"
    assert "JavaScript" in error.value.messages[0]


def test_a_plain_pdf_mentioning_json_is_not_mistaken_for_a_script():
    content = b"%PDF-1.7\n1 0 obj << /Type /Catalog /JSON 1 >> endobj\n(teks /JSX)\ntrailer << >>\n%%EOF\n"
    assert documents.document_kind(SimpleUploadedFile("izin.pdf", content)) == "pdf"
