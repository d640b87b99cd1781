"""`manage.py remind_curations`: mail PMD officers about "Bintang OVOP NTT" curations expiring soon.
Run it once a day from the scheduler; a second run the same day sends nothing."""

from django.core.management.base import BaseCommand

from catalogue.backoffice.curation import remind_expiring


class Command(BaseCommand):
    help = "Kirim pengingat kurasi Bintang OVOP yang segera habis (90, 30, 7 hari dan hari ini)."

    def handle(self, *args, **options) -> None:
        count = remind_expiring()
        self.stdout.write(f"{count} kurasi diingatkan.")
