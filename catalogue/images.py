"""Upload checks for images, done by Pillow on the content, never trusting the file name."""

from __future__ import annotations

import warnings

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


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
