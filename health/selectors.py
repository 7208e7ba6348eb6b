"""What anyone who sees a booking may know of its health declaration: whether it was sent and
whether it was received. Never its answers (those: `health.services.declaration_read`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permissions.health import may_remind_of_declaration

from .models import AnswerStatus, QuestionnaireAnswer

RECEIVED = _("received")
NOT_RECEIVED = _("not received")
NOT_SENT = _("not sent")


def declaration_of(booking) -> QuestionnaireAnswer | None:
    """The booking's declaration (fetch bookings with `select_related("health_declaration")`
    to ask this of many without a query each)."""
    try:
        return booking.health_declaration
    except QuestionnaireAnswer.DoesNotExist:
        return None


def declaration_status_text(booking) -> str:
    """«mottatt», «ikke mottatt» or «ikke sendt»."""
    declaration = declaration_of(booking)
    if declaration is None:
        return str(NOT_SENT)
    if declaration.status == AnswerStatus.SUBMITTED:
        return str(RECEIVED)
    return str(NOT_RECEIVED)


def bookings_to_remind(user, appointment) -> list:
    """The appointment's bookings whose declaration is sent and not answered, of employees
    the user may remind: those already reminded too, so that a second try is told why not.
    None once the appointment has begun."""
    if appointment.starts_at <= timezone.now():
        return []
    bookings = (
        appointment.bookings.holding_seats()
        .filter(health_declaration__status__in=[AnswerStatus.SENT, AnswerStatus.DRAFT])
        .select_related("employee", "health_declaration")
        .defer("health_declaration__answers_encrypted")
        .order_by("employee__last_name", "employee__first_name", "pk")
    )
    return [booking for booking in bookings if may_remind_of_declaration(user, booking)]
