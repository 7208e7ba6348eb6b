"""The page where health personnel read an employee's health declaration.

Reading is a POST from a button on the page (every read is an audit event, and a GET changes
nothing, an audit trail included); the answer is never cached. Anyone but health personnel
gets 403, for a booking that exists or not."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from permissions.health import may_read_health_answers

from .models import AnswerStatus, QuestionnaireAnswer
from .services import declaration_read


@require_http_methods(["GET", "POST"])
def declaration_page(request, booking_id: int):
    if not may_read_health_answers(request.user):
        raise PermissionDenied
    declaration = (
        QuestionnaireAnswer.objects.select_related(
            "booking__employee", "booking__appointment", "questionnaire"
        )
        .filter(booking_id=booking_id, status=AnswerStatus.SUBMITTED)
        .first()
    )
    if declaration is None:
        raise Http404(_("No health declaration has been received for this booking."))
    answers = None
    if request.method == "POST":
        answers = declaration_read(answer_set=declaration, actor=request.user)
    response = TemplateResponse(
        request,
        "health/declaration.html",
        {
            **admin.site.each_context(request),
            "title": _("Health declaration of %(employee)s")
            % {"employee": declaration.booking.employee.full_name},
            "declaration": declaration,
            "booking": declaration.booking,
            "answers": answers,
        },
    )
    add_never_cache_headers(response)
    return response
