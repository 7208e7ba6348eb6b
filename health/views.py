"""The page where health personnel read an employee's health declaration, download it as a
PDF for the health record and mark it transferred there.

Reading and downloading are POSTs from buttons on the page (every read is an audit event,
and a GET changes nothing, an audit trail included); the answer is never cached. Anyone but
health personnel gets 403, for a booking that exists or not, on every one of these URLs."""

from io import BytesIO

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from permissions.health import may_read_health_answers
from portal.admin.actions import show_refusal

from .models import AnswerStatus, QuestionnaireAnswer
from .pdf import declaration_pdf
from .retention import declaration_mark_transferred, retention_deadline
from .services import declaration_read


def _received(request, booking_id: int) -> QuestionnaireAnswer:
    """The booking's received declaration, for health personnel; 403 for anyone else before
    anything is looked up."""
    if not may_read_health_answers(request.user):
        raise PermissionDenied
    declaration = (
        QuestionnaireAnswer.objects.select_related(
            "booking__employee",
            "booking__appointment__order__department",
            "questionnaire",
        )
        .filter(booking_id=booking_id, status=AnswerStatus.SUBMITTED)
        .first()
    )
    if declaration is None:
        raise Http404(_("No health declaration has been received for this booking."))
    return declaration


@require_http_methods(["GET", "POST"])
def declaration_page(request, booking_id: int):
    declaration = _received(request, booking_id)
    answers = None
    if request.method == "POST" and not declaration.answers_deleted:
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
            "deleted_by": retention_deadline(declaration),
        },
    )
    add_never_cache_headers(response)
    return response


def declaration_pdf_download(request, booking_id: int):
    """«Last ned PDF»: the answers for the health record, an audited read like the page's."""
    declaration = _received(request, booking_id)
    if request.method != "POST":
        return redirect("health_declaration", booking_id)
    try:
        answers = declaration_read(answer_set=declaration, actor=request.user, as_pdf=True)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("health_declaration", booking_id)
    pdf = declaration_pdf(answer_set=declaration, answers=answers, actor=request.user)
    name = slugify(declaration.booking.employee.full_name) or "ansatt"
    response = FileResponse(
        BytesIO(pdf),
        as_attachment=True,
        filename=f"egenerklaering-{name}-{declaration.booking_id}.pdf",
        content_type="application/pdf",
    )
    add_never_cache_headers(response)
    return response


def declaration_transferred(request, booking_id: int):
    """«Merk som overført til journal», through the service; said as a message."""
    declaration = _received(request, booking_id)
    if request.method == "POST":
        try:
            declaration_mark_transferred(answer_set=declaration, actor=request.user)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                _(
                    "Marked as transferred to the health record. The answers will be deleted "
                    "from the portal."
                ),
            )
    return redirect("health_declaration", booking_id)
