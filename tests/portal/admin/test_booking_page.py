"""Staff's page of one booking: who booked it and who cancelled it, and when — read with the
booking, whatever became of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models.appointments import Attendance
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


def _page(client, booking):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/portal/booking/{booking.pk}/change/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_cancelled_booking_names_both_and_costs_no_more_queries(cast, make_appointment, login):
    appointment = make_appointment(capacity=2)
    live = BookingFactory(appointment=appointment, employee=cast.donald, booked_by=cast.hr)
    cancelled = BookingFactory(
        appointment=appointment,
        employee=cast.dolly,
        booked_by=cast.hr,
        attendance=Attendance.CANCELLED,
        cancelled_by=cast.kam,
        cancelled_at=timezone.now(),
    )
    client = login(cast.kam)
    _page(client, live)  # the session and the user, once

    live_page, live_queries = _page(client, live)
    cancelled_page, cancelled_queries = _page(client, cancelled)

    assert cast.hr.username in live_page
    assert cast.hr.username in cancelled_page
    assert cast.kam.username in cancelled_page.split('id="booking_form"', 1)[1]
    assert cancelled_queries == live_queries
