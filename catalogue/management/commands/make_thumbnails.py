"""Make every product thumbnail ahead of time (pages also make missing ones, once, when first shown)."""

from django.core.management.base import BaseCommand

from catalogue import thumbnails
from catalogue.models import ProductImage


class Command(BaseCommand):
    help = "Buat semua thumbnail WebP gambar produk (kartu dan halaman produk) di MEDIA_ROOT/thumbs/."

    def handle(self, *args, **options) -> None:
        fields = [image.image for image in ProductImage.objects.only("image").iterator()]
        done = thumbnails.make_all(fields)
        self.stdout.write(f"{done}/{len(fields)} gambar punya semua thumbnail.")
