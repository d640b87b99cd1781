"""The village admin: who may import, upload → preview → confirm, refusals, and safe exports."""

from __future__ import annotations

import csv
import io
import os
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from villages import importing
from villages.importing import columns, uploads
from villages.models import District, Province, Regency, Village
from villages.resources import VillageResource

pytestmark = pytest.mark.django_db

NTT_FILE = Path(__file__).resolve().parents[1] / "data" / "wilayah-ntt-2025.csv"
CHANGELIST = "/admin/villages/village/"
IMPORT = "/admin/villages/village/import/"
CONFIRM = "/admin/villages/village/process_import/"
EXPORT = "/admin/villages/village/export/"


def staff_in(group_name: str):
    """A staff user of the group; viewing villages is given directly, importing only by the group."""
    user = get_user_model().objects.create_user(f"user-{group_name.lower().replace(' ', '-')}", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="villages", codename__in=["view_village", "change_village"]
        )
    )
    return user


@pytest.fixture
def admin_pmd(client):
    client.force_login(staff_in("Admin PMD"))
    return client


def counts() -> tuple[int, int, int, int]:
    return (
        Province.objects.count(),
        Regency.objects.count(),
        District.objects.count(),
        Village.objects.count(),
    )


def upload(client, data: bytes, name: str = "wilayah.csv"):
    return client.post(IMPORT, {"format": "0", "import_file": SimpleUploadedFile(name, data, "text/csv")})


def confirm_fields(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(
        re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', html)
    )


# ---- who may import ------------------------------------------------------------------------------


def test_only_the_admin_pmd_group_holds_the_import_permission():
    holders = Group.objects.filter(
        permissions__codename="import_village", permissions__content_type__app_label="villages"
    )
    assert list(holders.values_list("name", flat=True)) == ["Admin PMD"]


def test_admin_pmd_sees_the_import_button(admin_pmd):
    response = admin_pmd.get(CHANGELIST)
    assert response.status_code == 200
    assert IMPORT.encode() in response.content
    assert admin_pmd.get(IMPORT).status_code == 200


@pytest.mark.parametrize("group_name", ["Pendamping PMD", "Mitra"])
def test_other_staff_groups_see_no_import_button_and_may_not_import(client, group_name):
    client.force_login(staff_in(group_name))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert IMPORT.encode() not in response.content
    assert EXPORT.encode() in response.content
    assert client.get(IMPORT).status_code == 403
    assert upload(client, NTT_FILE.read_bytes()).status_code == 403
    assert (
        client.post(
            CONFIRM, {"import_file_name": "x", "original_file_name": "x.csv", "format": "0"}
        ).status_code
        == 403
    )
    assert counts() == (0, 0, 0, 0)


# ---- upload → preview → confirm ------------------------------------------------------------------


def test_the_ntt_file_goes_through_preview_then_confirm(admin_pmd):
    response = upload(admin_pmd, NTT_FILE.read_bytes(), "wilayah-ntt-2025.csv")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3780 baru, 0 diperbarui, 0 tidak berubah." in html
    assert html.count('<tr class="new">') == 3780
    assert counts() == (0, 0, 0, 0)  # the preview writes nothing

    response = admin_pmd.post(CONFIRM, confirm_fields(response), follow=True)
    assert counts() == (1, 22, 315, 3442)
    assert Village.objects.filter(kind=Village.Kind.KELURAHAN).count() == 305
    messages = [str(m) for m in response.context["messages"]]
    assert any("3780 baru, 0 diperbarui, 0 tidak berubah" in m for m in messages)
    entry = LogEntry.objects.get()
    assert entry.object_repr == "wilayah-ntt-2025.csv"
    assert "3780 baru" in entry.change_message


def test_the_preview_shows_a_changed_name_before_and_after(admin_pmd):
    importing.import_file(NTT_FILE)
    data = NTT_FILE.read_bytes().replace(b"53.01.04.2003,Bokonusan", b"53.01.04.2003,Bokonusan Baru")
    response = upload(admin_pmd, data)
    html = response.content.decode()
    assert "0 baru, 1 diperbarui, 3779 tidak berubah." in html
    assert "<del>Bokonusan</del> <ins>Bokonusan Baru</ins>" in html
    assert Village.objects.get(code="53.01.04.2003").name == "Bokonusan"
    admin_pmd.post(CONFIRM, confirm_fields(response))
    assert Village.objects.get(code="53.01.04.2003").name == "Bokonusan Baru"


def test_a_windows_1252_semicolon_file_imports_through_the_admin(admin_pmd):
    text = NTT_FILE.read_text(encoding="utf-8").replace(",", ";")
    response = upload(admin_pmd, text.encode("cp1252"))
    assert "Windows-1252, pemisah “;”" in response.content.decode()
    admin_pmd.post(CONFIRM, confirm_fields(response))
    assert counts() == (1, 22, 315, 3442)
    assert Village.objects.get(code="53.07.01.2021").name == "Regapu’u"


def test_a_bad_file_is_refused_with_every_problem_and_no_confirm_button(admin_pmd):
    importing.import_file(NTT_FILE)
    before = counts()
    data = b"kode,nama\n53.01.04.2099,Desa Baru\n53.01.04.20x3,Salah\n53.99.01,Yatim\n"
    response = upload(admin_pmd, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Berkas ditolak: 2 baris bermasalah. Tidak ada yang disimpan." in html
    assert re.search(r"<td>3</td>\s*<td>kode</td>\s*<td>Kode “53.01.04.20x3” tidak sah", html)
    assert re.search(r"<td>4</td>\s*<td>kode</td>\s*<td>Induknya, kabupaten/kota 53.99", html)
    assert "process_import" not in html
    assert counts() == before


def test_a_refusal_at_confirm_time_writes_nothing(admin_pmd):
    """The database may change between preview and confirm: the confirm re-checks every row."""
    factories.district("53.01.04", "Semau", regency_code="53.01")
    response = upload(admin_pmd, b"kode,nama\n53.01.04.2099,Desa Baru\n")
    fields = confirm_fields(response)
    District.objects.filter(code="53.01.04").delete()
    response = admin_pmd.post(CONFIRM, fields, follow=True)
    assert not Village.objects.exists()
    assert any("Impor dibatalkan" in str(m) for m in response.context["messages"])


# ---- export --------------------------------------------------------------------------------------


def export(client, file_format: int) -> bytes:
    """Export every field the resource offers (its own list: a new column needs no change here)."""
    fields = {f"villageresource_{name}": "on" for name in VillageResource().get_export_order()}
    response = client.post(EXPORT, {"format": str(file_format), "resource": "0", **fields})
    assert response.status_code == 200, response.content[:500]
    return response.content


@pytest.fixture
def risky_village():
    satellite = factories.village("53.01.04.2004", "Uiasa")
    village = factories.village(
        "53.01.04.2003",
        "Bokonusan",
        is_ovop_locus=True,
        commodity='=HYPERLINK("http://contoh.invalid","klik")',
        mapped_by="@SUM(A1)",
        mapping_notes="+62 812 0000",
        raw_material_notes="-rumput laut",
        latitude=Decimal("-10.2"),
        longitude=Decimal("123.5"),
        sustainability_score=4,
    )
    village.satellite_villages.add(satellite)
    return village


def test_csv_export_escapes_formulas_but_keeps_numbers(admin_pmd, risky_village):
    rows = {row["kode"]: row for row in csv.DictReader(io.StringIO(export(admin_pmd, 0).decode("utf-8-sig")))}
    row = rows["53.01.04.2003"]
    assert row["komoditas"] == '\'=HYPERLINK("http://contoh.invalid","klik")'
    assert row["petugas"] == "'@SUM(A1)"
    assert row["catatan"] == "'+62 812 0000"
    assert row["catatan_bahan_baku"] == "'-rumput laut"
    assert row["lintang"] == "-10.200000"
    assert (row["lokus_ovop"], row["desa_satelit"], row["kabupaten_kota"]) == (
        "ya",
        "53.01.04.2004",
        "Kabupaten 53.01",
    )


def test_xlsx_export_escapes_formulas(admin_pmd, risky_village):
    sheet = openpyxl.load_workbook(io.BytesIO(export(admin_pmd, 1))).active
    header = [cell.value for cell in sheet[1]]
    row = next(
        [cell.value for cell in r] for r in sheet.iter_rows(min_row=2) if r[0].value == "53.01.04.2003"
    )
    values = dict(zip(header, row, strict=True))
    assert values["komoditas"].startswith("'=HYPERLINK")
    assert values["petugas"] == "'@SUM(A1)"
    assert float(values["lintang"]) == -10.2


def test_an_exported_file_imports_again_unchanged(admin_pmd, risky_village):
    report = importing.import_file(export(admin_pmd, 0))
    assert report.ok, report.problems
    assert report.format == columns.FORMAT_MAPPING
    assert (report.updated, report.unchanged) == (0, 2)
    assert Village.objects.get(code="53.01.04.2003").commodity.startswith("=HYPERLINK")


# ---- the temporary copy between preview and confirm (issue 10, item 6) ---------------------------


def stored_copies() -> list[str]:
    folder = uploads.upload_folder()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_the_confirmation_deletes_the_copy_the_preview_stored(admin_pmd):
    response = upload(admin_pmd, NTT_FILE.read_bytes())
    fields = confirm_fields(response)
    assert stored_copies() == [fields["import_file_name"]]
    admin_pmd.post(CONFIRM, fields)
    assert counts() == (1, 22, 315, 3442)
    assert stored_copies() == []


def test_a_refused_preview_leaves_no_copy_behind(admin_pmd):
    response = upload(admin_pmd, b"kode,nama\n53.01.04.20x3,Salah\n")
    assert "Berkas ditolak" in response.content.decode()
    assert stored_copies() == []


@pytest.mark.parametrize("name", ["victim.csv", "../victim.csv", "/tmp/victim.csv"])
def test_a_confirmation_naming_another_file_is_refused_without_reading_or_deleting_it(
    admin_pmd, tmp_path, name, monkeypatch
):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    secret = b"kode,nama\n53,RAHASIA baris pertama\n"
    folder = uploads.upload_folder()
    folder.mkdir(parents=True)
    targets = [folder / "victim.csv", folder.parent / "victim.csv", tmp_path / "victim.csv"]
    for target in targets:
        target.write_bytes(secret)
    response = admin_pmd.post(
        CONFIRM, {"import_file_name": name, "original_file_name": "x.csv", "format": "0", "resource": "0"}
    )
    assert response.status_code == 400
    assert "Nama berkas pratinjau tidak sah" in response.content.decode()
    assert b"RAHASIA" not in response.content
    assert all(target.read_bytes() == secret for target in targets)
    assert counts() == (0, 0, 0, 0)


def test_a_confirmation_of_a_used_or_expired_preview_asks_for_the_file_again(admin_pmd):
    response = upload(admin_pmd, NTT_FILE.read_bytes())
    fields = confirm_fields(response)
    admin_pmd.post(CONFIRM, fields)
    response = admin_pmd.post(CONFIRM, fields, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT
    assert any("kedaluwarsa atau sudah dipakai" in str(m) for m in response.context["messages"])


def test_a_new_preview_purges_copies_older_than_an_hour(admin_pmd):
    stale = uploads.PrivateUploadStorage(read_mode="rb")
    stale.save(b"kode,nama\n53,NTT\n")
    os.utime(stale.path, (0, 0))
    upload(admin_pmd, NTT_FILE.read_bytes())
    assert stale.name not in stored_copies()
