from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.demo import demo_load
from portal.demo_enrich import demo_enrich


class Command(BaseCommand):
    help = (
        "Create the demo world of the seed documents with appointments, attendance, invoices "
        "and notifications dated from today, or bring it back to that state."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (the demo users all have the password 'demo').",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _("DEBUG is off: the demo users have known passwords. Use --force to load anyway.")
            )
        demo_load()
        demo_enrich()
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        self.stdout.write(
            _(
                "Log in at %(url)s as admin, kam, helse, testweb, hr.bergen or annen; the password "
                "is 'demo'."
            )
            % {"url": settings.PORTAL_BASE_URL}
        )
