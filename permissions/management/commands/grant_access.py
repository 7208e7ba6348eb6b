from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from permissions.capabilities import Role
from permissions.models import Grant
from permissions.services import grant_create, grant_revoke
from portal.models import Customer, Department


class Command(BaseCommand):
    help = "Give a customer user a role on a customer (all departments, or the named ones)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("customer", help="Organisation number or name of the customer.")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            metavar="NAME",
            help="Limit the role to this department (repeat for more). Default: all.",
        )
        parser.add_argument(
            "--revoke", action="store_true", help="Take the role away instead of granting it."
        )

    def handle(self, *args, username, customer, role, department, revoke, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user is called %(name)s.") % {"name": username}) from None
        matches = list(Customer.objects.filter(Q(org_number=customer) | Q(name=customer)))
        if len(matches) != 1:
            raise CommandError(
                _("No single customer has the organisation number or name %(value)s.")
                % {"value": customer}
            )
        target = matches[0]
        if revoke:
            grant = Grant.objects.filter(user=user, customer=target, role=role).first()
            if grant is None:
                raise CommandError(_("%(user)s has no such role.") % {"user": username})
            grant_revoke(grant=grant)
            self.stdout.write(_("Access revoked."))
            return
        departments = []
        for name in department:
            found = Department.objects.filter(customer=target, name=name).first()
            if found is None:
                raise CommandError(
                    _("%(customer)s has no department called %(name)s.")
                    % {"customer": target, "name": name}
                )
            departments.append(found)
        try:
            grant_create(user=user, customer=target, role=role, departments=departments)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("%(user)s is now %(role)s for %(customer)s.")
            % {"user": username, "role": Role(role).label, "customer": target}
        )
