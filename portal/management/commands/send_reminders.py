"""`manage.py send_reminders`: one pass of the reminders (the employees' e-mail and SMS the
day before, HR's daily summary). Every worker runs it on its own every PORTAL_REMINDERS_EVERY
seconds; this is for cron, or to run it by hand. Safe to run at any time and in parallel:
each reminder goes out once."""

from django.core.management.base import BaseCommand

from portal.services.reminders import reminders_run


class Command(BaseCommand):
    help = (
        "Queue the reminders that are due: employees' e-mail and SMS, HR's daily summary, "
        "health declarations not yet answered."
    )

    def handle(self, *args, **options):
        done = reminders_run()
        self.stdout.write(
            f"Queued {done.emails} reminder e-mail(s), {done.sms} SMS, "
            f"{done.summaries} HR summary(ies), "
            f"{done.declarations} health declaration reminder(s)."
        )
