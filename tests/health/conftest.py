"""What the health tests share: a questionnaire for «Helsekontroll (HK)» and Donald booked on
an appointment of it, and answers that carry a marker no page may show."""

import pytest
from django.db import connection

from health.crypto import answers_encrypt
from health.models import Question, QuestionKind, Questionnaire, QuestionnaireAnswer
from tests.factories import AppointmentFactory, BookingFactory

#: The answer no one but health personnel may ever read.
MARKER = "Markør-astma-7731"


@pytest.fixture
def questionnaire(cast):
    """«Helsekontroll» version 1: smoking (yes/no) with «Hvis ja: hvor mye?», and a text."""
    form = Questionnaire.objects.create(name="Helsekontroll")
    form.product_groups.set([cast.product_group])
    smokes = Question.objects.create(
        questionnaire=form, order=1, text="Røyker du?", kind=QuestionKind.YES_NO
    )
    Question.objects.create(
        questionnaire=form,
        order=2,
        text="Hvor mange om dagen?",
        kind=QuestionKind.NUMBER,
        unit="stk",
        parent=smokes,
        shown_on="yes",
    )
    Question.objects.create(
        questionnaire=form, order=3, text="Har du sykdommer?", kind=QuestionKind.LONG_TEXT
    )
    return form


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
