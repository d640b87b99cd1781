from django.core.management.base import BaseCommand

from catalogue.campaign.agencies import load_agencies


class Command(BaseCommand):
    help = "Muat daftar instansi Gerakan Beli Produk NTT (OPD provinsi dan pemerintah kabupaten/kota)."

    def handle(self, *args, **options) -> None:
        created = load_agencies()
        self.stdout.write(f"{created} instansi baru dimuat.")
