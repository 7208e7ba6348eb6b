"""Attendance: staff record it after the appointment has begun; customers never can."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models.appointments import Attendance
from portal.services import booking_attendance_set
from tests.factories import BookingFactory


@pytest.mark.parametrize("attendance", [Attendance.ATTENDED, Attendance.NO_SHOW])
def test_staff_record_attendance_after_the_appointment(cast, make_appointment, attendance):
    booking = BookingFactory(appointment=make_appointment(in_days=-1), employee=cast.donald)

    booking_attendance_set(booking=booking, actor=cast.customer_service, attendance=attendance)

    booking.refresh_from_db()
    assert booking.attendance == attendance


def test_a_recorded_attendance_can_be_undone(cast, make_appointment):
    booking = BookingFactory(
        appointment=make_appointment(in_days=-1),
        employee=cast.donald,
        attendance=Attendance.NO_SHOW,
    )

    booking_attendance_set(booking=booking, actor=cast.kam, attendance=Attendance.BOOKED)

    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED


def test_attendance_is_not_recorded_before_the_appointment(cast, make_appointment):
    booking = BookingFactory(appointment=make_appointment(in_days=2), employee=cast.donald)

    with pytest.raises(ValidationError) as refused:
        booking_attendance_set(booking=booking, actor=cast.kam, attendance="attended")

    assert refused.value.code == "not_started"


def test_a_cancelled_booking_gets_no_attendance(cast, make_appointment):
    booking = BookingFactory(
        appointment=make_appointment(in_days=-1),
        employee=cast.donald,
        attendance=Attendance.CANCELLED,
    )

    with pytest.raises(ValidationError):
        booking_attendance_set(booking=booking, actor=cast.kam, attendance="attended")


@pytest.mark.parametrize("member", ["testweb", "hr", "annen"])
def test_customers_cannot_record_attendance(cast, make_appointment, member):
    booking = BookingFactory(appointment=make_appointment(in_days=-1), employee=cast.donald)

    with pytest.raises(PermissionDenied):
        booking_attendance_set(booking=booking, actor=getattr(cast, member), attendance="attended")

    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED
