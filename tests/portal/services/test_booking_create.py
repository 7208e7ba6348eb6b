"""booking_create: every rule, and what the employee is told."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Booking
from portal.models.appointments import Attendance
from portal.services import booking_create
from tests.factories import BookingFactory


def refused_with(code, call):
    with pytest.raises(ValidationError) as refused:
        call()
    assert refused.value.code == code, refused.value.messages
    return refused.value


def test_hr_books_an_active_employee_on_a_free_appointment(
    cast, make_appointment, on_commit, mailoutbox
):
    # given an appointment of Testbedriften's health check order with one seat
    appointment = make_appointment(capacity=1)

    # when HR books Donald Duck on it
    with on_commit():
        booking = booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    # then he holds the seat, booked by HR, and gets one e-mail
    assert booking.attendance == Attendance.BOOKED
    assert booking.booked_by == cast.hr
    assert appointment.free_seats() == 0
    assert [m.to for m in mailoutbox] == [["Duck@testikkeibruk.no"]]


def test_the_last_seat_taken_refuses_the_next_one(cast, make_appointment):
    appointment = make_appointment(capacity=1)
    booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    error = refused_with(
        "full",
        lambda: booking_create(appointment=appointment, employee=cast.dolly, actor=cast.hr),
    )

    assert appointment.time_range in error.messages[0]
    assert "Bergen" in error.messages[0]
    assert list(appointment.bookings.values_list("employee__first_name", flat=True)) == ["Donald"]


def test_a_cancelled_booking_frees_its_seat(cast, make_appointment):
    appointment = make_appointment(capacity=1)
    BookingFactory(appointment=appointment, employee=cast.donald, attendance=Attendance.CANCELLED)

    booking_create(appointment=appointment, employee=cast.dolly, actor=cast.hr)

    assert appointment.free_seats() == 0


def test_an_employee_is_booked_once_per_appointment(cast, make_appointment):
    appointment = make_appointment(capacity=5)
    booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    refused_with(
        "already_booked",
        lambda: booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr),
    )
    assert appointment.bookings.count() == 1


def test_after_a_cancellation_the_employee_can_be_booked_again(cast, make_appointment):
    appointment = make_appointment(capacity=5)
    BookingFactory(appointment=appointment, employee=cast.donald, attendance=Attendance.CANCELLED)

    booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    assert appointment.bookings.holding_seats().count() == 1
    assert appointment.bookings.count() == 2  # the cancellation stays on record


@pytest.mark.parametrize(
    ("at", "minutes", "overlaps"),
    [
        ("08:10", 20, True),  # starts inside
        ("07:50", 20, True),  # ends inside
        ("07:00", 120, True),  # around it
        ("08:20", 20, False),  # right after
        ("07:40", 20, False),  # right before
    ],
)
def test_an_employee_cannot_be_on_two_appointments_that_overlap(
    cast, make_appointment, at, minutes, overlaps
):
    # given Donald on 08:00–08:20
    booking_create(
        appointment=make_appointment(at="08:00", capacity=5), employee=cast.donald, actor=cast.hr
    )
    other = make_appointment(at=at, minutes=minutes, capacity=5, location="Oslo")

    def book():
        return booking_create(appointment=other, employee=cast.donald, actor=cast.hr)

    if overlaps:
        error = refused_with("overlap", book)
        assert "Donald Duck" in error.messages[0]
    else:
        assert book().pk


def test_an_overlap_with_a_cancelled_booking_or_appointment_does_not_count(cast, make_appointment):
    cancelled_booking = make_appointment(at="08:00", capacity=5)
    BookingFactory(
        appointment=cancelled_booking, employee=cast.donald, attendance=Attendance.CANCELLED
    )
    cancelled_appointment = make_appointment(at="08:00", capacity=5, is_cancelled=True)
    BookingFactory(appointment=cancelled_appointment, employee=cast.donald)

    booking = booking_create(
        appointment=make_appointment(at="08:10", capacity=5),
        employee=cast.donald,
        actor=cast.hr,
    )

    assert booking.pk


def test_a_deactivated_employee_cannot_be_booked(cast, make_appointment):
    cast.donald.is_active = False
    cast.donald.deactivated_at = timezone.now()
    cast.donald.save(update_fields=["is_active", "deactivated_at"])

    error = refused_with(
        "inactive",
        lambda: booking_create(appointment=make_appointment(), employee=cast.donald, actor=cast.hr),
    )

    assert "Donald Duck" in error.messages[0]
    assert not Booking.objects.exists()


def test_a_customer_user_cannot_book_another_customers_employee(cast, make_appointment):
    with pytest.raises(PermissionDenied) as refused:
        booking_create(appointment=make_appointment(), employee=cast.ola, actor=cast.hr)

    assert "Ola" not in str(refused.value)  # nothing learnt of the other customer
    assert not Booking.objects.exists()


def test_a_customer_user_cannot_book_into_another_customers_appointment(
    cast, make_appointment, ek_order
):
    appointment = make_appointment(order=ek_order, location="Trondheim")

    with pytest.raises(PermissionDenied) as refused:
        booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    assert "Trondheim" not in str(refused.value)
    assert not Booking.objects.exists()


def test_staff_cannot_book_an_employee_onto_another_customers_order(
    cast, make_appointment, ek_order
):
    appointment = make_appointment(order=ek_order)

    refused_with(
        "other_customer",
        lambda: booking_create(appointment=appointment, employee=cast.donald, actor=cast.kam),
    )


@pytest.mark.parametrize("member", ["orderer", "finance"])
def test_a_customer_user_without_book_employees_cannot_book(cast, make_appointment, member):
    with pytest.raises(PermissionDenied):
        booking_create(
            appointment=make_appointment(), employee=cast.donald, actor=getattr(cast, member)
        )
    assert not Booking.objects.exists()


def test_a_department_user_books_only_their_own_departments_employees_and_orders(
    cast, make_appointment, bergen_order, hk_order
):
    bergen = cast.bergen
    # their own employee on their own department's order: yes
    assert booking_create(
        appointment=make_appointment(order=bergen_order), employee=cast.anton, actor=bergen
    ).pk
    # an employee of "Testbedriften AS" (not their department): no
    with pytest.raises(PermissionDenied):
        booking_create(
            appointment=make_appointment(order=bergen_order, at="10:00"),
            employee=cast.donald,
            actor=bergen,
        )
    # their employee on the order of "Testbedriften AS": no
    with pytest.raises(PermissionDenied):
        booking_create(
            appointment=make_appointment(order=hk_order), employee=cast.anton, actor=bergen
        )


def test_a_customer_cannot_book_after_the_deadline_and_is_told_when_it_closed(
    cast, make_appointment
):
    # given an appointment tomorrow at 08:00 whose booking closed 48 hours before
    appointment = make_appointment(in_days=1, closes_hours=48)

    error = refused_with(
        "deadline",
        lambda: booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr),
    )

    deadline = timezone.localtime(appointment.booking_deadline).strftime("%d.%m.%Y %H:%M")
    assert deadline in error.messages[0]


def test_staff_may_book_after_the_deadline(cast, make_appointment):
    appointment = make_appointment(in_days=1, closes_hours=48)

    booking = booking_create(appointment=appointment, employee=cast.donald, actor=cast.kam)

    assert booking.booked_by == cast.kam


def test_nobody_books_into_a_cancelled_or_past_appointment(cast, make_appointment):
    cancelled = make_appointment(is_cancelled=True)
    refused_with(
        "appointment_cancelled",
        lambda: booking_create(appointment=cancelled, employee=cast.donald, actor=cast.kam),
    )
    past = make_appointment(in_days=-1)
    refused_with(
        "past", lambda: booking_create(appointment=past, employee=cast.donald, actor=cast.kam)
    )


def test_a_refused_booking_sends_no_mail(cast, make_appointment, on_commit, mailoutbox):
    appointment = make_appointment(capacity=1)
    booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    with on_commit(), pytest.raises(ValidationError):
        booking_create(appointment=appointment, employee=cast.dolly, actor=cast.hr)

    assert mailoutbox == []


def test_a_booking_that_the_database_would_refuse_is_refused_first(cast, make_appointment):
    """The unique constraint holds even for a booking written without the service."""

    appointment = make_appointment(capacity=5)
    booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(appointment=appointment, employee=cast.donald)


def test_the_deadline_rule_is_the_appointments_not_the_clock_of_the_day(cast, make_appointment):
    """Booking closes at the deadline itself: one minute before it is still open."""
    appointment = make_appointment(in_days=2, closes_hours=0)
    appointment.booking_deadline = timezone.now() + datetime.timedelta(minutes=1)
    appointment.save(update_fields=["booking_deadline"])

    assert booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr).pk
