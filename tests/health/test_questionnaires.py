"""Defining questionnaires: a version in use is never changed in place."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from health.models import QuestionKind, Questionnaire
from health.services import (
    QuestionDraft,
    declaration_answer,
    declaration_read,
    declaration_send,
    questionnaire_drafts,
    questionnaire_save,
)

from .conftest import SMOKING, question


def edited(questionnaire, *, text_of_first: str) -> list[QuestionDraft]:
    drafts = questionnaire_drafts(questionnaire)
    return [
        QuestionDraft(**{**draft.__dict__, "text": text_of_first}) if i == 0 else draft
        for i, draft in enumerate(drafts)
    ]


def save(questionnaire, actor, drafts, **fields):
    fields.setdefault("name", questionnaire.name)
    fields.setdefault("product_groups", questionnaire.product_groups.all())
    return questionnaire_save(actor=actor, questionnaire=questionnaire, questions=drafts, **fields)


def test_a_new_questionnaire_is_version_one_with_its_follow_up(questionnaire, cast):
    assert questionnaire.version == 1
    assert list(Questionnaire.objects.offered()) == [questionnaire]
    follow_up = question(questionnaire, 2)
    assert follow_up.parent == question(questionnaire, 1)
    assert follow_up.shown_on == "yes"  # «ja» as typed, stored as the answer's value
    assert follow_up.unit == "stk"


def test_a_questionnaire_not_in_use_is_changed_in_place(questionnaire, cast):
    changed = save(questionnaire, cast.health, edited(questionnaire, text_of_first="Snuser du?"))

    assert changed.pk == questionnaire.pk
    assert changed.version == 1
    assert question(changed, 1).text == "Snuser du?"
    assert question(changed, 2).parent == question(changed, 1)
    assert Questionnaire.objects.count() == 1


def test_changing_a_questionnaire_after_one_answer_makes_a_new_version(
    questionnaire, booking, cast
):
    # given one employee answered version 1
    answer_set = declaration_send(booking=booking)
    smokes, how_many, illness = (question(questionnaire, n) for n in (1, 2, 3))
    declaration_answer(
        answer_set=answer_set,
        answers={str(smokes.pk): "yes", str(how_many.pk): "10", str(illness.pk): "Ingen"},
        submit=True,
    )

    # when health personnel change the first question and drop the last one
    drafts = edited(questionnaire, text_of_first="Røyker eller snuser du?")[:2]
    new = save(questionnaire, cast.health, drafts)

    # then that is version 2, offered from now on, and version 1 is kept but retired
    questionnaire.refresh_from_db()
    assert (new.version, new.replaces) == (2, questionnaire)
    assert not questionnaire.is_active
    assert list(Questionnaire.objects.offered()) == [new]
    assert [q.text for q in new.questions.all()] == [
        "Røyker eller snuser du?",
        "Hvor mange om dagen?",
    ]
    assert question(new, 2).parent == question(new, 1)
    assert [q.text for q in questionnaire.questions.all()] == [
        "Røyker du?",
        "Hvor mange om dagen?",
        "Har du sykdommer?",
    ]
    # and the answer still reads against its own version's questions
    answer_set.refresh_from_db()
    assert answer_set.questionnaire == questionnaire
    read = declaration_read(answer_set=answer_set, actor=cast.health)
    assert [(a.question.text, a.answer) for a in read] == [
        ("Røyker du?", "yes"),
        ("Hvor mange om dagen?", "10"),
        ("Har du sykdommer?", "Ingen"),
    ]


def test_a_declaration_sent_after_the_change_is_on_the_new_version(questionnaire, booking, cast):
    declaration_send(booking=booking)
    new = save(questionnaire, cast.health, edited(questionnaire, text_of_first="Snuser du?"))

    other = booking.__class__.objects.create(appointment=booking.appointment, employee=cast.dolly)
    assert declaration_send(booking=other).questionnaire == new


def test_a_retired_version_cannot_be_changed_again(questionnaire, booking, cast):
    declaration_send(booking=booking)
    save(questionnaire, cast.health, questionnaire_drafts(questionnaire))

    with pytest.raises(ValidationError, match="erstattet av en nyere"):
        save(questionnaire, cast.health, questionnaire_drafts(questionnaire))
    assert Questionnaire.objects.count() == 2


def test_the_new_version_is_audited(questionnaire, booking, cast):
    declaration_send(booking=booking)
    new = save(questionnaire, cast.health, questionnaire_drafts(questionnaire))

    event = AuditEvent.objects.get(object_id=str(new.pk), content_type__app_label="health")
    assert (event.actor, event.changes) == (cast.health, {"version": [1, 2]})


@pytest.mark.parametrize("who", ["testweb", "customer_service", "annen", "no_grant"])
def test_only_those_who_define_questionnaires_may(questionnaire, cast, who):
    with pytest.raises(PermissionDenied):
        save(questionnaire, getattr(cast, who), edited(questionnaire, text_of_first="Nei?"))

    assert question(questionnaire, 1).text == "Røyker du?"


def test_the_account_manager_may_define_one(cast):
    made = questionnaire_save(
        actor=cast.kam, name="Hørsel", product_groups=[cast.product_group], questions=SMOKING
    )
    assert made.created_by == cast.kam


@pytest.mark.parametrize(
    ("drafts", "message"),
    [
        ([], "Legg til minst ett spørsmål."),
        (
            [QuestionDraft(key="a", text="Hvilken?", kind=QuestionKind.ONE_OF, choices="Bare én")],
            "Spørsmål 1: gi minst to valg, ett per linje.",
        ),
        (
            [
                QuestionDraft(key="a", text="Hvem?", kind=QuestionKind.SHORT_TEXT),
                QuestionDraft(key="b", text="Hvorfor?", parent="a", shown_on="ja"),
            ],
            "Spørsmål 2: bare et ja/nei-spørsmål eller et valgspørsmål kan ha oppfølgingsspørsmål.",
        ),
        (
            [
                QuestionDraft(key="a", text="Røyker du?"),
                QuestionDraft(key="b", text="Hvor mye?", parent="a", shown_on="kanskje"),
            ],
            "Spørsmål 2: vis det ved svaret «ja» eller «nei».",
        ),
        (
            [QuestionDraft(key="a", text="  ")],
            "Spørsmål 1: skriv spørsmålet.",
        ),
    ],
)
@pytest.mark.usefixtures("norwegian")
def test_a_faulty_questionnaire_is_refused_naming_the_question(cast, drafts, message):
    with pytest.raises(ValidationError) as refused:
        questionnaire_save(actor=cast.health, name="Feil", product_groups=[], questions=drafts)

    assert message in refused.value.messages
    assert not Questionnaire.objects.filter(name="Feil").exists()
