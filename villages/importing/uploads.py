"""The admin import's temporary copies: private, unguessable, short-lived (issue 10, item 6).

django-import-export keeps the uploaded file between the preview and the confirmation, and the
confirmation names it in a form field (`import_file_name`) that the browser sends back. Its default
storage joins that field to the system's temporary folder, so a crafted name read, echoed and deleted
any file there. Here (`IMPORT_EXPORT_TMP_STORAGE_CLASS`-compatible, set on the village admin):

* the copy lives in a private folder (PRIVATE_MEDIA_ROOT/impor-sementara, mode 0700, never served);
* its name is 256 random bits the server chose; any other name is refused before a file is touched;
* it is deleted on confirmation, when the preview refuses the file, and by `purge_stale_uploads`
  after an hour at most (the `purge_import_uploads` command, and every new preview).
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from import_export.tmp_storages import BaseStorage

FOLDER_NAME = "impor-sementara"
MAX_AGE = 3600
_NAME = re.compile(r"[A-Za-z0-9_-]{43}\.csv")


def upload_folder() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / FOLDER_NAME


def is_upload_name(name: object) -> bool:
    """True for a name this storage could have chosen (no path, no other file)."""
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


class PrivateUploadStorage(BaseStorage):
    """import-export's temporary storage, in a private folder, under a name only the server chooses."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        if self.name is not None and not is_upload_name(self.name):
            raise SuspiciousOperation("import_file_name is not a name this storage chose")

    @property
    def path(self) -> Path:
        return upload_folder() / self.name

    def save(self, data: bytes | str) -> None:
        folder = upload_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.name = secrets.token_urlsafe(32) + ".csv"
        payload = data.encode(self.encoding or "utf-8") if isinstance(data, str) else data
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(payload)

    def read(self) -> bytes | str:
        data = self.path.read_bytes()
        return data if "b" in self.read_mode else data.decode(self.encoding or "utf-8")

    def remove(self) -> None:
        if self.name:
            self.path.unlink(missing_ok=True)


def remove_upload(name: object) -> None:
    """Delete one temporary copy by its name; anything that is not such a name is left alone."""
    if is_upload_name(name):
        (upload_folder() / name).unlink(missing_ok=True)


def purge_stale_uploads(max_age: int = MAX_AGE) -> int:
    """Delete the temporary copies older than `max_age` seconds; how many were deleted."""
    folder = upload_folder()
    if not folder.is_dir():
        return 0
    deadline = time.time() - max_age
    removed = 0
    for entry in folder.iterdir():
        if is_upload_name(entry.name) and entry.stat().st_mtime < deadline:
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
