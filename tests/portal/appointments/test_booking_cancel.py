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
    order_cast, make_appointment, donald, dolly, on_commit, mailoutbox
):
    # given Donald on the only seat
    appointment = make_appointment(capacity=1)
    booking = booking_create(appointment=appointment, employee=donald, actor=order_cast.hr)

    # when HR takes him off
    with on_commit():
        booking_cancel(booking=booking, actor=order_cast.hr)

    # then the booking is cancelled (kept on record, by whom, when), the seat is free again,
    # and Donald gets the cancellation
    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED
    assert booking.cancelled_by == order_cast.hr
    assert booking.cancelled_at is not None
    assert not booking.is_late_cancellation
    assert appointment.free_seats() == 1
    assert booking_create(appointment=appointment, employee=dolly, actor=order_cast.hr).pk
    assert [m.to for m in mailoutbox] == [["Duck@testikkeibruk.no"]]
    assert "METHOD:CANCEL" in mailoutbox[0].attachments[0].get_payload(decode=True).decode()


def test_a_customer_cannot_cancel_after_the_deadline(order_cast, make_appointment, donald):
    appointment = make_appointment(in_days=1, closes_hours=48)
    booking = BookingFactory(appointment=appointment, employee=donald)

    with pytest.raises(ValidationError) as refused:
        booking_cancel(booking=booking, actor=order_cast.hr)

    assert refused.value.code == "deadline"
    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED


def test_staff_cancel_after_the_deadline_and_it_counts_as_late(
    order_cast, make_appointment, donald
):
    appointment = make_appointment(in_days=1, closes_hours=48)
    booking = BookingFactory(appointment=appointment, employee=donald)

    booking_cancel(booking=booking, actor=order_cast.kam)

    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED
    assert booking.is_late_cancellation


def test_a_cancelled_booking_cannot_be_cancelled_again(order_cast, make_appointment, donald):
    booking = BookingFactory(
        appointment=make_appointment(), employee=donald, attendance=Attendance.CANCELLED
    )

    with pytest.raises(ValidationError) as refused:
        booking_cancel(booking=booking, actor=order_cast.kam)

    assert refused.value.code == "already_cancelled"


@pytest.mark.parametrize("member", ["orderer", "finance", "other_customer"])
def test_who_may_not_book_may_not_cancel(order_cast, make_appointment, donald, member):
    booking = BookingFactory(appointment=make_appointment(), employee=donald)

    with pytest.raises(PermissionDenied):
        booking_cancel(booking=booking, actor=getattr(order_cast, member))

    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED


def test_a_leaving_employees_future_bookings_are_cancelled_and_past_ones_kept(
    order_cast, make_appointment, donald, on_commit, mailoutbox
):
    # given Donald on a past appointment (attended), one next week and one after the deadline
    past = BookingFactory(
        appointment=make_appointment(in_days=-3), employee=donald, attendance=Attendance.ATTENDED
    )
    next_week = BookingFactory(appointment=make_appointment(in_days=7), employee=donald)
    tomorrow = BookingFactory(
        appointment=make_appointment(in_days=1, closes_hours=48), employee=donald
    )

    # when his employer deactivates him (employee_deactivate calls this)
    with on_commit():
        cancelled = bookings_cancel_future_for_employee(
            employee=donald, actor=order_cast.customer_admin
        )

    # then both future bookings are cancelled, earliest first, even the one past its deadline
    assert [b.pk for b in cancelled] == [tomorrow.pk, next_week.pk]
    for booking in (tomorrow, next_week):
        booking.refresh_from_db()
        assert booking.attendance == Attendance.CANCELLED
        assert booking.cancelled_by == order_cast.customer_admin
    past.refresh_from_db()
    assert past.attendance == Attendance.ATTENDED
    assert len(mailoutbox) == 2
    assert all(
        "METHOD:CANCEL" in m.attachments[0].get_payload(decode=True).decode() for m in mailoutbox
    )


def test_employee_deactivate_cancels_the_future_bookings(order_cast, make_appointment, donald):
    """The employee service uses ours: a deactivated employee keeps no seat."""

    booking = BookingFactory(appointment=make_appointment(in_days=7), employee=donald)

    cancelled = employee_deactivate(employee=donald, actor=order_cast.customer_admin)

    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED
    assert [b.pk for b in cancelled] == [booking.pk]
