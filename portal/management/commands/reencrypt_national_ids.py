from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.crypto import national_id_reencrypt, tokens_reencrypt
from portal.models import Employee
from webhooks.crypto import secret_reencrypt
from webhooks.models import WebhookEndpoint


class Command(BaseCommand):
    help = (
        "Encrypt every stored national identity number, and every webhook endpoint's signing "
        "secret, again with the newest key (the first of NATIONAL_ID_KEYS), so older keys can "
        "be retired."
    )

    def handle(self, *args, **options):
        done = tokens_reencrypt(
            model=Employee, field="national_id_encrypted", rotate=national_id_reencrypt
        )
        self.stdout.write(
            _("%(count)d national identity numbers encrypted with the newest key.")
            % {"count": done}
        )
        secrets = tokens_reencrypt(
            model=WebhookEndpoint, field="secret_encrypted", rotate=secret_reencrypt
        )
        self.stdout.write(
            _("%(count)d webhook signing secrets encrypted with the newest key.")
            % {"count": secrets}
        )
