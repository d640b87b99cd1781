"""`python manage.py producer_link SLUG [--send]`: a one-time sign-in URL for a producer, as the last line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from catalogue.models import Producer
from catalogue.producers import links


class Command(BaseCommand):
    help = "Buat tautan masuk sekali pakai untuk produsen (baris terakhir keluaran); --send juga mengirimnya."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", help="slug produsen, misalnya tenun-ikat-ina-ndao")
        parser.add_argument("--send", action="store_true", help="kirim juga ke email produsen bila ada")

    def handle(self, *args, slug: str, send: bool, **options) -> None:
        producer = Producer.objects.filter(slug=slug).first()
        if producer is None:
            raise CommandError(f"Produsen dengan slug {slug!r} tidak ditemukan.")
        url = links.issue(producer, contact=producer.whatsapp)
        if send:
            if links.send_by_email(producer, url):
                self.stdout.write(f"Tautan dikirim ke {producer.email}.")
            else:
                self.stderr.write(
                    "Produsen ini tidak punya email (atau email gagal dikirim); kirim lewat WhatsApp:"
                )
                self.stderr.write(links.whatsapp_share_link(producer, url))
        self.stdout.write(url)
