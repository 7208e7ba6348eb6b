"""The one reminder of the health declaration the customer's HR may send an employee who has
not answered, besides the one the portal sends by itself three days before
(`portal.services.reminders`). The mail carries the link to the form, never an answer."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions.health import may_remind_of_declaration
from portal.formatting import format_date
from portal.models import Booking
from portal.services.reminders import declaration_reminder_queue

from .models import AnswerStatus, QuestionnaireAnswer


def declaration_may_be_reminded(declaration: QuestionnaireAnswer | None, now=None) -> bool:
    """The state a reminder needs: sent, not answered, not yet reminded by the customer, and
    the booking still ahead."""
    if declaration is None or declaration.status == AnswerStatus.SUBMITTED:
        return False
    booking = declaration.booking
    return (
        declaration.customer_reminded_at is None
        and booking.holds_a_seat
        and booking.appointment.starts_at > (now or timezone.now())
    )


@transaction.atomic
def declaration_remind(*, booking: Booking, actor) -> QuestionnaireAnswer:
    """Send the employee the form's link once more, once per booking. Lock the declaration:
    two clicks at once send one mail."""
    if not may_remind_of_declaration(actor, booking):
        raise PermissionDenied
    name = {"name": booking.employee.full_name}
    declaration = (
        QuestionnaireAnswer.objects.select_for_update(of=("self",))
        .select_related("booking__employee", "booking__appointment__order__department__customer")
        .filter(booking=booking)
        .first()
    )
    if declaration is None:
        raise ValidationError(_("%(name)s has not been sent a health declaration.") % name)
    if declaration.status == AnswerStatus.SUBMITTED:
        raise ValidationError(_("%(name)s has already submitted the health declaration.") % name)
    if declaration.customer_reminded_at is not None:
        raise ValidationError(
            _(
                "A reminder to %(name)s was sent %(date)s. Only one reminder can be sent per "
                "booking."
            )
            % {**name, "date": format_date(timezone.localtime(declaration.customer_reminded_at))}
        )
    if not declaration_may_be_reminded(declaration):
        raise ValidationError(
            _("%(name)s's appointment has taken place or the booking is cancelled.") % name
        )
    declaration.customer_reminded_at = timezone.now()
    declaration.customer_reminded_by = actor
    declaration.save(update_fields=["customer_reminded_at", "customer_reminded_by"])
    # The booking as the mail needs it, the declaration in it (for the form's link).
    declaration_reminder_queue(declaration.booking)
    return declaration
