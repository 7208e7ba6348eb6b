"""What anyone who sees a booking may know of its health declaration: whether it was sent and
whether it was received. Never its answers (those: `health.services.declaration_read`)."""

from django.utils.translation import gettext_lazy as _

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
