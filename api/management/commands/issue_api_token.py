from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from api.scopes import Scope
from api.services import api_token_issue
from portal.models import Customer


class Command(BaseCommand):
    help = (
        "Issue an API token to a system, as a staff user would in the admin, and print its "
        "secret (shown only here)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The system the token is for, e.g. CRM.")
        parser.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, dest="scopes"
        )
        parser.add_argument(
            "--customer", help="Organisation number or name: the token sees this customer only."
        )
        parser.add_argument(
            "--by", required=True, metavar="USERNAME", help="The staff user who issues it."
        )

    def handle(self, *args, name, scopes, customer, by, **options):
        actor = get_user_model().objects.filter(username=by).first()
        if actor is None:
            raise CommandError(_("No user is called %(name)s.") % {"name": by})
        target = None
        if customer:
            matches = list(Customer.objects.filter(Q(org_number=customer) | Q(name=customer)))
            if len(matches) != 1:
                raise CommandError(
                    _("No single customer has the organisation number or name %(value)s.")
                    % {"value": customer}
                )
            target = matches[0]
        try:
            issued = api_token_issue(actor=actor, name=name, scopes=scopes, customer=target)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(issued.secret)
