"""Product image thumbnails: WebP made once with Pillow and cached on disk, never per request.

A thumbnail lives at `MEDIA_ROOT/thumbs/<image name without extension>-<width>x<height>.webp`, so its
name is keyed by the original's name (Django gives every upload a unique name) and the size. The
first page that needs it makes it (or `manage.py make_thumbnails` does, ahead of time); a process
then checks once that the files exist and remembers the list (`_found`). Images are cropped to 4:3,
the shape of every card and of the gallery (squares for the small `thumb` of cart and order lines),
so pages can reserve the space (explicit width and height: no layout shift).

    {% load storefront %}{% product_image image "card" %}   → <img src srcset sizes width height …>

Card thumbnails are kept under 20 KB by lowering the WebP quality until they fit.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

THUMBS_DIR = "thumbs"


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    quality: int
    max_bytes: int


@dataclass(frozen=True)
class Thumbnail:
    url: str
    width: int
    height: int
    file: str  # absolute path on disk

    @property
    def path(self) -> Path:
        return Path(self.file)


CARD_MAX_BYTES = 20 * 1024
SIZES: dict[str, tuple[Variant, ...]] = {
    # Cards are about 150-280 CSS pixels wide (two a row on phones): 1x and 2x screens.
    "card": (Variant(320, 240, 72, CARD_MAX_BYTES), Variant(640, 480, 68, 2 * CARD_MAX_BYTES)),
    # A line of the cart, the checkout or the order page: a small square.
    "thumb": (Variant(96, 96, 72, 6 * 1024), Variant(192, 192, 68, 12 * 1024)),
    # The product page's gallery: full width on phones, half of the page on wide screens.
    "detail": (Variant(640, 480, 78, 90 * 1024), Variant(1024, 768, 75, 180 * 1024)),
}
SIZES_ATTR = {
    "card": "(min-width: 60rem) 17rem, (min-width: 37.5rem) 33vw, 50vw",
    "thumb": "4rem",
    "detail": "(min-width: 60rem) 36rem, 100vw",
}
MIN_QUALITY = 30


def thumb_name(image_name: str, variant: Variant) -> str:
    """`produk/2026/kopi.jpg` → `thumbs/produk/2026/kopi-320x240.webp` (plain string work: this runs
    for every card of every page, where pathlib's parsing would cost more than the disk check)."""
    folder, _, filename = image_name.rpartition("/")
    stem = filename.rpartition(".")[0] or filename
    prefix = f"{THUMBS_DIR}/{folder}/" if folder else f"{THUMBS_DIR}/"
    return f"{prefix}{stem}-{variant.width}x{variant.height}.webp"


def render_webp(source: Image.Image, variant: Variant) -> bytes:
    """Crop to the variant's shape, resize, and encode as WebP within its byte budget."""
    image = ImageOps.exif_transpose(source)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    image = ImageOps.fit(image, (variant.width, variant.height), Image.Resampling.LANCZOS)
    quality = variant.quality
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", quality=quality, method=6)
        data = buffer.getvalue()
        if len(data) <= variant.max_bytes or quality <= MIN_QUALITY:
            return data
        quality -= 8


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".webp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # mkstemp makes the file owner-only; a web server (nginx as www-data) must read it.
        os.chmod(temporary, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(temporary, path)  # another process making the same thumbnail is harmless
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _open_original(field: FieldFile) -> Image.Image:
    with field.storage.open(field.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    largest = max(variant.width for variants in SIZES.values() for variant in variants)
    image.draft("RGB", (largest, largest))  # JPEG: decode at a reduced scale, much faster
    image.load()
    return image


def thumbnails(field: FieldFile | None, size: str) -> list[Thumbnail]:
    """The thumbnails of one image for a size name (`card`, `detail`), made when missing.

    Returns [] when the original is missing or unreadable: the page shows a placeholder, not a 500,
    and for RETRY_UNREADABLE_SECONDS this process does not ask the storage for it again.
    """
    if not field or not field.name:
        return []
    root = os.fspath(settings.MEDIA_ROOT)
    key = (root, settings.MEDIA_URL, field.name, size)
    if (found := _found.get(key)) is not None:
        return list(found)
    if (since := _unreadable.get(key)) is not None and time.monotonic() - since < RETRY_UNREADABLE_SECONDS:
        return []
    made: list[Thumbnail] = []
    original: Image.Image | None = None
    for variant in SIZES[size]:
        name = thumb_name(field.name, variant)
        file = os.path.join(root, name)
        if not os.path.exists(file):
            try:
                if original is None:
                    original = _open_original(field)
                _write_atomically(Path(file), render_webp(original, variant))
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                logger.warning("Cannot make thumbnail %s: %s", name, error)
                _remember_unreadable(key)
                return []
        made.append(Thumbnail(settings.MEDIA_URL + name, variant.width, variant.height, file))
    _remember(key, made)
    return made


#: The thumbnails this process found or made, by (media root, media URL, image name, size): a page
#: of cards asked the disk 48 times per request, and built the same names, paths and URLs again, for
#: files that, once made, stay (an image stored anew gets a new name, and so new thumbnails).
_found: dict[tuple[str, str, str, str], tuple[Thumbnail, ...]] = {}
_FOUND_MAX = 100_000


#: Originals that could not be read (a lost file, a broken upload, the storage down), by the same
#: key, with when: without it, every card showing one asked the storage again and logged a warning on
#: every page, 24 times for a page of them. Tried again after a while: the file may come back, or
#: another server may have made the thumbnails meanwhile.
_unreadable: dict[tuple[str, str, str, str], float] = {}
RETRY_UNREADABLE_SECONDS = 300


def _remember(key: tuple[str, str, str, str], made: list[Thumbnail]) -> None:
    if len(_found) >= _FOUND_MAX:  # bounded: a catalogue's images, not every name ever asked
        _found.clear()
    _found[key] = tuple(made)
    _unreadable.pop(key, None)


def _remember_unreadable(key: tuple[str, str, str, str]) -> None:
    if len(_unreadable) >= _FOUND_MAX:
        _unreadable.clear()
    _unreadable[key] = time.monotonic()


def make_all(fields: list[FieldFile]) -> int:
    """Make every size of every image; returns how many images now have all their thumbnails."""
    return sum(1 for field in fields if all(thumbnails(field, size) for size in SIZES))
