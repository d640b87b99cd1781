"""The candidate import (villages/importing/candidates.py) follows the village import's rules: files as
spreadsheets write them, one bad row refuses the whole file with line and column, nothing written."""

from __future__ import annotations

import codecs

import pytest

from tests import factories
from villages.importing import columns
from villages.importing.candidates import import_candidates
from villages.models import Candidate, CandidateStatus, Criterion
from villages.signals import regions_imported

pytestmark = pytest.mark.django_db

HEADER = [
    "kode_desa",
    "komoditas",
    "tahun_angkatan",
    "diusulkan_oleh",
    *(f"{part}_{criterion}" for criterion in Criterion.values for part in ("skor", "catatan")),
]


def csv_text(*rows: list[str], header: list[str] = HEADER, delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(cells) for cells in (header, *rows)) + "\r\n"


def row(code: str = "53.01.04.2012", commodity: str = "Madu hutan", year: str = "2027", **cells) -> list[str]:
    values = {"kode_desa": code, "komoditas": commodity, "tahun_angkatan": year, "diusulkan_oleh": ""}
    for criterion in Criterion.values:
        values[f"skor_{criterion}"] = "3"
        values[f"catatan_{criterion}"] = ""
    values.update(cells)
    return [values[column] for column in HEADER]


@pytest.fixture
def villages():
    return factories.village("53.01.04.2012", "Hansisi"), factories.village("53.01.04.2013", "Huilelot")


def test_the_criteria_columns_are_the_models_criteria():
    assert tuple(Criterion.values) == columns.CANDIDATE_CRITERIA


def test_a_clean_file_writes_every_candidate_with_its_regency_and_scores(villages):
    report = import_candidates(
        csv_text(row(skor_pembeli="5"), row("53.01.04.2013", "Garam", diusulkan_oleh="Bappeda")).encode()
    )
    assert report.ok, report.problems
    assert report.new == 2
    honey = Candidate.objects.get(village_id="53.01.04.2012")
    assert (honey.commodity, honey.cohort_year, honey.pembeli_score) == ("Madu hutan", 2027, 5)
    assert honey.regency_id == villages[0].district.regency_id
    assert Candidate.objects.get(village_id="53.01.04.2013").proposed_by == "Bappeda"


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
        lambda text: text.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "windows-1252"],
)
def test_every_encoding_spreadsheets_write_gives_the_same_candidate(villages, encode):
    text = csv_text(row(commodity="Kopi arabika – Flores", diusulkan_oleh="Dinas PMD"), delimiter=";")
    report = import_candidates(encode(text))
    assert report.ok, report.problems
    assert report.delimiter == ";"
    assert Candidate.objects.get().commodity == "Kopi arabika – Flores"


def test_header_names_are_read_whatever_their_case_and_spacing(villages):
    header = [name.upper().replace("_", " ") if i % 2 else name.title() for i, name in enumerate(HEADER)]
    report = import_candidates(csv_text(row(), header=header).encode())
    assert report.ok, report.problems
    assert Candidate.objects.count() == 1


def test_the_apostrophe_our_exports_put_before_formula_like_text_is_taken_off(villages):
    report = import_candidates(csv_text(row(catatan_pembeli="'=pembeli tetap di Kupang")).encode())
    assert report.ok, report.problems
    assert Candidate.objects.get().pembeli_note == "=pembeli tetap di Kupang"


def test_a_note_may_span_lines_but_the_commodity_may_not(villages):
    note = row(catatan_pemetaan='"Hutan madu 40 ha.\r\nPanen dua kali setahun."')
    assert import_candidates(csv_text(note).encode()).ok
    assert Candidate.objects.get().pemetaan_note == "Hutan madu 40 ha.\r\nPanen dua kali setahun."
    Candidate.objects.all().delete()
    report = import_candidates(csv_text(row(commodity='"Madu\r\nhutan"')).encode())
    assert [(p.line, p.column) for p in report.problems] == [(2, "komoditas")]
    assert not Candidate.objects.exists()


def test_one_bad_row_refuses_the_whole_file_naming_each_line_and_column(villages):
    report = import_candidates(
        csv_text(
            row(),
            row("53.99.99.2999"),
            row("53.01.04.2013", skor_legalitas="9"),
            row("53.01.04.2013", year="dua ribu"),
            row(commodity=""),
        ).encode()
    )
    assert not report.ok
    assert [str(p) for p in report.problems] == [
        "baris 3, kolom kode_desa: Desa dengan kode 53.99.99.2999 belum ada: impor wilayahnya dulu.",
        "baris 4, kolom skor_legalitas: Skor harus 1 sampai 5, bukan 9.",
        "baris 5, kolom tahun_angkatan: Tahun angkatan harus bilangan bulat, bukan “dua ribu”.",
        "baris 6, kolom kode_desa: Desa 53.01.04.2012 tahun 2027 sudah ada di baris 2.",
        "baris 6, kolom komoditas: Wajib diisi.",
    ]
    assert not Candidate.objects.exists()


def test_a_missing_required_column_refuses_the_file(villages):
    header = [name for name in HEADER if name != "skor_legalitas"]
    cells = row()
    del cells[HEADER.index("skor_legalitas")]
    report = import_candidates(csv_text(cells, header=header).encode())
    assert [str(p) for p in report.problems] == [
        "baris 1, kolom skor_legalitas: Kolom wajib “skor_legalitas” tidak ada."
    ]
    assert not Candidate.objects.exists()


def test_a_dry_run_counts_without_writing(villages):
    report = import_candidates(csv_text(row()).encode(), dry_run=True)
    assert (report.ok, report.new) == (True, 1)
    assert not Candidate.objects.exists()


def test_a_re_import_updates_a_proposed_candidate_and_keeps_notes_of_absent_columns(villages):
    candidate = factories.candidate(villages[0], pemetaan_note="Catatan lama")
    header = [name for name in HEADER if not name.startswith("catatan_")]
    cells = [value for name, value in zip(HEADER, row(skor_pemetaan="5"), strict=True) if name in header]
    report = import_candidates(csv_text(cells, header=header).encode())
    assert (report.new, report.updated) == (0, 1)
    candidate.refresh_from_db()
    assert (candidate.pemetaan_score, candidate.pemetaan_note) == (5, "Catatan lama")
    again = import_candidates(csv_text(cells, header=header).encode())
    assert (again.updated, again.unchanged) == (0, 1)


def test_a_decided_candidate_is_never_changed_and_refuses_the_file(villages):
    decided = factories.candidate(villages[0], status=CandidateStatus.REJECTED)
    report = import_candidates(csv_text(row(skor_pemetaan="5"), row("53.01.04.2013")).encode())
    assert [(p.line, p.column) for p in report.problems] == [(2, "kode_desa")]
    assert "sudah Ditolak" in report.problems[0].message
    decided.refresh_from_db()
    assert decided.pemetaan_score == 3
    assert Candidate.objects.count() == 1


def test_a_candidate_import_leaves_the_public_place_pages_cache_alone(villages):
    received = []

    def receiver(sender, report, **kwargs):
        received.append(report)

    regions_imported.connect(receiver)
    try:
        report = import_candidates(csv_text(row()).encode())
    finally:
        regions_imported.disconnect(receiver)
    assert report.new == 1 and received == []  # written, but candidates show on no public page
