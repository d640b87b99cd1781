"""The village import: real-world CSV forms, all-or-nothing validation, and bulk upserts."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from villages import importing
from villages.importing import columns, writers
from villages.models import District, Province, Regency, Village
from villages.signals import regions_imported

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data"
NTT_FILE = DATA / "wilayah-ntt-2025.csv"
SAMPLE_MAPPING = Path(__file__).resolve().parents[3] / "fixtures" / "mapped-villages-sample.csv"
MAPPING_HEADER = (
    "kode,komoditas,lokus_ovop,desa_satelit,skor_keberlanjutan,tanggal_pemetaan,petugas,lintang,bujur,catatan"
)


def ntt_rows() -> list[tuple[str, str]]:
    with NTT_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(code, name) for code, name in reader]


def write_csv(
    rows, *, header=("kode", "nama"), delimiter=",", quoting=csv.QUOTE_MINIMAL, newline="\r\n"
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def table_counts() -> dict[str, int]:
    return {
        "province": Province.objects.count(),
        "regency": Regency.objects.count(),
        "district": District.objects.count(),
        "village": Village.objects.count(),
        "satellite": Village.satellite_villages.through.objects.count(),
    }


def database_snapshot() -> dict[str, str]:
    snapshot = {}
    for model in (Province, Regency, District, Village):
        snapshot.update(dict(model.objects.values_list("code", "name")))
    return snapshot


@pytest.fixture
def ntt():
    report = importing.import_file(NTT_FILE)
    assert report.ok, report.problems[:3]
    return report


# ---- the NTT file --------------------------------------------------------------------------------


def test_ntt_file_imports_every_level_with_kinds_and_slugs(ntt):
    assert table_counts() == {"province": 1, "regency": 22, "district": 315, "village": 3442, "satellite": 0}
    assert Village.objects.filter(kind=Village.Kind.KELURAHAN).count() == 305
    assert Village.objects.filter(kind=Village.Kind.DESA).count() == 3137
    assert list(Regency.objects.filter(kind=Regency.Kind.KOTA).values_list("name", "slug")) == [
        ("Kota Kupang", "kota-kupang")
    ]
    assert Regency.objects.get(code="53.01").slug == "kabupaten-kupang"
    assert Regency.objects.values("slug").distinct().count() == 22
    assert (ntt.new, ntt.updated, ntt.unchanged) == (3780, 0, 0)
    assert ntt.counts["desa/kelurahan"].new == 3442


def test_reimporting_the_same_file_changes_nothing_and_reports_every_row_unchanged(ntt):
    before = database_snapshot()
    report = importing.import_file(NTT_FILE)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3780)
    assert database_snapshot() == before


def test_a_changed_name_updates_only_that_row(ntt):
    rows = [(code, "Bokonusan Baru" if code == "53.01.04.2003" else name) for code, name in ntt_rows()]
    report = importing.import_file(write_csv(rows).encode())
    assert (report.new, report.updated, report.unchanged) == (0, 1, 3779)
    assert Village.objects.get(code="53.01.04.2003").name == "Bokonusan Baru"
    assert Village.objects.get(code="53.01.04.2004").name == dict(ntt_rows())["53.01.04.2004"]


def test_a_regency_renamed_to_kota_becomes_a_kota_and_keeps_its_slug(ntt):
    rows = [(code, "Kota Soe" if code == "53.02" else name) for code, name in ntt_rows()]
    importing.import_file(write_csv(rows).encode())
    regency = Regency.objects.get(code="53.02")
    assert (regency.name, regency.kind, regency.slug) == (
        "Kota Soe",
        Regency.Kind.KOTA,
        "kabupaten-timor-tengah-selatan",
    )


def test_a_new_regency_whose_slug_is_taken_gets_its_code_appended():
    factories.regency("53.99", "Kabupaten Kupang")  # an older, differently coded record with that slug
    report = importing.import_file(b"kode,nama\n53,Nusa Tenggara Timur\n53.01,Kabupaten Kupang\n")
    assert report.ok
    assert Regency.objects.get(code="53.01").slug == "kabupaten-kupang-5301"


def test_parents_may_come_from_the_database():
    factories.district("53.01.04", "Semau", regency_code="53.01")
    report = importing.import_file(b"kode,nama\n53.01.04.2099,Desa Baru\n")
    assert report.ok
    assert Village.objects.get(code="53.01.04.2099").district_id == "53.01.04"


def test_a_desa_adat_code_is_a_desa():
    report = importing.import_file(
        b"kode,nama\n91,Papua\n91.03,Kabupaten Jayapura\n91.03.01,Sentani\n91.03.01.3007,Desa Adat Yoboi\n"
    )
    assert report.ok
    assert Village.objects.get(code="91.03.01.3007").kind == Village.Kind.DESA


def test_import_queries_grow_with_batches_not_rows(monkeypatch, ntt):
    monkeypatch.setattr(writers, "BATCH_SIZE", 250)
    rows = [(code, f"{name} X") for code, name in ntt_rows()]
    with CaptureQueriesContext(connection) as queries:
        report = importing.import_file(write_csv(rows).encode())
    assert report.updated == 3780
    # 1 province + 1 regency + 2 district + 14 village batches; each batch: select, update.
    assert report.batches == 18
    writes_and_reads = [
        q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(writes_and_reads) <= 3 * report.batches + 2


# ---- real-world file forms -----------------------------------------------------------------------


def _variants() -> dict[str, tuple[bytes, str, str]]:
    """Each variant: its bytes, and the encoding and delimiter the reader should detect."""
    rows = ntt_rows()
    spaced = "kode , nama \r\n" + "".join(f'  {code} ,  "{name}"  \r\n' for code, name in rows)
    return {
        "utf-8, LF": (write_csv(rows, newline="\n").encode(), "UTF-8", ","),
        "utf-8 with BOM, CRLF": (("\ufeff" + write_csv(rows)).encode(), "UTF-8 (BOM)", ","),
        "windows-1252, semicolons": (write_csv(rows, delimiter=";").encode("cp1252"), "Windows-1252", ";"),
        "semicolons, every cell quoted": (
            write_csv(rows, delimiter=";", quoting=csv.QUOTE_ALL).encode(),
            "UTF-8",
            ";",
        ),
        "stray spaces around quoted names": (spaced.encode(), "UTF-8", ","),
        "blank trailing lines": ((write_csv(rows) + "\r\n\r\n   \r\n").encode(), "UTF-8", ","),
        "utf-16 with tabs (Excel Unicode text)": (
            write_csv(rows, delimiter="\t").encode("utf-16"),
            "UTF-16",
            "\t",
        ),
    }


VARIANTS = _variants()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_encoding_and_delimiter_variant_gives_the_same_database(variant):
    data, encoding, delimiter = VARIANTS[variant]
    report = importing.import_file(data)
    assert report.ok, report.problems[:3]
    assert (report.encoding, report.delimiter, report.new) == (encoding, delimiter, 3780)
    assert database_snapshot() == dict(ntt_rows())
    assert Village.objects.get(code="53.07.01.2021").name == "Regapu’u"  # survives Windows-1252
    assert Village.objects.filter(kind=Village.Kind.KELURAHAN).count() == 305


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_quoted_name_with_a_comma_keeps_its_comma(delimiter):
    rows = [
        ("12", "Sumatera Utara"),
        ("12.07", "Kabupaten Deli Serdang"),
        ("12.07.28", "Lubuk Pakam"),
        ("12.07.28.1007", "Lubuk Pakam I,II"),
    ]
    report = importing.import_file(write_csv(rows, delimiter=delimiter).encode())
    assert report.ok
    assert Village.objects.get(code="12.07.28.1007").name == "Lubuk Pakam I,II"


def test_an_unquoted_comma_is_reported_with_a_hint_about_quotes():
    report = importing.import_file(b"kode,nama\n12,Sumatera Utara\n12.07,Kabupaten Deli Serdang,Lama\n")
    assert not report.ok
    assert report.problems[0].line == 3
    assert "tanda kutip" in report.problems[0].message


def test_a_file_in_no_known_encoding_is_refused_with_its_line():
    report = importing.import_file(b"kode,nama\n53,Nusa Tenggara Timur\n53.01,Kab\x81\xff\n")
    assert not report.ok
    assert report.problems[0].line == 3
    assert "UTF-8" in report.problems[0].message
    assert table_counts()["province"] == 0


def test_an_empty_file_and_a_header_only_file_are_refused():
    assert "kosong" in importing.import_file(b"").problems[0].message
    assert "tanpa baris data" in importing.import_file(b"kode,nama\r\n\r\n").problems[0].message


def test_an_unknown_header_names_both_formats():
    report = importing.import_file(b"id,label\n1,x\n")
    assert report.format is None
    assert "kode,nama" in report.problems[0].message


# ---- bad rows: every one reported, nothing written -----------------------------------------------

GOOD_EXTRA = "53.01.04.2099,Desa Baru Yang Sah\n53.01.04.2003,Nama Yang Diubah\n"

REGION_CASES = {
    "malformed code": ("53.01.04.20x3,Desa Salah\n", 4, "kode", "tidak sah"),
    "parent in neither the file nor the database": (
        "53.99.01,Kecamatan Hilang\n",
        4,
        "kode",
        "Induknya, kabupaten/kota 53.99, tidak ada di berkas maupun di basis data",
    ),
    "same code twice with different names": (
        "53.01.04.2099,Desa Lain\n",
        4,
        "nama",
        "sudah ada di baris 2 dengan nama lain",
    ),
    "empty name": ("53.01.04.2098,\n", 4, "nama", "Nama kosong"),
}


@pytest.mark.parametrize("case", list(REGION_CASES))
def test_each_bad_region_row_is_reported_and_nothing_is_written(ntt, case):
    bad_row, line, column, reason = REGION_CASES[case]
    before = table_counts()
    report = importing.import_file(("kode,nama\n" + GOOD_EXTRA + bad_row).encode())
    assert not report.ok
    assert [(p.line, p.column) for p in report.problems] == [(line, column)]
    assert reason in report.problems[0].message
    assert table_counts() == before
    assert Village.objects.get(code="53.01.04.2003").name == "Bokonusan"


def test_a_missing_required_column_is_reported_on_the_header_line(ntt):
    before = table_counts()
    report = importing.import_file(b"kode,name\n53.01.04.2099,Desa Baru\n")
    assert [(p.line, p.column) for p in report.problems] == [(1, "nama")]
    assert "Kolom wajib" in report.problems[0].message
    assert table_counts() == before


def _mapping_row(**cells) -> str:
    values = {
        "kode": "53.01.05.2011",
        "komoditas": "Rumput laut",
        "lokus_ovop": "ya",
        "desa_satelit": "53.01.05.1002",
        "skor_keberlanjutan": "4",
        "tanggal_pemetaan": "14/03/2025",
        "petugas": "Yohanes Nope",
        "lintang": "-10.3012",
        "bujur": "123.4725",
        "catatan": "Catatan",
    }
    values.update(cells)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values[c] for c in MAPPING_HEADER.split(","))
    return buffer.getvalue()


MAPPING_CASES = {
    "unknown satellite code": (
        {"desa_satelit": "53.01.05.1002|53.01.05.2999"},
        "desa_satelit",
        "53.01.05.2999",
    ),
    "malformed satellite code": ({"desa_satelit": "53.01.05.99"}, "desa_satelit", "tidak sah"),
    "score outside 1-5": ({"skor_keberlanjutan": "7"}, "skor_keberlanjutan", "1 sampai 5"),
    "impossible date": ({"tanggal_pemetaan": "31/02/2025"}, "tanggal_pemetaan", "tidak ada di kalender"),
    "unreadable date": ({"tanggal_pemetaan": "Maret 2025"}, "tanggal_pemetaan", "DD/MM/YYYY"),
    "latitude out of range": ({"lintang": "95"}, "lintang", "di luar rentang -90 sampai 90"),
    "longitude out of range": ({"bujur": "-181.5"}, "bujur", "di luar rentang -180 sampai 180"),
    "locus neither yes nor no": ({"lokus_ovop": "mungkin"}, "lokus_ovop", "ya atau tidak"),
    "village not in the database": ({"kode": "53.01.05.2999"}, "kode", "tidak ada di basis data"),
    "district code instead of a village code": ({"kode": "53.01.05"}, "kode", "tidak sah"),
}


@pytest.mark.parametrize("case", list(MAPPING_CASES))
def test_each_bad_mapping_row_is_reported_and_nothing_is_written(ntt, case):
    cells, column, reason = MAPPING_CASES[case]
    good = _mapping_row(kode="53.01.08.2010", komoditas="Garam", desa_satelit="")
    before = table_counts()
    report = importing.import_file((MAPPING_HEADER + "\n" + good + _mapping_row(**cells)).encode())
    assert not report.ok
    assert [(p.line, p.column) for p in report.problems] == [(3, column)]
    assert reason in report.problems[0].message
    assert table_counts() == before
    assert Village.objects.get(code="53.01.08.2010").commodity == ""


def test_a_missing_mapping_column_is_reported_on_the_header_line(ntt):
    header = MAPPING_HEADER.replace(",skor_keberlanjutan", "")
    report = importing.import_file(f"{header}\n53.01.05.2011,Rumput laut,ya,,14/03/2025,A,,,\n".encode())
    assert [(p.line, p.column) for p in report.problems] == [(1, "skor_keberlanjutan")]
    assert report.format == columns.FORMAT_MAPPING


def test_every_bad_row_is_reported_up_to_a_thousand_lines_with_a_count_of_the_rest():
    body = "".join(f"53.01.04.x{i:04d},Salah {i}\n" for i in range(1200))
    report = importing.import_file(("kode,nama\n" + body).encode())
    assert len({p.line for p in report.problems}) == 1000
    assert report.more_problem_lines == 200
    assert report.problem_line_count == 1200
    assert report.problems[0].line == 2
    assert table_counts()["village"] == 0


def test_a_dry_run_reports_changes_without_writing(ntt):
    rows = [(code, "Bokonusan Baru" if code == "53.01.04.2003" else name) for code, name in ntt_rows()]
    report = importing.import_file(write_csv(rows).encode(), dry_run=True, preview=10)
    assert (report.updated, report.unchanged) == (1, 3779)
    assert report.changes[0].before["nama"] == "Bokonusan"
    assert report.changes[0].after["nama"] == "Bokonusan Baru"
    assert Village.objects.get(code="53.01.04.2003").name == "Bokonusan"


# ---- the mapped-village format -------------------------------------------------------------------


def test_the_sample_mapping_imports_and_links_satellites(ntt):
    report = importing.import_file(SAMPLE_MAPPING)
    assert report.ok, report.problems[:3]
    assert report.format == columns.FORMAT_MAPPING
    assert report.updated == 9
    boti = Village.objects.get(code="53.02.10.2006")
    assert boti.is_ovop_locus
    assert boti.commodity == "Tenun ikat"
    assert boti.sustainability_score == 5
    assert boti.mapped_on == date(2025, 4, 2)
    assert boti.latitude == Decimal("-9.834000")
    assert set(boti.satellite_villages.values_list("code", flat=True)) == {
        "53.02.10.2001",
        "53.02.10.2002",
        "53.02.10.2003",
    }
    fatumnasi = Village.objects.get(code="53.02.12.2004")  # satellites separated by ';' in quotes
    assert set(fatumnasi.satellite_villages.values_list("code", flat=True)) == {
        "53.02.12.2001",
        "53.02.12.2005",
    }
    assert Village.objects.get(code="53.01.08.2010").mapped_on == date(2025, 3, 15)  # ISO date
    assert not Village.objects.get(code="53.02.10.2001").is_ovop_locus
    again = importing.import_file(SAMPLE_MAPPING)
    assert (again.updated, again.unchanged) == (0, 9)


def test_a_mapping_in_excel_indonesian_form_imports_the_same(ntt):
    text = (
        MAPPING_HEADER.replace(",", ";")
        + "\r\n"
        + '53.01.05.2011;Rumput laut;Ya;"53.01.05.1002;53.01.05.2003";4;14/03/2025;Yohanes Nope;'
        + '-10,3012;123,4725;"Panen; tiap 45 hari"\r\n'
    )
    report = importing.import_file(text.encode("cp1252"))
    assert report.ok, report.problems
    village = Village.objects.get(code="53.01.05.2011")
    assert (village.latitude, village.longitude) == (Decimal("-10.301200"), Decimal("123.472500"))
    assert village.mapping_notes == "Panen; tiap 45 hari"
    assert set(village.satellite_villages.values_list("code", flat=True)) == {
        "53.01.05.1002",
        "53.01.05.2003",
    }


def test_an_empty_satellite_cell_clears_the_satellites_and_empty_values_clear_fields(ntt):
    importing.import_file(SAMPLE_MAPPING)
    row = "53.02.10.2006,,tidak,,,,,,,\n"
    report = importing.import_file((MAPPING_HEADER + "\n" + row).encode())
    assert report.updated == 1
    boti = Village.objects.get(code="53.02.10.2006")
    assert (boti.is_ovop_locus, boti.commodity, boti.sustainability_score, boti.latitude) == (
        False,
        "",
        None,
        None,
    )
    assert boti.satellite_villages.count() == 0
    assert boti.raw_material_notes  # the optional column was absent: left as it was


# ---- what the import tells the apps that show places -----------------------------------------------


@pytest.fixture
def imported_signals():
    received = []

    def receiver(sender, report, **kwargs):
        received.append(report)

    regions_imported.connect(receiver)
    yield received
    regions_imported.disconnect(receiver)


def test_a_write_sends_regions_imported_with_its_report(imported_signals):
    report = importing.import_file(b"kode,nama\n53,Nusa Tenggara Timur\n")
    assert imported_signals == [report]


def test_a_dry_run_a_refusal_and_an_unchanged_import_send_nothing(imported_signals):
    importing.import_file(b"kode,nama\n53,Nusa Tenggara Timur\n", dry_run=True)
    importing.import_file(b"kode,nama\n53.99,Yatim\n")
    assert imported_signals == []
    importing.import_file(b"kode,nama\n53,Nusa Tenggara Timur\n")
    importing.import_file(b"kode,nama\n53,Nusa Tenggara Timur\n")
    assert len(imported_signals) == 1
