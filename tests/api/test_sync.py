"""A synchronising system asks for what changed since its last visit: every kind of change
moves `updated_at`, a save of one field by a service too."""

import datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone

from portal import services
from portal.models import Employee
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


def test_more_rows_changed_in_one_instant_than_the_cursor_skips_page_to_the_end(tb_api, cast):
    """An import writes thousands of employees in the same instant (and a migration gives every
    row the same time of change): a synchronising system still gets each of them once, and
    comes to the end. Django REST framework's cursor caps its offset within one instant at
    1,000 rows by default, which sent the 1,001st row's page back again and again."""
    moment = timezone.now() - datetime.timedelta(days=1)
    with time_machine.travel(moment, tick=False):
        Employee.objects.bulk_create(
            Employee(
                customer=cast.testbedriften,
                department=cast.tb_main,
                first_name="Ola",
                last_name=f"Nordmann {i}",
                email=f"ola{i}@testikkeibruk.no",
            )
            for i in range(1_200)
        )
    expected = set(
        Employee.objects.filter(customer=cast.testbedriften, updated_at__gte=moment).values_list(
            "pk", flat=True
        )
    )
    url = "/api/v1/employees/?" + urlencode({"updated_since": moment.isoformat(), "page_size": 100})

    seen: list[int] = []
    for _page in range(20):
        body = tb_api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        if not url:
            break

    assert url is None
    assert len(seen) == len(set(seen))
    assert set(seen) == expected
    assert len(expected) >= 1_200
