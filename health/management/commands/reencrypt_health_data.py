from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from health.crypto import answers_reencrypt
from health.models import QuestionnaireAnswer
from portal.crypto import tokens_reencrypt


class Command(BaseCommand):
    help = (
        "Encrypt every stored answer of a health declaration again with the newest key "
        "(the first of HEALTH_DATA_KEYS), so older keys can be retired."
    )

    def handle(self, *args, **options):
        done = tokens_reencrypt(
            model=QuestionnaireAnswer, field="answers_encrypted", rotate=answers_reencrypt
        )
        self.stdout.write(
            _("%(count)d health declarations encrypted with the newest key.") % {"count": done}
        )
