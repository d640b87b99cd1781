"""Checks for evidence files and certificate scans: PDF, JPEG or PNG, recognised by their content.

A file's name and the browser's content type are claims, not facts: a renamed executable called
`izin.pdf` must be refused. The first bytes decide the kind; images are then opened by Pillow so a
broken or hostile image (a decompression bomb) is refused too.
"""

from __future__ import annotations

import re
import warnings

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_PIXELS = 60_000_000

PDF = "pdf"
JPEG = "jpeg"
PNG = "png"

CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

MSG_TOO_LARGE = _("Ukuran berkas %(size)s MB melebihi batas 10 MB.")
MSG_WRONG_KIND = _(
    "Berkas ini bukan PDF, JPEG atau PNG (diperiksa dari isinya, bukan dari namanya). "
    "Unggah pindaian dalam salah satu format itu."
)
MSG_BROKEN_IMAGE = _(
    "Gambar ini rusak atau tidak dapat dibuka. Unggah ulang pindaiannya sebagai JPEG atau PNG."
)
MSG_PDF_TRUNCATED = _("Berkas PDF ini tidak lengkap (tidak ada penanda akhir %%EOF). Unggah ulang berkasnya.")
MSG_PDF_ACTIVE = _(
    "PDF ini berisi JavaScript, lampiran atau aksi otomatis, yang tidak diterima sebagai bukti. "
    "Simpan ulang sebagai PDF biasa (misalnya lewat Cetak → Simpan sebagai PDF), lalu unggah lagi."
)

# Names of PDF active content: scripts, launching programs, embedded files, Flash, XFA forms. A name may
# hide a letter as #xx (/J#61vaScript), so escapes are decoded before looking. Content inside
# compressed object streams is not inspected: this refuses the plain cases, it is not a PDF sanitizer.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()%]|$)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def sniff(head: bytes) -> str | None:
    """The document kind (`pdf`, `jpeg`, `png`) its first bytes announce, or None."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def _read_tail(upload: File, size: int | None, length: int = 2048) -> bytes:
    if size is not None and size > length:
        upload.seek(size - length)
    else:
        upload.seek(0)
    return upload.read(length)


def document_kind(upload: File) -> str:
    """Validate an uploaded evidence file or scan and return its kind; raise ValidationError if bad."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            MSG_TOO_LARGE, code="document_too_large", params={"size": f"{size / 1024 / 1024:.1f}"}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        kind = sniff(upload.read(16))
        if kind is None:
            raise ValidationError(MSG_WRONG_KIND, code="document_kind")
        if kind == PDF:
            if b"%%EOF" not in _read_tail(upload, size):
                raise ValidationError(MSG_PDF_TRUNCATED, code="document_pdf_truncated")
            upload.seek(0)
            if has_active_content(upload.read()):
                raise ValidationError(MSG_PDF_ACTIVE, code="document_pdf_active")
            return kind
        upload.seek(0)
        _verify_image(upload, kind)
        return kind
    finally:
        if hasattr(upload, "seek"):
            upload.seek(position)


def has_active_content(pdf: bytes) -> bool:
    """Whether a PDF names JavaScript, a launch action, embedded files, rich media or XFA."""
    names = _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), pdf)
    return _PDF_ACTIVE.search(names) is not None


def _verify_image(upload: File, kind: str) -> None:
    from PIL import Image  # on first use: Pillow is ~10 ms of every process's start-up otherwise

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_DOCUMENT_PIXELS or image.format != kind.upper():
                    raise ValidationError(MSG_BROKEN_IMAGE, code="document_image")
                image.verify()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(MSG_BROKEN_IMAGE, code="document_image") from None


def validate_document_upload(upload: File) -> None:
    """Model-field validator for evidence files and certificate scans.

    A file already in storage was checked when it was uploaded; only new uploads are read again, so
    saving a stage whose evidence is stored does not reopen (or fail on) the stored file.
    """
    if getattr(upload, "_committed", False) is True:
        return
    document_kind(upload)
