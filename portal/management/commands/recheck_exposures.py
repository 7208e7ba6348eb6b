"""`manage.py recheck_exposures`: set every exposure's last check from the bookings again.

The services keep it as they write; this is for data written around them (a restore, a fix by
hand in the database)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.services.surveillance import exposures_recheck


class Command(BaseCommand):
    help = "Set every exposure's last check (health surveillance) from the bookings again."

    def handle(self, *args, **options):
        with transaction.atomic():
            rows = exposures_recheck()
        self.stdout.write(f"{rows} exposures rechecked.")
