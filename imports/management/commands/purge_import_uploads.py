"""Delete uploads abandoned at the preview once they have expired (also done by every upload)."""

from django.core.management.base import BaseCommand

from imports.uploads import uploads_purge


class Command(BaseCommand):
    help = "Delete expired spreadsheet uploads that were never confirmed or cancelled."

    def handle(self, *args, **options):
        self.stdout.write(f"{uploads_purge()} expired upload(s) deleted.")
