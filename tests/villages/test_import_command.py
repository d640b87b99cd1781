"""`manage.py import_villages PATH [--dry-run]`: summary, progress bar on a terminal, exit status."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from villages.models import District, Province, Regency, Village

pytestmark = pytest.mark.django_db

NTT_FILE = Path(__file__).resolve().parents[1] / "data" / "wilayah-ntt-2025.csv"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_villages", *args, stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def exit_status(monkeypatch, *args: str) -> int:
    """The status `python manage.py import_villages ...` ends with (run in this process)."""
    # run_from_argv closes every connection when it ends, which would end the test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    try:
        ManagementUtility(["manage.py", "import_villages", *args]).execute()
    except SystemExit as stop:
        return stop.code
    return 0


def counts() -> tuple[int, int, int, int]:
    return (
        Province.objects.count(),
        Regency.objects.count(),
        District.objects.count(),
        Village.objects.count(),
    )


def test_the_command_imports_the_ntt_file_and_prints_a_summary():
    out, _err = run(str(NTT_FILE))
    assert counts() == (1, 22, 315, 3442)
    assert "format: daftar wilayah Kemendagri (kode,nama) · UTF-8 · pemisah “,”" in out
    assert "desa/kelurahan: 3442 baru, 0 diperbarui, 0 tidak berubah" in out
    assert "Ringkasan: 3780 baru, 0 diperbarui, 0 tidak berubah, 0 galat" in out
    assert "[" not in out  # no progress bar when the output is not a terminal


def test_a_second_run_reports_every_row_unchanged():
    run(str(NTT_FILE))
    out, _err = run(str(NTT_FILE))
    assert "Ringkasan: 0 baru, 0 diperbarui, 3780 tidak berubah, 0 galat" in out


def test_a_progress_bar_is_drawn_on_a_terminal():
    terminal = Terminal()
    call_command("import_villages", str(NTT_FILE), stdout=terminal, stderr=io.StringIO(), no_color=True)
    output = terminal.getvalue()
    assert "\r[" in output
    assert "100%  3780/3780" in output


def test_a_dry_run_counts_but_writes_nothing():
    out, _err = run(str(NTT_FILE), "--dry-run")
    assert "Ringkasan: 3780 baru" in out
    assert "--dry-run" in out
    assert counts() == (0, 0, 0, 0)


def test_a_refused_file_lists_every_problem_writes_nothing_and_fails(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kode,nama\n53,Nusa Tenggara Timur\n53.01.04.20x3,Salah\n53.99.01,Yatim\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"2 baris bermasalah\. Tidak ada yang disimpan"):
        run(str(bad))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_villages", str(bad), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("baris 3, kolom kode: Kode “53.01.04.20x3” tidak sah")
    assert lines[1].startswith("baris 4, kolom kode: Induknya, kabupaten/kota 53.99")
    assert counts() == (0, 0, 0, 0)


def test_exit_status_is_zero_on_success_and_one_when_anything_is_refused(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,nama\n53.01.04.2003,Bokonusan\n", encoding="utf-8")  # parent missing
    assert exit_status(monkeypatch, str(bad)) == 1
    assert exit_status(monkeypatch, str(tmp_path / "missing.csv")) == 1
    assert exit_status(monkeypatch, str(NTT_FILE)) == 0
    assert "tidak ditemukan" in capsys.readouterr().err
