"""Uploaded images: checked by Pillow on the content, never trusting the file name, then re-encoded.

`validate_image_upload` refuses what is not a sane JPEG, PNG or WebP (a form error). `reencode`
decodes the accepted upload and writes a fresh WebP from its pixels alone: EXIF orientation applied,
every metadata block (EXIF with GPS position and camera, XMP, comments, ICC) and anything appended
after the image (a PDF glued to a PNG) left behind. `server_name` is the stored file's name: chosen
here, never taken from the upload. catalogue/fields.py applies both to every image field on save.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from PIL import Image

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Stored originals: at most this many pixels on the long side (the largest thumbnail is 1024 wide).
STORED_MAX_SIDE = 2560
STORED_QUALITY = 85
STORED_EXTENSION = ".webp"
_SERVER_NAME = re.compile(r"^[0-9a-f]{32}\.webp$")


def validate_image_upload(upload: File) -> None:
    """Refuse anything that is not a real JPEG, PNG or WebP of sane size.

    Runs for every upload before it is stored: a renamed PDF, a decompression bomb or a 50 MB photo
    becomes a form error, not a stored file or a 500.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("Ukuran gambar %(size)s MB melebihi batas 8 MB."),
            code="image_too_large",
            params={"size": f"{size / 1024 / 1024:.1f}"},
        )
    from PIL import Image  # on first use: Pillow is ~10 ms of every process's start-up otherwise

    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt = image.format
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("Gambar %(w)s×%(h)s piksel terlalu besar: paling banyak 40 megapiksel."),
                        code="image_too_many_pixels",
                        params={"w": width, "h": height},
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Gambar ditolak: ukurannya setelah dibuka terlalu besar (bom dekompresi)."),
            code="image_bomb",
        ) from None
    except Exception:
        raise ValidationError(
            _("Berkas ini bukan gambar yang sah. Unggah foto JPEG, PNG atau WebP."),
            code="image_invalid",
        ) from None
    finally:
        if hasattr(upload, "seek"):
            upload.seek(position)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Format gambar %(format)s tidak diterima. Gunakan JPEG, PNG atau WebP."),
            code="image_format",
            params={"format": fmt},
        )


def _decoded(upload) -> Image.Image:
    """The upload's first frame, decoded, with the decompression-bomb and size limits of the check."""
    from PIL import Image

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ALLOWED_FORMATS or image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValueError("not an accepted image")
            image.draft("RGB", (STORED_MAX_SIDE, STORED_MAX_SIDE))  # JPEG: decode at a reduced scale
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("Berkas ini bukan gambar yang sah. Unggah foto JPEG, PNG atau WebP."), code="image_invalid"
        ) from None
    return image


def reencode(upload) -> bytes:
    """A new WebP made from the upload's pixels only: upright (EXIF orientation applied), at most
    STORED_MAX_SIDE pixels on its long side, without any metadata or trailing bytes of the upload."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(_decoded(upload))
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=STORED_QUALITY, exif=b"", xmp=b"")
    return buffer.getvalue()


def server_name() -> str:
    """A fresh unguessable file name for a re-encoded image, e.g. `3f9c…e1.webp`."""
    return secrets.token_hex(16) + STORED_EXTENSION


def is_server_name(name: str) -> bool:
    """Whether a stored name was chosen by `server_name` (the image is already re-encoded)."""
    return bool(_SERVER_NAME.match(name.rpartition("/")[2]))
