"""`manage.py delete_health_answers`: one pass of the retention of health declarations'
answers. Every worker runs it on its own every HEALTH_RETENTION_EVERY seconds; this is for
cron, or to run it by hand. Safe to run at any time and in parallel."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from health.retention import declarations_delete_due


class Command(BaseCommand):
    help = (
        "Delete the answers of health declarations transferred to the health record, or whose "
        "appointment is older than HEALTH_ANSWERS_RETENTION_DAYS; the status stays."
    )

    def handle(self, *args, **options):
        deleted = declarations_delete_due()
        self.stdout.write(
            _("Answers of %(count)d health declarations deleted.") % {"count": deleted}
        )
