"""Delete the jobs (and their files) past their time; every worker's heartbeat does it too."""

from django.core.management.base import BaseCommand

from background.jobs import jobs_delete_expired


class Command(BaseCommand):
    help = "Delete expired background jobs and their files."

    def handle(self, *args, **options):
        self.stdout.write(f"{jobs_delete_expired()} expired job(s) deleted.")
