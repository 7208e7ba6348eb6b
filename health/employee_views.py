"""The employee's health declaration form, from the link of their booking
(`/timeavtale/<token>/egenerklaering/`): the booking page's token, rate limit and look.

The employee fills it in on their phone, keeps a draft («Lagre utkast», and as they go where
JavaScript runs) and submits it once. From then on the link shows only «Mottatt dd.mm.åååå»:
it never reads an answer back, so a lost phone reveals nothing. The answers go through
`health.services` only; the page is never cached, and an error report masks every field
posted (`accounts.reporting`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods
from unfold.widgets import BASE_INPUT_CLASSES, TEXTAREA_CLASSES

from portal.formatting import format_date
from portal.services.booking_links import LinkState
from portal.views.employee_page import link_open, link_refused, page_render, page_url

from .models import NO, YES, AnswerStatus, Question, QuestionKind, QuestionnaireAnswer
from .selectors import declaration_of
from .services import LONG_TEXT_MAX, SHORT_TEXT_MAX, declaration_answer, declaration_draft

#: The buttons: keep a draft, or submit.
DRAFT, SUBMIT = "draft", "submit"
#: The header of the form's own script when it keeps a draft as the employee goes.
AUTOSAVE_HEADER = "X-Declaration-Autosave"


def form_url(token: str) -> str:
    return reverse("health_declaration_form", args=[token])


def _field(question: Question) -> str:
    return f"q{question.pk}"


def _posted(request, questions: list[Question]) -> dict[str, object]:
    """The answers the form posted, question id → value (several choices as a list)."""
    answers: dict[str, object] = {}
    for question in questions:
        name = _field(question)
        if question.kind == QuestionKind.SEVERAL_OF:
            answers[str(question.pk)] = [v for v in request.POST.getlist(name) if v]
        else:
            answers[str(question.pk)] = request.POST.get(name, "").strip()
    return answers


def _shown_on(question: Question) -> str:
    """«Hvis ja», «Hvis nei», «Hvis «Daglig»»: when a follow-up is asked."""
    if question.shown_on == YES:
        return _("If yes")
    if question.shown_on == NO:
        return _("If no")
    return _("If «%(answer)s»") % {"answer": question.shown_on}


def _items(questions: list[Question], values: dict, errors: dict) -> list[dict]:
    """What the template needs of each question: its field, value(s), choices and errors."""
    items = []
    for question in questions:
        value = values.get(str(question.pk), "")
        if question.kind == QuestionKind.YES_NO:
            choices = [(YES, _("Yes")), (NO, _("No"))]
        else:
            choices = [(choice, choice) for choice in question.choice_list()]
        items.append(
            {
                "question": question,
                "name": _field(question),
                "value": "" if isinstance(value, list) else str(value),
                "values": value if isinstance(value, list) else [value],
                "choices": choices,
                "input_type": "checkbox" if question.kind == QuestionKind.SEVERAL_OF else "radio",
                "errors": errors.get(str(question.pk), []),
                "parent": f"q{question.parent_id}" if question.parent_id else "",
                "shown_on": _shown_on(question) if question.parent_id else "",
            }
        )
    return items


def _declaration_or_answer(request, token: str) -> QuestionnaireAnswer | HttpResponse:
    """The declaration a link still valid opens, else the answer instead: refused for a link
    that opens nothing, the booking page (cancelled, past) for one that may only be looked
    at, «no declaration» for a booking without one."""
    link = link_open(request, token)
    if link is None or link.state == LinkState.INVALID:
        return link_refused(request, link)
    if not link.is_valid:
        return redirect(page_url(token))
    declaration = declaration_of(link.booking)
    if declaration is None:
        return page_render(
            request,
            "health/employee_none.html",
            {"title": _("Health declaration"), "token": token},
            status=404,
        )
    return declaration


@never_cache
@sensitive_variables("answers", "values", "draft")
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def declaration_form(request, token: str):
    declaration = _declaration_or_answer(request, token)
    if isinstance(declaration, HttpResponse):
        return declaration
    context = {"title": _("Health declaration"), "token": token}
    if declaration.status == AnswerStatus.SUBMITTED:
        if AUTOSAVE_HEADER in request.headers:
            return HttpResponse(status=409)
        # The receipt, and nothing of the answers.
        received = format_date(timezone.localtime(declaration.submitted_at))
        context["received"] = received
        return page_render(request, "health/employee_received.html", context)
    questions = list(declaration.questionnaire.questions.all())
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        answers = _posted(request, questions)
        submit = request.POST.get("action") == SUBMIT
        autosave = AUTOSAVE_HEADER in request.headers
        try:
            declaration_answer(answer_set=declaration, answers=answers, submit=submit)
        except ValidationError as refusal:
            if getattr(refusal, "code", None) == "submitted":  # meanwhile, in another tab
                return HttpResponse(status=409) if autosave else redirect(form_url(token))
            if hasattr(refusal, "error_dict"):
                errors = refusal.message_dict
            else:
                general = refusal.messages
            if autosave:
                return HttpResponse(status=400)
            values = answers
        else:
            if autosave:
                return HttpResponse(status=204)
            if submit:
                messages.success(request, _("Thank you! Your health declaration has been sent."))
            else:
                messages.success(request, _("Your draft is saved. Submit it when you are done."))
            return redirect(form_url(token))
    else:
        values = declaration_draft(answer_set=declaration)
    return page_render(
        request,
        "health/employee_form.html",
        {
            **context,
            "items": _items(questions, values, errors),
            "errors": bool(errors or general),
            "general_errors": general,
            "page_url": page_url(token),
            "draft": DRAFT,
            "submit": SUBMIT,
            "input_classes": " ".join(BASE_INPUT_CLASSES),
            "textarea_classes": " ".join(TEXTAREA_CLASSES),
            "short_text_max": SHORT_TEXT_MAX,
            "long_text_max": LONG_TEXT_MAX,
        },
        status=400 if errors or general else 200,
    )
