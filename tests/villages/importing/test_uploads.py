"""The admin import's temporary copies: private folder, server-chosen names, gone within the hour."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.exceptions import SuspiciousOperation
from django.core.management import call_command

from villages.importing import uploads


def stored(data: bytes = b"kode,nama\n53,NTT\n") -> uploads.PrivateUploadStorage:
    storage = uploads.PrivateUploadStorage(read_mode="rb")
    storage.save(data)
    return storage


def age(storage: uploads.PrivateUploadStorage, seconds: int) -> None:
    past = time.time() - seconds
    os.utime(storage.path, (past, past))


def test_a_copy_lives_in_the_private_folder_under_an_unguessable_name_only_its_owner_reads(settings):
    first, second = stored(), stored()
    assert first.path.parent == settings.PRIVATE_MEDIA_ROOT / "impor-sementara"
    assert first.name != second.name
    assert uploads.is_upload_name(first.name) and len(first.name) == 47
    assert first.path.stat().st_mode & 0o777 == 0o600
    assert first.path.parent.stat().st_mode & 0o777 == 0o700
    again = uploads.PrivateUploadStorage(name=first.name, read_mode="rb")
    assert again.read() == b"kode,nama\n53,NTT\n"
    again.remove()
    assert not first.path.exists()


@pytest.mark.parametrize(
    "name", ["../secret.csv", "/etc/passwd", "victim.csv", "a" * 43 + ".csv/../x", "", "a" * 42 + ".csv"]
)
def test_a_name_the_storage_did_not_choose_is_refused_before_any_file_is_touched(name):
    with pytest.raises(SuspiciousOperation):
        uploads.PrivateUploadStorage(name=name)


def test_purge_removes_copies_older_than_an_hour_and_keeps_fresh_ones():
    old, fresh = stored(), stored()
    age(old, 3601)
    age(fresh, 3500)
    assert uploads.purge_stale_uploads() == 1
    assert not old.path.exists()
    assert fresh.path.exists()


def test_purge_leaves_files_it_did_not_write_alone():
    folder = uploads.upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    other = folder / "catatan.txt"
    other.write_text("bukan salinan impor")
    os.utime(other, (0, 0))
    assert uploads.purge_stale_uploads(max_age=0) == 0
    assert other.exists()


def test_purge_without_a_folder_does_nothing():
    assert uploads.purge_stale_uploads() == 0


def test_the_command_purges_with_a_maximum_age():
    old = stored()
    age(old, 120)
    out = io.StringIO()
    call_command("purge_import_uploads", "--max-age", "60", stdout=out)
    assert not old.path.exists()
    assert "1 salinan sementara impor dihapus." in out.getvalue()
