"""Declarations: sent with a booking on the version then offered, answered as a draft and
submitted once, and read by health personnel alone, each read audited without its answers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditAction, AuditEvent
from health.crypto import answers_decrypt
from health.models import AnswerStatus, QuestionnaireAnswer
from health.services import declaration_answer, declaration_read, declaration_send
from portal.models import ProductGroup
from tests.factories import AppointmentFactory, BookingFactory

from .conftest import MARKER, question


@pytest.fixture
def sent(questionnaire, booking):
    return declaration_send(booking=booking)


def answers(questionnaire, *, smokes="yes", how_many="10", illness=MARKER) -> dict:
    return {
        str(question(questionnaire, 1).pk): smokes,
        str(question(questionnaire, 2).pk): how_many,
        str(question(questionnaire, 3).pk): illness,
    }


def test_a_booking_on_the_product_group_gets_the_questionnaire_once(sent, questionnaire, booking):
    assert (sent.questionnaire, sent.status) == (questionnaire, AnswerStatus.SENT)
    assert declaration_send(booking=booking) == sent
    assert QuestionnaireAnswer.objects.count() == 1


def test_a_booking_of_another_product_group_gets_none(questionnaire, cast, make_order):
    other_group = ProductGroup.objects.exclude(pk=cast.product_group.pk).first()
    appointment = AppointmentFactory(order=make_order("approved", product_group=other_group))
    booking = BookingFactory(appointment=appointment, employee=cast.dolly)

    assert declaration_send(booking=booking) is None


def test_a_draft_is_kept_and_submitted_once(sent, questionnaire, frozen_clock):
    draft = declaration_answer(answer_set=sent, answers=answers(questionnaire, illness=""))
    assert (draft.status, draft.submitted_at) == (AnswerStatus.DRAFT, None)

    done = declaration_answer(answer_set=sent, answers=answers(questionnaire), submit=True)
    assert done.status == AnswerStatus.SUBMITTED
    assert done.submitted_at is not None
    assert answers_decrypt(done.answers_encrypted)[str(question(questionnaire, 3).pk)] == MARKER

    with pytest.raises(ValidationError, match="allerede sendt inn"):
        declaration_answer(answer_set=sent, answers=answers(questionnaire), submit=True)


def test_a_follow_up_not_asked_is_neither_required_nor_kept(sent, questionnaire):
    done = declaration_answer(
        answer_set=sent, answers=answers(questionnaire, smokes="no", how_many="7"), submit=True
    )

    assert str(question(questionnaire, 2).pk) not in answers_decrypt(done.answers_encrypted)


@pytest.mark.usefixtures("norwegian")
def test_a_missing_answer_is_refused_naming_the_question(sent, questionnaire):
    with pytest.raises(ValidationError) as refused:
        declaration_answer(
            answer_set=sent, answers=answers(questionnaire, how_many=""), submit=True
        )

    key = str(question(questionnaire, 2).pk)
    assert refused.value.message_dict == {key: ["«Hvor mange om dagen?»: svar på spørsmålet."]}
    sent.refresh_from_db()
    assert (sent.status, sent.answers_encrypted) == (AnswerStatus.SENT, "")


def test_a_wrong_answer_is_refused_without_repeating_it(sent, questionnaire):
    with pytest.raises(ValidationError) as refused:
        declaration_answer(answer_set=sent, answers=answers(questionnaire, how_many=MARKER))

    assert MARKER not in str(refused.value)


def test_health_personnel_read_the_answers_and_the_read_is_audited(sent, questionnaire, cast):
    declaration_answer(answer_set=sent, answers=answers(questionnaire), submit=True)

    read = declaration_read(answer_set=sent, actor=cast.health)

    assert [a.answer for a in read] == ["yes", "10", MARKER]
    assert [a.is_follow_up for a in read] == [False, True, False]
    event = AuditEvent.objects.get(action=AuditAction.HEALTH_DECLARATION_READ)
    assert event.actor == cast.health
    assert event.object_repr == "Egenerklæring for Donald Duck"
    assert MARKER not in f"{event.object_repr} {event.changes}"


@pytest.mark.parametrize("who", ["superuser", "kam", "customer_service", "testweb", "annen"])
def test_nobody_else_reads_them_and_nothing_is_audited(sent, questionnaire, cast, who):
    declaration_answer(answer_set=sent, answers=answers(questionnaire), submit=True)

    with pytest.raises(PermissionDenied):
        declaration_read(answer_set=sent, actor=getattr(cast, who))

    assert not AuditEvent.objects.filter(action=AuditAction.HEALTH_DECLARATION_READ).exists()


def test_the_answer_set_names_no_answer(sent, questionnaire):
    done = declaration_answer(answer_set=sent, answers=answers(questionnaire), submit=True)

    assert MARKER not in f"{done} {done!r}"
