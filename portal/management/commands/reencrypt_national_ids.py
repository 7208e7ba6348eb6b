from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from portal.crypto import national_id_reencrypt
from portal.models import Employee

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Encrypt every stored national identity number again with the newest key "
        "(the first of NATIONAL_ID_KEYS), so older keys can be retired."
    )

    def handle(self, *args, **options):
        done = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Employee.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .exclude(national_id_encrypted="")
                    .order_by("pk")
                    .only("pk", "national_id_encrypted")[:BATCH]
                )
                if not batch:
                    break
                for employee in batch:
                    employee.national_id_encrypted = national_id_reencrypt(
                        employee.national_id_encrypted
                    )
                Employee.objects.bulk_update(batch, ["national_id_encrypted"])
            done += len(batch)
            last_pk = batch[-1].pk
        self.stdout.write(
            _("%(count)d national identity numbers encrypted with the newest key.")
            % {"count": done}
        )
