"""The candidate import page (catalogue/admin/selection.py) works as the village import page does:
Admin PMD only, preview then confirm, the upload kept privately under a name only the server chose."""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING
from villages.importing import uploads
from villages.models import Candidate

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:villages_candidate_import")
CONFIRM = reverse("admin:villages_candidate_process_import")
GOOD = (
    "KODE_DESA;Komoditas;Tahun Angkatan;skor_pemetaan;skor_desa_satelit;skor_pembeli;skor_distribusi;"
    "skor_legalitas;catatan_pembeli\r\n53.01.04.2012;Madu hutan;2027;4;3;5;3;2;'=Toko Kupang\r\n"
).encode("cp1252")


def client_for(group: str) -> Client:
    client = Client()
    client.force_login(backoffice.staff(group))
    return client


def upload(client: Client, data: bytes):
    return client.post(IMPORT, {"format": "0", "import_file": SimpleUploadedFile("kandidat.csv", data)})


def confirm_fields(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(
        re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', html)
    )


def stored_copies() -> list[str]:
    folder = uploads.upload_folder()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def village():
    return factories.village("53.01.04.2012", "Hansisi")


def test_a_spreadsheet_file_goes_through_preview_then_confirm_and_its_copy_is_deleted(village):
    client = client_for(ADMIN_PMD)
    preview = upload(client, GOOD)
    html = preview.content.decode()
    assert "1 baru, 0 diperbarui, 0 tidak berubah" in html
    fields = confirm_fields(preview)
    assert stored_copies() == [fields["import_file_name"]]
    assert not Candidate.objects.exists()
    response = client.post(CONFIRM, fields, follow=True)
    candidate = Candidate.objects.get()
    assert (candidate.pembeli_score, candidate.pembeli_note) == (5, "=Toko Kupang")
    assert stored_copies() == []
    assert any("1 baru, 0 diperbarui" in str(m) for m in response.context["messages"])
    entry = LogEntry.objects.get(content_type__model="candidate")
    assert entry.object_repr == "kandidat.csv" and "1 baru" in entry.change_message


def test_the_import_page_names_the_candidate_columns():
    html = client_for(ADMIN_PMD).get(IMPORT).content.decode()
    assert "kode_desa,komoditas,tahun_angkatan,skor_pemetaan" in html
    assert "kode,nama" not in html  # the village import's formats are not offered here


def test_a_refused_file_lists_each_problem_by_line_and_column_and_leaves_no_copy(village):
    bad = GOOD + b"53.99.99.2999;Kopi;2027;3;3;3;3;7;\r\n"
    html = upload(client_for(ADMIN_PMD), bad).content.decode()
    assert "Berkas ditolak: 1 baris bermasalah. Tidak ada yang disimpan." in html
    assert "Desa dengan kode 53.99.99.2999 belum ada" in html
    assert "Skor harus 1 sampai 5, bukan 7." in html
    assert 'name="confirm"' not in html
    assert stored_copies() == []
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("name", ["victim.csv", "../victim.csv", "/etc/passwd"])
def test_a_confirmation_naming_another_file_answers_400_without_touching_it(village, name):
    folder = uploads.upload_folder()
    folder.mkdir(parents=True)
    (folder / "victim.csv").write_bytes(GOOD)
    response = client_for(ADMIN_PMD).post(
        CONFIRM, {"import_file_name": name, "original_file_name": "x.csv", "format": "0", "resource": "0"}
    )
    assert response.status_code == 400
    assert (folder / "victim.csv").read_bytes() == GOOD
    assert not Candidate.objects.exists()


def test_a_confirmation_refused_because_the_data_changed_writes_nothing(village):
    client = client_for(ADMIN_PMD)
    fields = confirm_fields(upload(client, GOOD))
    village.delete()
    response = client.post(CONFIRM, fields, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT
    assert any("tidak ada yang disimpan" in str(m) for m in response.context["messages"])
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("group", [PENDAMPING, MITRA])
def test_only_admin_pmd_may_import_candidates(village, group):
    client = client_for(group)
    assert client.get(IMPORT).status_code == 403
    assert client.post(CONFIRM, {"import_file_name": "x", "format": "0"}).status_code == 403
    changelist = reverse("admin:villages_candidate_changelist")
    assert IMPORT not in client.get(changelist).content.decode()
    assert IMPORT in client_for(ADMIN_PMD).get(changelist).content.decode()


def test_a_new_candidate_preview_purges_copies_older_than_an_hour(village):
    stale = uploads.PrivateUploadStorage(read_mode="rb")
    stale.save(GOOD)
    os.utime(stale.path, (0, 0))
    upload(client_for(ADMIN_PMD), GOOD)
    assert stale.name not in stored_copies()
