"""Attendance: staff record it after the appointment has begun; customers never can."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models.appointments import Attendance
from portal.services import booking_attendance_set
from tests.factories import BookingFactory


@pytest.mark.parametrize("attendance", [Attendance.ATTENDED, Attendance.NO_SHOW])
def test_staff_record_attendance_after_the_appointment(
    order_cast, make_appointment, donald, attendance
):
    booking = BookingFactory(appointment=make_appointment(in_days=-1), employee=donald)

    booking_attendance_set(
        booking=booking, actor=order_cast.customer_service, attendance=attendance
    )

    booking.refresh_from_db()
    assert booking.attendance == attendance


def test_a_recorded_attendance_can_be_undone(order_cast, make_appointment, donald):
    booking = BookingFactory(
        appointment=make_appointment(in_days=-1), employee=donald, attendance=Attendance.NO_SHOW
    )

    booking_attendance_set(booking=booking, actor=order_cast.kam, attendance=Attendance.BOOKED)

    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED


def test_attendance_is_not_recorded_before_the_appointment(order_cast, make_appointment, donald):
    booking = BookingFactory(appointment=make_appointment(in_days=2), employee=donald)

    with pytest.raises(ValidationError) as refused:
        booking_attendance_set(booking=booking, actor=order_cast.kam, attendance="attended")

    assert refused.value.code == "not_started"


def test_a_cancelled_booking_gets_no_attendance(order_cast, make_appointment, donald):
    booking = BookingFactory(
        appointment=make_appointment(in_days=-1),
        employee=donald,
        attendance=Attendance.CANCELLED,
    )

    with pytest.raises(ValidationError):
        booking_attendance_set(booking=booking, actor=order_cast.kam, attendance="attended")


@pytest.mark.parametrize("member", ["customer_admin", "hr", "other_customer"])
def test_customers_cannot_record_attendance(order_cast, make_appointment, donald, member):
    booking = BookingFactory(appointment=make_appointment(in_days=-1), employee=donald)

    with pytest.raises(PermissionDenied):
        booking_attendance_set(
            booking=booking, actor=getattr(order_cast, member), attendance="attended"
        )

    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED
