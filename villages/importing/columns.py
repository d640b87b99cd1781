"""The two import formats, told apart by their header, and the columns each one reads."""

from __future__ import annotations

from collections.abc import Sequence

from ..codes import Level

FORMAT_REGIONS = "wilayah"
FORMAT_MAPPING = "pemetaan"
FORMAT_LABELS = {
    FORMAT_REGIONS: "daftar wilayah Kemendagri (kode,nama)",
    FORMAT_MAPPING: "pemetaan desa PMD",
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
# Free text that may hold several lines (a quoted cell with line breaks); no other cell may.
MULTILINE_COLUMNS = frozenset({"catatan", "catatan_bahan_baku"})

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
