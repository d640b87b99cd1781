"""The two import formats, told apart by their header, and the columns each one reads."""

from __future__ import annotations

from collections.abc import Sequence

from ..codes import Level

FORMAT_REGIONS = "wilayah"
FORMAT_MAPPING = "pemetaan"
# Not told apart by detect_format: the candidate import has its own admin page and entry point.
FORMAT_CANDIDATES = "kandidat"
FORMAT_LABELS = {
    FORMAT_REGIONS: "daftar wilayah Kemendagri (kode,nama)",
    FORMAT_MAPPING: "pemetaan desa PMD",
    FORMAT_CANDIDATES: "kandidat desa OVOP",
}

REGION_COLUMNS = ("kode", "nama")
# The mapping format: every column below is required (a cell may be empty, which clears the value)
# except `catatan_bahan_baku`, which is left untouched when the column is absent.
MAPPING_COLUMNS = (
    "kode",
    "komoditas",
    "lokus_ovop",
    "desa_satelit",
    "skor_keberlanjutan",
    "tanggal_pemetaan",
    "petugas",
    "lintang",
    "bujur",
    "catatan",
)
MAPPING_OPTIONAL_COLUMNS = ("catatan_bahan_baku",)
# Columns an export carries for people to read; an import accepts and ignores them.
INFORMATIONAL_COLUMNS = ("nama", "jenis", "kecamatan", "kabupaten_kota", "provinsi")
# The candidate import (candidates.py): one row per village and cohort year, a score 1-5 and a note
# per selection criterion (the values of villages.models.Criterion, written out: no model import here).
CANDIDATE_CRITERIA = ("pemetaan", "desa_satelit", "pembeli", "distribusi", "legalitas")
CANDIDATE_COLUMNS = (
    "kode_desa",
    "komoditas",
    "tahun_angkatan",
    *(f"skor_{criterion}" for criterion in CANDIDATE_CRITERIA),
)
CANDIDATE_NOTE_COLUMNS = tuple(f"catatan_{criterion}" for criterion in CANDIDATE_CRITERIA)
CANDIDATE_OPTIONAL_COLUMNS = ("diusulkan_oleh", *CANDIDATE_NOTE_COLUMNS)
# Free text that may hold several lines (a quoted cell with line breaks); no other cell may.
MULTILINE_COLUMNS = frozenset({"catatan", "catatan_bahan_baku", *CANDIDATE_NOTE_COLUMNS})

LEVEL_NAMES = {
    Level.PROVINCE: "provinsi",
    Level.REGENCY: "kabupaten/kota",
    Level.DISTRICT: "kecamatan",
    Level.VILLAGE: "desa/kelurahan",
}


def detect_format(header: Sequence[str]) -> str | None:
    columns = set(header)
    if columns & (set(MAPPING_COLUMNS + MAPPING_OPTIONAL_COLUMNS) - {"kode"}):
        return FORMAT_MAPPING
    if columns & set(REGION_COLUMNS):
        return FORMAT_REGIONS
    return None
