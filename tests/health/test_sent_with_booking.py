"""A booking on an appointment whose product group has a questionnaire gets its declaration in
the same transaction, by every path that books; a move keeps it; two sends at once give one."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from health.models import AnswerStatus, QuestionnaireAnswer
from health.services import declaration_answer, declaration_send
from portal import services
from portal.models import Booking, BookingInvitation, ProductGroup
from tests.factories import AppointmentFactory, BookingFactory

from .conftest import question


@pytest.fixture
def appointment(cast, make_order, questionnaire):
    return AppointmentFactory(order=make_order("approved"), capacity=5)


def test_a_booking_made_by_hr_gets_the_declaration(cast, appointment, questionnaire):
    booking = services.booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    declaration = QuestionnaireAnswer.objects.get(booking=booking)
    assert (declaration.questionnaire, declaration.status) == (questionnaire, AnswerStatus.SENT)


def test_a_booking_of_a_product_group_without_a_questionnaire_gets_none(
    cast, make_order, questionnaire
):
    other_group = ProductGroup.objects.exclude(pk=cast.product_group.pk).first()
    appointment = AppointmentFactory(order=make_order("approved", product_group=other_group))

    booking = services.booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    assert not QuestionnaireAnswer.objects.filter(booking=booking).exists()


def test_a_refused_booking_sends_nothing(cast, appointment, questionnaire):
    services.booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    with pytest.raises(ValidationError):
        services.booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    assert QuestionnaireAnswer.objects.count() == 1


def test_a_booking_rolled_back_leaves_no_declaration(cast, appointment, questionnaire):
    def book_then_fail():
        with transaction.atomic():
            services.booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)
            raise RuntimeError("the caller's transaction fails afterwards")

    with pytest.raises(RuntimeError):
        book_then_fail()

    assert QuestionnaireAnswer.objects.count() == 0


def test_placing_many_employees_sends_each_one(cast, appointment, questionnaire):
    placements = services.bookings_place(
        order=appointment.order, employees=[cast.donald, cast.dolly], actor=cast.hr
    )

    booked = [p.booking for p in placements]
    assert QuestionnaireAnswer.objects.filter(booking__in=booked).count() == 2


def test_an_employee_choosing_from_the_invitation_gets_it(cast, appointment, questionnaire):
    invitation = BookingInvitation.objects.create(
        order=appointment.order, employee=cast.donald, invited_by=cast.hr
    )

    booking = services.booking_choose_by_employee(invitation=invitation, appointment=appointment)

    assert QuestionnaireAnswer.objects.filter(booking=booking).exists()


def test_a_moved_booking_keeps_its_declaration_and_draft(cast, appointment, questionnaire):
    booking = services.booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)
    draft = declaration_answer(
        answer_set=booking.health_declaration,
        answers={str(question(questionnaire, 1).pk): "no"},
    )
    later = AppointmentFactory(
        order=appointment.order,
        location=appointment.location,
        starts_at=appointment.starts_at + (appointment.ends_at - appointment.starts_at) * 3,
        ends_at=appointment.ends_at + (appointment.ends_at - appointment.starts_at) * 3,
        booking_deadline=appointment.booking_deadline,
    )

    services.booking_move(booking=booking, appointment=later, actor=cast.kam)

    kept = QuestionnaireAnswer.objects.get(booking=booking)
    assert (kept.pk, kept.status, kept.answers_encrypted) == (
        draft.pk,
        AnswerStatus.DRAFT,
        draft.answers_encrypted,
    )
    assert QuestionnaireAnswer.objects.count() == 1


def test_a_send_that_loses_the_race_returns_the_winners(questionnaire, booking):
    # `new=True` skips the look-up, as a second send would that looked before the first wrote
    first = declaration_send(booking=booking, new=True)

    second = declaration_send(booking=booking, new=True)

    assert second == first
    assert QuestionnaireAnswer.objects.count() == 1


def _send_together(booking_pk: int) -> list:
    """Two sends for one booking at once, each on its own connection; their outcomes."""
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def send(index):
        try:
            booking = Booking.objects.select_related("appointment__order").get(pk=booking_pk)
            barrier.wait(timeout=10)
            outcomes[index] = declaration_send(booking=booking).pk
        except Exception as error:  # every outcome is judged by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_give_one_declaration(cast, make_order, questionnaire):
    for _round in range(5):
        booking = BookingFactory(
            appointment=AppointmentFactory(order=make_order("approved")), employee=cast.donald
        )

        outcomes = _send_together(booking.pk)

        declaration = QuestionnaireAnswer.objects.get(booking=booking)
        assert outcomes == [declaration.pk, declaration.pk]
