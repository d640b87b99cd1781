"""A re-import checks every row against what the database holds now (issue 17): the fast comparison
of a whole level must still see one village an officer changed since, in any column it compares."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from villages import importing
from villages.models import District, Regency, Village

pytestmark = pytest.mark.django_db

NTT_FILE = Path(__file__).resolve().parents[2] / "data" / "wilayah-ntt-2025.csv"


def ntt_rows() -> list[tuple[str, str]]:
    with NTT_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(code, name) for code, name in reader]


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("kode", "nama"))
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def ntt():
    assert importing.import_file(NTT_FILE).ok


def counts(report) -> tuple[int, int, int]:
    return report.new, report.updated, report.unchanged


def test_a_name_an_officer_changed_since_is_put_back_by_the_re_import(ntt):
    Village.objects.filter(code="53.01.04.2003").update(name="Bokonusan (diubah petugas)")
    report = importing.import_file(NTT_FILE)
    assert counts(report) == (0, 1, 3779)
    assert Village.objects.get(code="53.01.04.2003").name == "Bokonusan"


def test_a_kind_changed_in_the_database_is_seen_and_put_back(ntt):
    Village.objects.filter(code="53.01.04.2003").update(kind=Village.Kind.KELURAHAN)
    Regency.objects.filter(code="53.71").update(kind=Regency.Kind.KABUPATEN)  # Kota Kupang
    report = importing.import_file(NTT_FILE)
    assert counts(report) == (0, 2, 3778)
    assert Village.objects.get(code="53.01.04.2003").kind == Village.Kind.DESA
    assert Regency.objects.get(code="53.71").kind == Regency.Kind.KOTA


def test_a_village_deleted_since_is_created_again(ntt):
    Village.objects.filter(code="53.01.04.2003").delete()
    report = importing.import_file(NTT_FILE)
    assert counts(report) == (1, 0, 3779)
    assert Village.objects.get(code="53.01.04.2003").district_id == "53.01.04"


def test_a_stored_name_holding_the_separators_of_the_comparison_is_not_taken_for_two_rows(ntt):
    # Two districts stored as one row whose name carries the next one inside it, separators and
    # all: joined, the stored names read as the file's, but there is one row fewer.
    first, second = District.objects.order_by("code")[:2]
    Village.objects.filter(district=second).update(district=first)
    District.objects.filter(code=second.code).delete()
    District.objects.filter(code=first.code).update(name=f"{first.name}\x1e{second.name}")
    report = importing.import_file(NTT_FILE)
    assert report.counts["kecamatan"].new == 1
    assert report.counts["kecamatan"].updated == 1
    assert District.objects.get(code=first.code).name == first.name


def test_a_file_in_another_order_is_still_found_unchanged(ntt):
    rows = ntt_rows()
    random.Random(17).shuffle(rows)
    report = importing.import_file(csv_bytes(rows))
    assert counts(report) == (0, 0, 3780)


def test_a_file_with_a_code_twice_is_checked_row_by_row_and_warned_about(ntt):
    rows = ntt_rows()
    report = importing.import_file(csv_bytes([*rows, rows[-1]]))
    assert report.ok
    assert counts(report) == (0, 0, 3780)
    assert report.warnings == [f"Baris {len(rows) + 2} mengulang baris {len(rows) + 1} dan dilewati."]
