"""A synchronising system asks for what changed since its last visit: every kind of change
moves `updated_at`, a save of one field by a service too."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from portal import services
from tests.factories import AppointmentFactory, BookingFactory

pytestmark = pytest.mark.django_db


def test_recording_attendance_brings_the_booking_into_updated_since(staff_api, cast, world):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=3), tick=False):
        appointment = AppointmentFactory(
            order=world.approved_order, starts_at=start - datetime.timedelta(days=2)
        )
        booking, untouched = (
            BookingFactory(appointment=appointment, employee=cast.donald),
            BookingFactory(appointment=appointment, employee=cast.anton),
        )
    with time_machine.travel(start, tick=False):
        services.booking_attendance_set(booking=booking, actor=cast.kam, attendance="attended")

    response = staff_api.get("/api/v1/bookings/", {"updated_since": start.isoformat()})

    ids = [row["id"] for row in response.json()["results"]]
    assert booking.pk in ids
    assert untouched.pk not in ids


def test_changing_an_appointment_brings_it_into_updated_since(staff_api, cast, world):
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=3), tick=False):
        appointment = AppointmentFactory(
            order=world.approved_order, starts_at=start + datetime.timedelta(days=10)
        )
    with time_machine.travel(start, tick=False):
        services.appointment_update(appointment=appointment, actor=cast.kam, location="Ny plass")

    response = staff_api.get("/api/v1/appointments/", {"updated_since": start.isoformat()})

    assert [row["id"] for row in response.json()["results"]] == [appointment.pk]
