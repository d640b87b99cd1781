"""Strict CSV (issue 10, item 7): broken quoting and control characters are refused with their line
and column, and the dry run, the real import and the admin's preview refuse the same files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.villages.test_village_admin import IMPORT, staff_in
from villages import importing
from villages.importing import reader
from villages.models import Province, Village

pytestmark = pytest.mark.django_db

HEADER = b"kode,nama\n"
MAPPING_HEADER = (
    b"kode,komoditas,lokus_ovop,desa_satelit,skor_keberlanjutan,tanggal_pemetaan,petugas,lintang,bujur,"
    b"catatan\n"
)

# name -> (file, (line, column) of the problem, a word of the message)
MALFORMED = {
    "an unclosed quote swallowing the next rows": (
        HEADER + b'53,NTT\n53.01,"Kabupaten Kupang\n53.02,Kabupaten Lain\n53.03,"Kota Kupang"\n',
        (3, "nama"),
        "tidak ditutup",
    ),
    "an unclosed quote swallowing a row up to a later quote": (
        HEADER + b'53,NTT\n53.01,"Kabupaten Kupang\n53.02",Kabupaten Lain\n',
        (3, "nama"),
        "berlanjut ke baris berikutnya",
    ),
    "an unclosed quote at the end of the file": (
        HEADER + b'53,NTT\n53.01,"Kabupaten Kupang\n',
        (3, "nama"),
        "tidak ditutup",
    ),
    "text after a closing quote": (HEADER + b'53,"NTT"x\n', (2, "nama"), "sesudah tanda kutip"),
    "a NUL byte in a name": (HEADER + b"53,Nusa\x00Tenggara\n", (2, "nama"), "U+0000"),
    "an escape character in a code": (HEADER + b"5\x1b3,NTT\n", (2, "kode"), "U+001B"),
    "DEL in a name": (HEADER + b"53,NTT\x7f\n", (2, "nama"), "U+007F"),
    "a C1 control character in a name": (HEADER + "53,N\u0085TT\n".encode(), (2, "nama"), "U+0085"),
    "a vertical tab inside a name": (HEADER + b"53,Nusa\x0bTenggara\n", (2, "nama"), "U+000B"),
    "a tab inside a name": (HEADER + b"53,Nusa\tTenggara\n", (2, "nama"), "tab"),
    "a NUL byte in the header": (b"kode,na\x00ma\n53,NTT\n", (1, ""), "U+0000"),
}


def problem_places(report) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in report.problems]


@pytest.mark.parametrize(("data", "where", "words"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_is_refused_with_line_and_column(data, where, words):
    report = importing.import_file(data)
    assert not report.ok
    assert where in problem_places(report), report.problems
    assert any(words in p.message for p in report.problems), report.problems
    assert not Province.objects.exists()


@pytest.mark.parametrize(("data", "where", "words"), MALFORMED.values(), ids=MALFORMED.keys())
def test_the_dry_run_the_import_and_the_admin_preview_refuse_the_same_file(client, data, where, words):
    dry = importing.import_file(data, dry_run=True)
    real = importing.import_file(data)
    assert dry.problems == real.problems
    assert not dry.ok
    client.force_login(staff_in("Admin PMD"))
    response = client.post(
        IMPORT, {"format": "0", "import_file": SimpleUploadedFile("w.csv", data, "text/csv")}
    )
    html = response.content.decode()
    assert "Berkas ditolak" in html
    assert "process_import" not in html
    assert not Province.objects.exists()


def test_a_note_may_span_several_lines_inside_quotes():
    factories.village("53.01.04.2003", "Bokonusan")
    data = MAPPING_HEADER + b'53.01.04.2003,Garam,ya,,3,,,,,"Panen dua kali.\nJalan rusak saat hujan."\n'
    report = importing.import_file(data)
    assert report.ok, report.problems
    assert (
        Village.objects.get(code="53.01.04.2003").mapping_notes == "Panen dua kali.\nJalan rusak saat hujan."
    )


def test_other_mapping_cells_may_not_span_lines():
    factories.village("53.01.04.2003", "Bokonusan")
    data = MAPPING_HEADER + b'53.01.04.2003,"Garam\nlaut",ya,,3,,,,,\n'
    report = importing.import_file(data)
    assert problem_places(report) == [(2, "komoditas")]


def test_spaces_around_quoted_cells_and_doubled_quotes_are_fine():
    table = reader.read_table(HEADER + b' "53" , "Nusa ""Flobamora"" Tenggara"  \n')
    assert table.problems == []
    assert table.rows == [(2, ["53", 'Nusa "Flobamora" Tenggara'])]


def test_a_quote_inside_an_unquoted_cell_is_kept_as_text():
    table = reader.read_table(HEADER + b'53,Nusa "Tenggara\n')
    assert table.problems == []
    assert table.rows == [(2, ["53", 'Nusa "Tenggara'])]


def test_rows_from_a_spreadsheet_are_checked_the_same_way():
    table = reader.table_from_rows(["kode", "nama"], [["53", "Nusa\x00Tenggara"]])
    assert [(p.line, p.column) for p in table.problems] == [(2, "nama")]


def test_names_ending_in_an_apostrophe_do_not_hide_an_escaped_formula_elsewhere():
    # The 2025 list has hundreds of names such as `Kaliau''` at a line's end (an apostrophe, then
    # a carriage return, which is also a formula character): our apostrophe before `=` still goes.
    data = HEADER.replace(b"\n", b"\r\n") + b"53,Kaliau''\r\n53.01, '=1+1\r\n53.02,\"'@pagi\"\r\n"
    table = reader.read_table(data)
    assert table.rows == [(2, ["53", "Kaliau''"]), (3, ["53.01", "=1+1"]), (4, ["53.02", "@pagi"])]


def test_blanks_at_the_edges_of_cells_are_taken_off_on_every_line():
    data = HEADER + b"53,NTT \n  53.01,Kupang\n53.02 ,\xc2\xa0Soe\n53.03,Belu\n"
    table = reader.read_table(data)
    assert table.rows == [
        (2, ["53", "NTT"]),
        (3, ["53.01", "Kupang"]),
        (4, ["53.02", "Soe"]),
        (5, ["53.03", "Belu"]),
    ]
