from django.core.management.base import BaseCommand

from catalogue.orders.expiry import expire_orders


class Command(BaseCommand):
    help = (
        "Membatalkan bagian pesanan QRIS yang belum dibayar setelah ORDER_PAYMENT_HOURS jam dan "
        "mengembalikan stoknya (aman dijalankan bersamaan: stok kembali tepat sekali). "
        "Jalankan berkala, misalnya tiap 15 menit dari cron."
    )

    def handle(self, *args, **options):
        cancelled = expire_orders()
        self.stdout.write(self.style.SUCCESS(f"{cancelled} bagian pesanan kedaluwarsa dibatalkan."))
