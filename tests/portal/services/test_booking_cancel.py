"""booking_cancel, the deadline, and cancelling a leaving employee's future bookings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models.appointments import Attendance
from portal.services import (
    booking_cancel,
    booking_create,
    bookings_cancel_future_for_employee,
    employee_deactivate,
)
from tests.factories import BookingFactory


def test_hr_takes_an_employee_off_before_the_deadline(
    cast, make_appointment, on_commit, mailoutbox
):
    # given Donald on the only seat
    appointment = make_appointment(capacity=1)
    booking = booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    # when HR takes him off
    with on_commit():
        booking_cancel(booking=booking, actor=cast.hr)

    # then the booking is cancelled (kept on record, by whom, when), the seat is free again,
    # and Donald gets the cancellation
    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED
    assert booking.cancelled_by == cast.hr
    assert booking.cancelled_at is not None
    assert not booking.is_late_cancellation
    assert appointment.free_seats() == 1
    assert booking_create(appointment=appointment, employee=cast.dolly, actor=cast.hr).pk
    assert [m.to for m in mailoutbox] == [["Duck@testikkeibruk.no"]]
    assert "METHOD:CANCEL" in mailoutbox[0].attachments[0].get_payload(decode=True).decode()


def test_a_customer_cannot_cancel_after_the_deadline(cast, make_appointment):
    appointment = make_appointment(in_days=1, closes_hours=48)
    booking = BookingFactory(appointment=appointment, employee=cast.donald)

    with pytest.raises(ValidationError) as refused:
        booking_cancel(booking=booking, actor=cast.hr)

    assert refused.value.code == "deadline"
    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED


def test_staff_cancel_after_the_deadline_and_it_counts_as_late(cast, make_appointment):
    appointment = make_appointment(in_days=1, closes_hours=48)
    booking = BookingFactory(appointment=appointment, employee=cast.donald)

    booking_cancel(booking=booking, actor=cast.kam)

    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED
    assert booking.is_late_cancellation


def test_a_cancelled_booking_cannot_be_cancelled_again(cast, make_appointment):
    booking = BookingFactory(
        appointment=make_appointment(), employee=cast.donald, attendance=Attendance.CANCELLED
    )

    with pytest.raises(ValidationError) as refused:
        booking_cancel(booking=booking, actor=cast.kam)

    assert refused.value.code == "already_cancelled"


@pytest.mark.parametrize("member", ["orderer", "finance", "annen"])
def test_who_may_not_book_may_not_cancel(cast, make_appointment, member):
    booking = BookingFactory(appointment=make_appointment(), employee=cast.donald)

    with pytest.raises(PermissionDenied):
        booking_cancel(booking=booking, actor=getattr(cast, member))

    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED


def test_a_leaving_employees_future_bookings_are_cancelled_and_past_ones_kept(
    cast, make_appointment, on_commit, mailoutbox
):
    # given Donald on a past appointment (attended), one next week and one after the deadline
    past = BookingFactory(
        appointment=make_appointment(in_days=-3),
        employee=cast.donald,
        attendance=Attendance.ATTENDED,
    )
    next_week = BookingFactory(appointment=make_appointment(in_days=7), employee=cast.donald)
    tomorrow = BookingFactory(
        appointment=make_appointment(in_days=1, closes_hours=48), employee=cast.donald
    )

    # when his employer deactivates him (employee_deactivate calls this)
    with on_commit():
        cancelled = bookings_cancel_future_for_employee(employee=cast.donald, actor=cast.testweb)

    # then both future bookings are cancelled, earliest first, even the one past its deadline
    assert [b.pk for b in cancelled] == [tomorrow.pk, next_week.pk]
    for booking in (tomorrow, next_week):
        booking.refresh_from_db()
        assert booking.attendance == Attendance.CANCELLED
        assert booking.cancelled_by == cast.testweb
    past.refresh_from_db()
    assert past.attendance == Attendance.ATTENDED
    assert len(mailoutbox) == 2
    assert all(
        "METHOD:CANCEL" in m.attachments[0].get_payload(decode=True).decode() for m in mailoutbox
    )


def test_employee_deactivate_cancels_the_future_bookings(cast, make_appointment):
    """The employee service uses ours: a deactivated employee keeps no seat."""

    booking = BookingFactory(appointment=make_appointment(in_days=7), employee=cast.donald)

    cancelled = employee_deactivate(employee=cast.donald, actor=cast.testweb)

    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED
    assert [b.pk for b in cancelled] == [booking.pk]
