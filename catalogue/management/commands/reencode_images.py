"""Re-encode the product and producer images stored before uploads were re-encoded on save.

Each image whose name the server did not choose is read, re-encoded (catalogue/images.py: WebP,
upright, no metadata), stored under a new server-chosen name, and the original and its thumbnails
are deleted. Images already re-encoded are left alone, so a second run does nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db.models.fields.files import FieldFile

from catalogue import images, thumbnails
from catalogue.models import Producer, ProductImage


def stored_images():
    """Every stored image field file, product images and producer photos."""
    for image in ProductImage.objects.exclude(image="").order_by("pk").iterator():
        yield image.image
    for producer in Producer.objects.exclude(photo="").order_by("pk").iterator():
        yield producer.photo


def reencode_stored(field: FieldFile) -> None:
    """Replace one stored original with its re-encoded copy, then remove the original's files."""
    old_name, storage = field.name, field.storage
    with storage.open(old_name, "rb") as handle:
        field.save(old_name, handle, save=True)  # the field re-encodes and names it
    storage.delete(old_name)
    for variants in thumbnails.SIZES.values():
        for variant in variants:
            storage.delete(thumbnails.thumb_name(old_name, variant))


class Command(BaseCommand):
    help = "Encode ulang gambar produk dan foto produsen lama menjadi WebP tanpa metadata (sekali saja)."

    def handle(self, *args, **options) -> None:
        done = skipped = failed = 0
        for field in stored_images():
            if images.is_server_name(field.name):
                skipped += 1
                continue
            if not field.storage.exists(field.name):
                self.stderr.write(f"Berkas hilang, dilewati: {field.name}")
                failed += 1
                continue
            try:
                reencode_stored(field)
            except ValidationError:
                self.stderr.write(f"Bukan gambar yang sah, dilewati: {field.name}")
                failed += 1
                continue
            done += 1
        self.stdout.write(
            f"{done} gambar diencode ulang, {skipped} sudah bersih, {failed} dilewati karena rusak/hilang."
        )
