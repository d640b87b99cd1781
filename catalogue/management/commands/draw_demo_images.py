"""`manage.py draw_demo_images`: the demo products' illustrated pictures (catalogue/illustrations.py).

    manage.py draw_demo_images --out /tmp/gambar   write <slug>.jpg for each of the 44 demo products
    manage.py draw_demo_images                     redraw the first image of the demo products loaded
                                                   in the database (an older demo site gets the new ones)

`manage.py load_demo` draws the same pictures for products that have no image yet.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from catalogue import demo


class Command(BaseCommand):
    help = "Menggambar ilustrasi produk demo (motif per kategori, tanpa teks)."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="Tulis berkas JPEG ke folder ini, bukan ke basis data.")

    def handle(self, *args, out: Path | None = None, **options):
        if out is None:
            count = demo.redraw_demo_images()
            self.stdout.write(self.style.SUCCESS(f"{count} gambar produk demo digambar ulang."))
            return
        out.mkdir(parents=True, exist_ok=True)
        specs = demo.demo_specs()
        for spec in specs:
            (out / f"{spec['slug']}.jpg").write_bytes(demo.draw_product_image(spec))
        self.stdout.write(self.style.SUCCESS(f"{len(specs)} gambar ditulis ke {out}."))
