"""The EPJ records whether an employee came: through the service of the admin's attendance,
with its webhook and audit event; never for a customer's token, never on another's row."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from portal.models.appointments import Attendance
from tests.factories import AppointmentFactory, BookingFactory
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def started(frozen_clock, cast, world):
    """Donald's booking on a health check that began an hour ago."""
    starts = timezone.now() - datetime.timedelta(hours=1)
    appointment = AppointmentFactory(
        order=world.approved_order,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        booking_deadline=starts - datetime.timedelta(days=1),
    )
    return BookingFactory(appointment=appointment, employee=cast.donald)


@pytest.fixture
def crm_hook(cast, settings):
    settings.WEBHOOKS_ALLOW_HTTP = settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    return webhook_endpoint_create(
        actor=cast.superuser,
        name="CRM",
        url="http://127.0.0.1:9/hooks",
        events=["booking.attendance_set"],
    )


def _attendance(client, booking, value):
    return client.post(
        f"/api/v1/bookings/{booking.pk}/attendance/", {"attendance": value}, format="json"
    )


def test_the_epj_records_attended_and_the_crm_hears_of_it(staff_api, started, crm_hook):
    response = _attendance(staff_api, started, "attended")

    assert response.status_code == 200, response.content
    assert response.json()["attendance"] == Attendance.ATTENDED
    started.refresh_from_db()
    assert started.attendance == Attendance.ATTENDED
    delivery = WebhookDelivery.objects.get(endpoint=crm_hook)
    assert delivery.event == "booking.attendance_set"
    assert delivery.payload["id"] == started.pk
    assert delivery.payload["attendance"] == "attended"


def test_the_change_is_audited_with_the_tokens_name(staff_api, started):
    _attendance(staff_api, started, "no_show")

    event = AuditEvent.objects.get(object_id=str(started.pk), content_type__model="booking")
    assert event.actor == staff_api.token.user
    assert event.changes == {"attendance": ["booked", "no_show"]}


def test_booked_undoes_a_recorded_attendance(staff_api, started):
    _attendance(staff_api, started, "attended")

    response = _attendance(staff_api, started, "booked")

    assert response.json()["attendance"] == Attendance.BOOKED


def test_a_customers_token_may_not_record_attendance(tb_api, started, crm_hook):
    response = _attendance(tb_api, started, "attended")

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    started.refresh_from_db()
    assert started.attendance == Attendance.BOOKED
    assert not WebhookDelivery.objects.exists()


def test_another_customers_booking_is_404(token, cast, world):
    client = token(customer=cast.testbedriften, name="Testbedriften EPJ")

    response = _attendance(client, world.ek_booking, "attended")

    assert response.status_code == 404


def test_without_the_write_scope_403(token, started):
    client = token(["appointments:read"], name="Lesende EPJ")

    response = _attendance(client, started, "attended")

    assert response.status_code == 403
    started.refresh_from_db()
    assert started.attendance == Attendance.BOOKED


def test_before_the_appointment_starts_409_saying_so(staff_api, cast, world, frozen_clock):
    starts = timezone.now() + datetime.timedelta(days=2)
    booking = BookingFactory(
        appointment=AppointmentFactory(
            order=world.approved_order,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=20),
        ),
        employee=cast.donald,
    )

    response = _attendance(staff_api, booking, "attended")

    assert response.status_code == 409
    assert "har ikke startet ennå" in response.json()["detail"]
    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED


def test_a_cancelled_booking_is_409(staff_api, started):
    started.attendance = Attendance.CANCELLED
    started.cancelled_at = timezone.now()
    started.save(update_fields=["attendance", "cancelled_at"])

    response = _attendance(staff_api, started, "attended")

    assert response.status_code == 409
    assert "avbestilt" in response.json()["detail"]


@pytest.mark.parametrize("value", ["cancelled", "came", ""])
def test_anything_but_an_attendance_is_400_naming_the_field(staff_api, started, value):
    response = _attendance(staff_api, started, value)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["attendance"]
