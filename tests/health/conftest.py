"""What the health tests share: a questionnaire for «Helsekontroll (HK)» and Donald booked on
an appointment of it, and answers that carry a marker no page may show."""

import pytest
from django.db import connection

from health.crypto import answers_encrypt
from health.models import QuestionKind, QuestionnaireAnswer
from health.services import QuestionDraft, questionnaire_save
from tests.factories import AppointmentFactory, BookingFactory

#: The answer no one but health personnel may ever read.
MARKER = "Markør-astma-7731"


SMOKING = [
    QuestionDraft(key="smokes", order=1, text="Røyker du?", kind=QuestionKind.YES_NO),
    QuestionDraft(
        key="how_many",
        order=2,
        text="Hvor mange om dagen?",
        kind=QuestionKind.NUMBER,
        unit="stk",
        parent="smokes",
        shown_on="ja",
    ),
    QuestionDraft(key="illness", order=3, text="Har du sykdommer?", kind=QuestionKind.LONG_TEXT),
]


@pytest.fixture
def questionnaire(cast):
    """«Helsekontroll» version 1 for «Helsekontroll (HK)»: smoking (yes/no) with «Hvis ja:
    hvor mange om dagen?» (a number), and illnesses (long text), made by health personnel."""
    return questionnaire_save(
        actor=cast.health,
        name="Helsekontroll",
        product_groups=[cast.product_group],
        questions=SMOKING,
    )


def question(questionnaire, order: int):
    return questionnaire.questions.get(order=order)


@pytest.fixture
def booking(cast, make_order):
    appointment = AppointmentFactory(order=make_order("approved"))
    return BookingFactory(appointment=appointment, employee=cast.donald)


def raw_row(answer_set: QuestionnaireAnswer) -> str:
    """The answer set's row as the database holds it, every column as text."""
    table = QuestionnaireAnswer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [answer_set.pk])
        return " ".join(str(value) for value in cursor.fetchone())


def answered(booking, questionnaire, answers: dict) -> QuestionnaireAnswer:
    """An answer set stored as the services store it: the answers encrypted."""
    return QuestionnaireAnswer.objects.create(
        booking=booking,
        questionnaire=questionnaire,
        status="submitted",
        answers_encrypted=answers_encrypt(answers),
    )
