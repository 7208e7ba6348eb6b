"""Every write of a health questionnaire or its answers, and the one guarded read of answers.

A questionnaire version on which a declaration was sent is never changed: saving it makes the
next version and retires this one, so each answer set keeps reading against the questions it
was given. Answers are encrypted before they reach a model (`health.crypto`); they never go
into an audit event, a log line or an exception's text.
"""

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_event, audit_record
from permissions.health import may_define_questionnaires, may_read_health_answers
from portal.models import Booking, ProductGroup

from .crypto import answers_decrypt, answers_encrypt
from .models import (
    CHOICE_KINDS,
    NO,
    YES,
    AnswerStatus,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireAnswer,
)

SHORT_TEXT_MAX = 200
NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
LONG_TEXT_MAX = 5000
# What a person types for the answer a follow-up is shown on, as stored.
YES_NO_WORDS = {"yes": YES, "ja": YES, "no": NO, "nei": NO}


@dataclass(frozen=True)
class QuestionDraft:
    """A question as a form or a script gives it. `key` is the id of the question it keeps
    (as text) or any new name; `parent` is the key of the question it follows up."""

    key: str
    text: str
    kind: str = QuestionKind.YES_NO
    order: int = 0
    unit: str = ""
    required: bool = True
    choices: str = ""
    parent: str | None = None
    shown_on: str = ""


def _choices(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def question_drafts_check(drafts: Sequence[QuestionDraft]) -> list[QuestionDraft]:
    """The drafts, cleaned, or a ValidationError naming each faulty question by its number."""
    if not drafts:
        raise ValidationError(_("Add at least one question."))
    by_key = {draft.key: draft for draft in drafts}
    if len(by_key) != len(drafts):
        raise ValidationError(_("Two questions have the same key."))
    errors = []
    cleaned = []
    for number, draft in enumerate(drafts, start=1):
        text = draft.text.strip()
        label = {"number": number}
        if not text:
            errors.append(_("Question %(number)s: write the question.") % label)
        if draft.kind not in QuestionKind.values:
            errors.append(_("Question %(number)s: choose a kind of answer.") % label)
        if draft.kind in CHOICE_KINDS and len(_choices(draft.choices)) < 2:
            errors.append(_("Question %(number)s: give at least two choices, one a line.") % label)
        shown_on = draft.shown_on.strip()
        if draft.parent is not None:
            parent = by_key.get(draft.parent)
            if parent is None or parent.key == draft.key:
                errors.append(
                    _("Question %(number)s: the question it follows up is not on the form.") % label
                )
            elif parent.parent is not None:
                errors.append(
                    _("Question %(number)s: a follow-up cannot follow up another follow-up.")
                    % label
                )
            elif parent.kind == QuestionKind.YES_NO:
                shown_on = YES_NO_WORDS.get(shown_on.lower(), "")
                if not shown_on:
                    errors.append(
                        _("Question %(number)s: show it on the answer «yes» or «no».") % label
                    )
            elif parent.kind in CHOICE_KINDS:
                if shown_on not in _choices(parent.choices):
                    errors.append(
                        _(
                            "Question %(number)s: show it on one of the choices of the question "
                            "it follows up."
                        )
                        % label
                    )
            else:
                errors.append(
                    _(
                        "Question %(number)s: only a yes/no or a choice question can have "
                        "follow-ups."
                    )
                    % label
                )
        cleaned.append(
            QuestionDraft(
                key=draft.key,
                text=text,
                kind=draft.kind,
                order=draft.order or number,
                unit=draft.unit.strip() if draft.kind == QuestionKind.NUMBER else "",
                required=draft.required,
                choices="\n".join(_choices(draft.choices)) if draft.kind in CHOICE_KINDS else "",
                parent=draft.parent,
                shown_on=shown_on if draft.parent is not None else "",
            )
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _questions_write(questionnaire: Questionnaire, drafts: list[QuestionDraft]) -> None:
    """Make the questionnaire's questions those of `drafts`: keep (and update) the ones whose
    key is one of its question ids, add the others, delete the rest."""
    existing = {str(q.pk): q for q in questionnaire.questions.all()}
    fields = ("text", "kind", "order", "unit", "required", "choices", "shown_on")
    saved: dict[str, Question] = {}
    for draft in drafts:
        question = existing.get(draft.key) or Question(questionnaire=questionnaire)
        for field in fields:
            setattr(question, field, getattr(draft, field))
        question.parent = None  # set below, once every question exists
        question.save()
        saved[draft.key] = question
    kept = {question.pk for question in saved.values()}
    questionnaire.questions.exclude(pk__in=kept).delete()
    for draft in drafts:
        if draft.parent is not None:
            question = saved[draft.key]
            question.parent = saved[draft.parent]
            question.save(update_fields=["parent"])


@transaction.atomic
def questionnaire_save(
    *,
    actor,
    questionnaire: Questionnaire | None = None,
    name: str,
    product_groups: Iterable[ProductGroup],
    is_active: bool = True,
    questions: Sequence[QuestionDraft],
) -> Questionnaire:
    """Create a questionnaire, or change one: in place while no declaration was sent on it,
    otherwise as its next version (the old one is kept, no longer offered). Returns the
    version now holding the questions."""
    if not may_define_questionnaires(actor):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the questionnaire a name.")})
    drafts = question_drafts_check(questions)
    if questionnaire is None:
        target = Questionnaire.objects.create(name=name, is_active=is_active, created_by=actor)
        action, changes = AuditAction.CREATED, {"version": [None, target.version]}
    else:
        # Locked: a declaration sent at the same moment waits, and sees the new version.
        current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if current.is_replaced():
            raise ValidationError(
                _("This version of «%(name)s» has been replaced by a newer one: change that.")
                % {"name": current.name}
            )
        if current.is_in_use():
            target = Questionnaire.objects.create(
                name=name,
                version=current.version + 1,
                replaces=current,
                is_active=is_active,
                created_by=actor,
            )
            Questionnaire.objects.filter(pk=current.pk).update(is_active=False)
            # Every question is made anew on the new version: none keeps an old id.
            drafts = [_renamed(draft) for draft in drafts]
            action, changes = AuditAction.CREATED, {"version": [current.version, target.version]}
        else:
            target = current
            target.name, target.is_active = name, is_active
            target.save(update_fields=["name", "is_active"])
            action, changes = AuditAction.CHANGED, {}
    target.product_groups.set(list(product_groups))
    _questions_write(target, drafts)
    audit_record(actor=actor, action=action, obj=target, changes=changes)
    return target


def _renamed(draft: QuestionDraft) -> QuestionDraft:
    """The draft as a new question: its key and its parent's key no question id."""
    return QuestionDraft(
        **{
            **draft.__dict__,
            "key": f"new-{draft.key}",
            "parent": None if draft.parent is None else f"new-{draft.parent}",
        }
    )


def questionnaire_drafts(questionnaire: Questionnaire) -> list[QuestionDraft]:
    """The questionnaire's questions as drafts: what `questionnaire_save` takes back."""
    return [
        QuestionDraft(
            key=str(question.pk),
            text=question.text,
            kind=question.kind,
            order=question.order,
            unit=question.unit,
            required=question.required,
            choices=question.choices,
            parent=None if question.parent_id is None else str(question.parent_id),
            shown_on=question.shown_on,
        )
        for question in questionnaire.questions.all()
    ]


# -- declarations ---------------------------------------------------------------------------


def questionnaire_for_booking(booking: Booking) -> Questionnaire | None:
    """The questionnaire offered for the booking's product group (the newest, if several)."""
    product_group_id = booking.appointment.order.product_group_id
    if product_group_id is None:
        return None
    return (
        Questionnaire.objects.offered()
        .for_product_group(product_group_id)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def declaration_send(*, booking: Booking, new: bool = False) -> QuestionnaireAnswer | None:
    """Give the booking the questionnaire of its product group, once; None where there is
    none. The version it is given on is the one its answers will read against.

    `new`: the booking was made in this transaction, so it has none yet (one query less for
    `booking_create`). Two sends for one booking at once give both the same declaration: the
    one that loses the race on the unique booking reads the winner's."""
    if not new:
        existing = QuestionnaireAnswer.objects.filter(booking=booking).first()
        if existing is not None:
            return existing
    questionnaire = questionnaire_for_booking(booking)
    if questionnaire is None:
        return None
    # Locked against an edit at the same moment: that edit then sees the version in use.
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not questionnaire.is_active or questionnaire.is_replaced():
        return declaration_send(booking=booking, new=new)
    try:
        with transaction.atomic():
            return QuestionnaireAnswer.objects.create(booking=booking, questionnaire=questionnaire)
    except IntegrityError:
        return QuestionnaireAnswer.objects.get(booking=booking)


def _visible(question: Question, answers: dict[str, object]) -> bool:
    """A follow-up is asked only when its parent was answered with `shown_on`."""
    if question.parent_id is None:
        return True
    parent_answer = answers.get(str(question.parent_id))
    if isinstance(parent_answer, list):
        return question.shown_on in parent_answer
    return parent_answer == question.shown_on


def _answer_clean(question: Question, value: object) -> object:
    """The answer as stored, or a ValidationError naming the question (never the answer)."""
    label = {"question": question.text}
    if question.kind == QuestionKind.YES_NO:
        if value not in (YES, NO):
            raise ValidationError(_("«%(question)s»: answer yes or no.") % label)
        return value
    if question.kind == QuestionKind.ONE_OF:
        if value not in question.choice_list():
            raise ValidationError(_("«%(question)s»: choose one of the answers.") % label)
        return value
    if question.kind == QuestionKind.SEVERAL_OF:
        values = value if isinstance(value, list | tuple) else [value]
        if not set(values) <= set(question.choice_list()):
            raise ValidationError(_("«%(question)s»: choose among the answers.") % label)
        return [choice for choice in question.choice_list() if choice in values]
    if question.kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("«%(question)s»: write a number.") % label)
        return str(number)
    if question.kind == QuestionKind.DATE:
        if isinstance(value, datetime.date):
            return value.isoformat()
        text = str(value).strip()
        # As a date field posts it (2026-12-05), or as a person writes it (05.12.2026).
        norwegian = NORWEGIAN_DATE.fullmatch(text)
        try:
            if norwegian:
                day, month, year = (int(part) for part in norwegian.groups())
                return datetime.date(year, month, day).isoformat()
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(_("«%(question)s»: write a date.") % label) from None
    text = str(value).strip()
    limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        raise ValidationError(
            _("«%(question)s»: at most %(limit)s characters.") % {**label, "limit": limit}
        )
    return text


def _answers_clean(
    answer_set: QuestionnaireAnswer, answers: Mapping[str, object], *, complete: bool
) -> dict[str, object]:
    questions = {q.pk: q for q in answer_set.questionnaire.questions.all()}
    unknown = [key for key in answers if not key.isdigit() or int(key) not in questions]
    if unknown:
        raise ValidationError(_("Some answers do not belong to this health declaration."))
    given = {key: value for key, value in answers.items() if value not in (None, "", [])}
    cleaned: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    for question in questions.values():
        key = str(question.pk)
        if not _visible(question, given):
            continue  # an answer to a follow-up not asked is not kept
        if key in given:
            try:
                cleaned[key] = _answer_clean(question, given[key])
            except ValidationError as error:
                errors[key] = error.messages
        elif complete and question.required:
            errors[key] = [_("«%(question)s»: please answer.") % {"question": question.text}]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def declaration_answer(
    *, answer_set: QuestionnaireAnswer, answers: Mapping[str, object], submit: bool = False
) -> QuestionnaireAnswer:
    """Keep the employee's answers (question id → answer) as a draft, or submit them: once
    submitted, they are never changed."""
    locked = QuestionnaireAnswer.objects.select_for_update().get(pk=answer_set.pk)
    if locked.status == AnswerStatus.SUBMITTED:
        raise ValidationError(
            _("The health declaration has already been submitted."), code="submitted"
        )
    cleaned = _answers_clean(locked, answers, complete=submit)
    locked.answers_encrypted = answers_encrypt(cleaned)
    locked.status = AnswerStatus.SUBMITTED if submit else AnswerStatus.DRAFT
    locked.submitted_at = timezone.now() if submit else None
    locked.save(update_fields=["answers_encrypted", "status", "submitted_at"])
    return locked


def declaration_draft(*, answer_set: QuestionnaireAnswer) -> dict[str, object]:
    """The employee's own draft, for their form to show again while they fill it in; nothing
    once it is submitted: from then on the link reveals no answer (a lost phone tells
    nothing)."""
    if answer_set.status == AnswerStatus.SUBMITTED:
        return {}
    return answers_decrypt(answer_set.answers_encrypted)


@dataclass(frozen=True)
class AnsweredQuestion:
    question: Question
    answer: object  # None where not answered

    @property
    def is_follow_up(self) -> bool:
        return self.question.parent_id is not None

    @property
    def shown(self) -> str:
        """The answer as health personnel read it: «Ja», «72,5 kg», «05.12.2026»."""
        kind, answer = self.question.kind, self.answer
        if answer is None:
            return ""
        if kind == QuestionKind.YES_NO:
            return _("Yes") if answer == YES else _("No")
        if kind == QuestionKind.SEVERAL_OF and isinstance(answer, list):
            return ", ".join(answer)
        if kind == QuestionKind.NUMBER:
            return f"{str(answer).replace('.', ',')} {self.question.unit}".strip()
        if kind == QuestionKind.DATE:
            return datetime.date.fromisoformat(str(answer)).strftime("%d.%m.%Y")
        return str(answer)


def declaration_read(
    *, answer_set: QuestionnaireAnswer, actor, as_pdf: bool = False
) -> list[AnsweredQuestion]:
    """The answers against the questions of the version they were given on, for health
    personnel only; every read is an audit event (who, when, which employee, whether as the
    PDF for the health record; no answer)."""
    if not may_read_health_answers(actor):
        raise PermissionDenied
    answer_set = QuestionnaireAnswer.objects.select_related(
        "booking__employee", "questionnaire"
    ).get(pk=answer_set.pk)
    if answer_set.answers_deleted_at is not None:
        raise ValidationError(_("The answers of this health declaration have been deleted."))
    answers = answers_decrypt(answer_set.answers_encrypted)
    questions = {q.pk: q for q in answer_set.questionnaire.questions.all()}
    employee = answer_set.booking.employee
    audit_event(
        actor=actor,
        action=AuditAction.HEALTH_DECLARATION_READ,
        obj=answer_set,
        object_repr=(
            _("Health declaration of %(employee)s, as PDF")
            if as_pdf
            else _("Health declaration of %(employee)s")
        )
        % {"employee": employee.full_name},
    ).save(force_insert=True)
    return [
        AnsweredQuestion(question=question, answer=answers.get(str(question.pk)))
        for question in questions.values()
        if _visible(question, answers)
    ]
