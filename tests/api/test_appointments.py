"""The booking system (EPJ) creates, changes and cancels appointments through the same
services as staff; a customer's token may read them but not do that."""

import datetime

import pytest
from django.utils import timezone

from api.scopes import Scope
from audit.models import AuditEvent
from portal.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def epj(token):
    return token([Scope.APPOINTMENTS_READ, Scope.APPOINTMENTS_WRITE], name="EPJ")


def times(days=10):
    start = (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
    }


def test_the_booking_system_creates_changes_and_cancels_an_appointment(epj, world, frozen_clock):
    created = epj.post(
        "/api/v1/appointments/",
        {"order": world.approved_order.pk, "location": "Bergen", "capacity": 5} | times(),
        format="json",
    )
    assert created.status_code == 201, created.content
    appointment = Appointment.objects.get(pk=created.json()["id"])
    assert appointment.department == world.approved_order.department

    changed = epj.patch(
        f"/api/v1/appointments/{appointment.pk}/",
        {"location": "Bergen sentrum"},
        format="json",
        HTTP_IF_MATCH=created["ETag"],
    )
    assert changed.status_code == 200, changed.content
    stale = epj.patch(
        f"/api/v1/appointments/{appointment.pk}/",
        {"capacity": 2},
        format="json",
        HTTP_IF_MATCH=created["ETag"],
    )
    assert stale.status_code == 412
    cancelled = epj.post(f"/api/v1/appointments/{appointment.pk}/cancel/", format="json")
    assert cancelled.status_code == 200
    assert cancelled.json()["is_cancelled"] is True

    appointment.refresh_from_db()
    assert (appointment.location, appointment.capacity) == ("Bergen sentrum", 5)
    actors = set(
        AuditEvent.objects.filter(object_id=str(appointment.pk)).values_list("actor", flat=True)
    )
    assert actors == {epj.token.user.pk}


def test_a_customers_token_may_not_create_appointments(token, cast, world):
    client = token([Scope.APPOINTMENTS_READ, Scope.APPOINTMENTS_WRITE], customer=cast.testbedriften)

    response = client.post(
        "/api/v1/appointments/",
        {"order": world.approved_order.pk, "location": "Bergen"} | times(),
        format="json",
    )

    assert response.status_code == 403
    assert (
        not Appointment.objects.filter(location="Bergen", order=world.approved_order)
        .exclude(pk=world.tb_appointment.pk)
        .exists()
    )


def test_an_appointment_ending_before_it_starts_is_refused_naming_the_field(epj, world):
    start = times()
    response = epj.post(
        "/api/v1/appointments/",
        {
            "order": world.approved_order.pk,
            "location": "Bergen",
            "starts_at": start["ends_at"],
            "ends_at": start["starts_at"],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "ends_at" in response.json()["errors"]
