from django.core.management.base import BaseCommand

from catalogue.campaign.agencies import load_agencies
from catalogue.demo import load_demo
from catalogue.models import Producer


class Command(BaseCommand):
    help = (
        "Memuat data demo: 22 kabupaten/kota, 44 desa lokus, 44 UMKM dan produknya (aman dijalankan ulang)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="Jangan membuat gambar produk.")

    def handle(self, *args, no_images: bool = False, **options):
        result = load_demo(with_images=not no_images)
        agencies = load_agencies()  # real data, not demo: the agencies of the Gerakan
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo siap: {result.regencies} kabupaten/kota, {result.villages} desa lokus, "
                f"{result.producers} UMKM, {result.products} produk, {result.images} gambar baru, "
                f"{result.users} akun demo baru, {result.producer_users} pengguna produsen baru, "
                f"{result.candidates} kandidat angkatan berikutnya baru, {result.curations} kurasi baru, "
                f"{agencies} instansi baru."
            )
        )
        first = Producer.objects.order_by("name").first()
        if first is not None:
            self.stdout.write(
                f"Masuk sebagai produsen {first.name}: python manage.py producer_link {first.slug}"
            )
