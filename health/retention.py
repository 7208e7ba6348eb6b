"""What happens to an employee's answers after the health check: health personnel mark them
transferred to the health record, and the portal deletes them — at the next pass once they
are transferred, and in any case HEALTH_ANSWERS_RETENTION_DAYS days after the appointment.

Only the answers go: the declaration's row stays with its status, so the booking still reads
«mottatt», and each deletion is an audit event. `declarations_delete_due` is one pass: every
worker runs it every HEALTH_RETENTION_EVERY seconds (`background.worker`), and
`manage.py delete_health_answers` runs it once (for cron). Safe to run at any time and in
parallel: each row is locked and checked again before its answers are deleted.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditActor
from audit.services import audit_event
from permissions.health import may_read_health_answers
from portal.formatting import format_date

from .models import AnswerStatus, QuestionnaireAnswer

logger = logging.getLogger(__name__)


class _Retention:
    """The actor of a deletion no user made: the audit trail names it «Portalen (lagringstid)»."""

    pk = None
    audit_actor_label = AuditActor.RETENTION


RETENTION = _Retention()


def _employee_repr(answer_set: QuestionnaireAnswer) -> str:
    return _("Health declaration of %(employee)s") % {
        "employee": answer_set.booking.employee.full_name
    }


def retention_deadline(answer_set: QuestionnaireAnswer) -> datetime.datetime:
    """When the answers are deleted at the latest."""
    days = datetime.timedelta(days=settings.HEALTH_ANSWERS_RETENTION_DAYS)
    return answer_set.booking.appointment.ends_at + days


def declarations_due_for_deletion(*, now: datetime.datetime) -> QuerySet[QuestionnaireAnswer]:
    """The declarations that still hold answers (a draft's too) and either are transferred to
    the health record or had their appointment more than the retention period ago."""
    cutoff = now - datetime.timedelta(days=settings.HEALTH_ANSWERS_RETENTION_DAYS)
    return (
        QuestionnaireAnswer.objects.filter(answers_deleted_at__isnull=True)
        .exclude(answers_encrypted="")
        .filter(Q(transferred_at__isnull=False) | Q(booking__appointment__ends_at__lt=cutoff))
    )


def declarations_delete_due(*, now: datetime.datetime | None = None) -> int:
    """Delete the answers that are due, each in a transaction of its own with its audit
    event; how many."""
    now = now or timezone.now()
    due = list(declarations_due_for_deletion(now=now).values_list("pk", flat=True))
    deleted = sum(_answers_delete(pk=pk, now=now) for pk in due)
    if deleted:
        logger.info("Answers of %s health declaration(s) deleted after retention", deleted)
    return deleted


@transaction.atomic
def _answers_delete(*, pk: int, now: datetime.datetime) -> bool:
    """Lock the row and ask again: another worker may have deleted it meanwhile."""
    answer_set = (
        declarations_due_for_deletion(now=now)
        .select_for_update(of=("self",))
        .select_related("booking__employee")
        .filter(pk=pk)
        .first()
    )
    if answer_set is None:
        return False
    answer_set.answers_encrypted = ""
    answer_set.answers_deleted_at = now
    answer_set.save(update_fields=["answers_encrypted", "answers_deleted_at"])
    audit_event(
        actor=RETENTION,
        action=AuditAction.HEALTH_DECLARATION_DELETED,
        obj=answer_set,
        object_repr=_employee_repr(answer_set),
        created_at=now,
    ).save(force_insert=True)
    return True


@transaction.atomic
def declaration_mark_transferred(*, answer_set: QuestionnaireAnswer, actor) -> QuestionnaireAnswer:
    """«Merk som overført til journal»: the answers are in the health record, so the portal
    deletes its copy at the next pass of the retention. Health personnel only."""
    if not may_read_health_answers(actor):
        raise PermissionDenied
    locked = (
        QuestionnaireAnswer.objects.select_for_update(of=("self",))
        .select_related("booking__employee")
        .get(pk=answer_set.pk)
    )
    if locked.status != AnswerStatus.SUBMITTED:
        raise ValidationError(_("No health declaration has been received for this booking."))
    if locked.answers_deleted_at is not None:
        raise ValidationError(
            _("The answers were deleted %(date)s.")
            % {"date": format_date(timezone.localtime(locked.answers_deleted_at))}
        )
    if locked.transferred_at is not None:
        raise ValidationError(
            _("The answers were marked transferred to the health record %(date)s.")
            % {"date": format_date(timezone.localtime(locked.transferred_at))}
        )
    locked.transferred_at = timezone.now()
    locked.save(update_fields=["transferred_at"])
    audit_event(
        actor=actor,
        action=AuditAction.HEALTH_DECLARATION_TRANSFERRED,
        obj=locked,
        object_repr=_employee_repr(locked),
    ).save(force_insert=True)
    return locked
