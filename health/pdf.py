"""An employee's health declaration as a PDF for the health record: who, which appointment,
which version of the questionnaire, when it was received, and each question with its answer
(a follow-up indented under its question).

Drawn with ReportLab in the fonts the invoice PDF embeds (`portal.invoices_pdf`). Made only
from the answers `declaration_read` returns, so every download is an audited read; the
file's metadata names the employee, never an answer."""

from io import BytesIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer, Table, TableStyle

from portal.formatting import format_date, format_datetime
from portal.invoices_pdf import BODY, FONT, GREY, HEADING, MARGIN, PROVIDER, RULE, _fonts, _p

from .models import QuestionnaireAnswer
from .services import AnsweredQuestion

LABEL_WIDTH = 45 * mm


def _facts(answer_set: QuestionnaireAnswer) -> Table:
    booking = answer_set.booking
    employee, appointment = booking.employee, booking.appointment
    rows = [
        (_("Employee"), employee.full_name),
        (_("Date of birth"), format_date(employee.birth_date) if employee.birth_date else "–"),
        (_("Employer"), appointment.order.department.name),
        (_("Appointment"), f"{appointment.time_range}, {appointment.location}"),
        (_("Questionnaire"), str(answer_set.questionnaire)),
        (_("Received"), format_datetime(answer_set.submitted_at)),
    ]
    table = Table(
        [[_p(label, BODY), _p(value, BODY)] for label, value in rows],
        colWidths=[LABEL_WIDTH, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("TEXTCOLOR", (0, 0), (0, -1), GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return table


def _answers(answers: list[AnsweredQuestion]) -> Table:
    rows = [[_p(_("Question"), HEADING), _p(_("Answer"), HEADING)]]
    for item in answers:
        question = item.question.text
        if item.is_follow_up:
            question = f"{_('Follow-up:')} {question}"
        shown = item.shown if item.answer is not None else _("(not answered)")
        rows.append([_p(question, BODY), _p(shown, BODY)])
    table = Table(rows, colWidths=[None, 70 * mm], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
    ]
    for row, item in enumerate(answers, start=1):
        if item.is_follow_up:
            style.append(("LEFTPADDING", (0, row), (0, row), 18))
    table.setStyle(TableStyle(style))
    return table


def declaration_pdf(
    *, answer_set: QuestionnaireAnswer, answers: list[AnsweredQuestion], actor
) -> bytes:
    """The PDF of answers read with `declaration_read(..., as_pdf=True)`, in the active
    language."""
    _fonts()
    booking = answer_set.booking
    employee = booking.employee
    title = _("Health declaration of %(employee)s") % {"employee": employee.full_name}
    provider = settings.PORTAL_PROVIDER_NAME
    made = _("Made %(when)s by %(who)s for the health record.") % {
        "when": format_datetime(timezone.now()),
        "who": actor.get_full_name() or actor.get_username(),
    }

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(
            MARGIN,
            10 * mm,
            _("Confidential health information (the Health Personnel Act § 21)."),
        )
        canvas.drawRightString(
            A4[0] - MARGIN, 10 * mm, _("Page %(page)d") % {"page": document.page}
        )
        canvas.restoreState()

    buffer = BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=provider,
        creator=provider,
        initialFontName=FONT,
    )
    body = Frame(document.leftMargin, document.bottomMargin, document.width, document.height)
    document.addPageTemplates([PageTemplate(frames=[body], onPageEnd=footer)])
    document.build(
        [
            _p(provider, PROVIDER) if provider else Spacer(0, 0),
            Spacer(0, 4 * mm),
            _p(title, HEADING),
            Spacer(0, 4 * mm),
            _facts(answer_set),
            Spacer(0, 8 * mm),
            _answers(answers),
            Spacer(0, 8 * mm),
            _p(made, BODY),
        ]
    )
    return buffer.getvalue()
