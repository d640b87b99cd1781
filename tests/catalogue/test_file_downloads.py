"""Each download of a certificate scan or stage evidence is recorded (who, when, which file) and shown
to Admin PMD alone, read-only, in the admin (issue 10)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from catalogue.models import FileDownload, Stage, StageKind
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db


def client_for(group: str, **kwargs) -> tuple[Client, object]:
    user = backoffice.staff(group, **kwargs)
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def files():
    product = factories.product()
    cert = backoffice.certificate(product)
    cert.scan.save("bpom.pdf", ContentFile(backoffice.pdf_bytes()), save=True)
    stage = Stage.objects.get(product=product, kind=StageKind.QUALITY)
    stage.evidence.save("uji-lab.png", ContentFile(backoffice.image_bytes()), save=True)
    return {"scan": cert.scan.name, "evidence": stage.evidence.name}


def download(client: Client, path: str):
    response = client.get(reverse("catalogue:private_file", kwargs={"path": path}))
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def test_a_partner_downloading_a_scan_and_evidence_is_recorded(files):
    client, partner = client_for(MITRA, username="bpom-kupang")
    assert download(client, files["scan"]).status_code == 200
    assert download(client, files["evidence"]).status_code == 200
    records = list(FileDownload.objects.order_by("pk"))
    assert [(r.user, r.username, r.path) for r in records] == [
        (partner, "bpom-kupang", files["scan"]),
        (partner, "bpom-kupang", files["evidence"]),
    ]
    assert [r.kind for r in records] == ["sertifikat", "bukti"]
    assert all(r.downloaded_at for r in records)


def test_a_refused_or_missing_file_records_nothing(files):
    client, _ = client_for(MITRA)
    assert download(client, "sertifikat/999/tidak-ada.pdf").status_code == 404
    assert download(client, "lain/x.pdf").status_code == 404
    assert download(Client(), files["scan"]).status_code == 302  # to the sign-in page
    assert not FileDownload.objects.exists()


def test_admin_pmd_sees_the_log_in_the_admin(files):
    partner_client, _ = client_for(MITRA, username="bpom-kupang")
    download(partner_client, files["scan"])
    client, _ = client_for(ADMIN_PMD)
    html = client.get(reverse("admin:catalogue_filedownload_changelist")).content.decode()
    assert "bpom-kupang" in html and files["scan"] in html
    record = FileDownload.objects.get()
    page = client.get(reverse("admin:catalogue_filedownload_change", args=[record.pk]))
    assert page.status_code == 200
    assert "bpom-kupang" in page.content.decode()


def test_the_log_is_read_only_even_for_admin_pmd(files):
    partner_client, _ = client_for(MITRA)
    download(partner_client, files["scan"])
    record = FileDownload.objects.get()
    client, _ = client_for(ADMIN_PMD)
    assert client.get(reverse("admin:catalogue_filedownload_add")).status_code == 403
    delete = reverse("admin:catalogue_filedownload_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:catalogue_filedownload_change", args=[record.pk])
    client.post(change, {"path": "lain.pdf", "username": "orang-lain"})
    record.refresh_from_db()
    assert (record.path, FileDownload.objects.count()) == (files["scan"], 1)


@pytest.mark.parametrize("group", [PENDAMPING, MITRA])
def test_pendamping_and_partners_cannot_see_the_log(files, group):
    client, _ = client_for(group)
    download(client, files["scan"])
    assert client.get(reverse("admin:catalogue_filedownload_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:catalogue_filedownload_changelist") not in index
