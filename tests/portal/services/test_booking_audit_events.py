"""Bookings and appointments in the audit trail: who booked, cancelled, recorded attendance,
made, moved or cancelled an appointment; shown to staff under «Bookings and appointments».
A refused change writes nothing, and no event holds a national identity number."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from audit.trail import KINDS
from portal.admin.booking_views import SELECTION_KEY
from portal.formatting import format_datetime
from portal.models import Appointment, Booking
from portal.services import (
    appointment_cancel,
    appointment_create,
    appointment_series_create,
    appointment_update,
    booking_attendance_set,
    booking_cancel,
    booking_create,
    employee_deactivate,
    employee_update,
)
from tests.factories import BookingFactory
from tests.portal.helpers import NUMBER, leaked_runs

TRAIL = "/revisjonslogg/"


def events_of(obj):
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("pk")
    )


def trail_rows(client, kind="bookings"):
    """The staff audit trail page's rows under one kind."""
    response = client.get(TRAIL, {"kind": kind})
    assert response.status_code == 200
    return response.context["rows"]


def audit_inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith('INSERT INTO "portal_auditevent"'))


# -- bookings ---------------------------------------------------------------------------------


def test_a_booking_made_by_hr_is_in_the_trail_with_who_and_what(cast, make_appointment, login):
    appointment = make_appointment()

    booking = booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)

    [event] = events_of(booking)
    assert (event.actor, event.action) == (cast.hr, "created")
    assert event.changes == {
        "employee": [None, "Donald Duck"],
        "appointment": [None, str(appointment)],
    }
    [row] = trail_rows(login(cast.kam))
    assert row.kind == str(KINDS["bookings"].label)
    assert row.actor == cast.hr
    assert row.object_label == str(booking)
    assert row.object_url == f"/portal/booking/{booking.pk}/change/"
    assert "Donald Duck" in row.summary
    assert str(appointment) in row.summary


def test_book_on_appointments_writes_one_event_per_booking_made(
    cast, hk_order, make_appointment, login
):
    # given two free seats for three employees, chosen in the employee list
    appointment = make_appointment(at="08:00", capacity=2)
    client = login(cast.hr)
    session = client.session
    session[SELECTION_KEY] = [e.pk for e in (cast.donald, cast.dolly, cast.anton)]
    session.save()

    # when HR confirms them in the grid of «Book på timeavtaler», all three on the one time
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/portal/appointment/book/{hk_order.pk}/",
            {f"appointment-{e.pk}": appointment.pk for e in (cast.anton, cast.dolly, cast.donald)},
        )

    # then the two booked (Anton and Dolly, in the grid's name order) have an event each;
    # Donald, who got no seat, has none; each booking cost one INSERT of its event
    assert response.status_code == 302
    booked = list(Booking.objects.filter(appointment__order=hk_order).order_by("pk"))
    assert [b.employee for b in booked] == [cast.anton, cast.dolly]
    for booking in booked:
        [event] = events_of(booking)
        assert (event.actor, event.action) == (cast.hr, "created")
    assert audit_inserts(queries) == len(booked)
    assert len(trail_rows(login(cast.kam))) == 2


def test_a_cancelled_booking_says_who_cancelled_it(cast, make_appointment, login):
    booking = booking_create(
        appointment=make_appointment(), employee=cast.donald, actor=cast.testweb
    )

    booking_cancel(booking=booking, actor=cast.hr)

    _made, cancelled = events_of(booking)
    assert (cancelled.actor, cancelled.action) == (cast.hr, "cancelled")
    assert cancelled.changes == {"attendance": ["booked", "cancelled"]}
    rows = trail_rows(login(cast.kam))
    assert [row.actor for row in rows] == [cast.hr, cast.testweb]
    assert rows[0].summary == "oppmøte: Booket → Avbestilt"


def test_staff_recording_attendance_is_in_the_trail_and_nothing_else_is(
    cast, make_appointment, login
):
    booking = BookingFactory(appointment=make_appointment(in_days=-1), employee=cast.donald)

    response = login(cast.customer_service).post(
        f"/portal/appointment/{booking.appointment_id}/attendance/",
        {"booking": booking.pk, "attendance": "no_show", "_form_submitted": "on"},
    )

    assert response.status_code == 302
    [event] = events_of(booking)
    assert (event.actor, event.action) == (cast.customer_service, "changed")
    assert event.changes == {"attendance": ["booked", "no_show"]}
    [row] = trail_rows(login(cast.kam))
    assert row.summary == "oppmøte: Booket → Ikke møtt"


def test_recording_the_same_attendance_again_writes_no_second_event(cast, make_appointment):
    booking = BookingFactory(appointment=make_appointment(in_days=-1), employee=cast.donald)
    booking_attendance_set(booking=booking, actor=cast.kam, attendance="attended")

    booking_attendance_set(booking=booking, actor=cast.kam, attendance="attended")

    assert [e.changes for e in events_of(booking)] == [{"attendance": ["booked", "attended"]}]


def test_deactivating_an_employee_records_each_booking_it_cancels(
    cast, bergen_order, make_appointment
):
    bookings = [
        BookingFactory(appointment=make_appointment(in_days=5), employee=cast.donald),
        BookingFactory(
            appointment=make_appointment(order=bergen_order, in_days=6), employee=cast.donald
        ),
    ]

    with CaptureQueriesContext(connection) as queries:
        cancelled = employee_deactivate(employee=cast.donald, actor=cast.testweb)

    assert {b.pk for b in cancelled} == {b.pk for b in bookings}
    for booking in bookings:
        [event] = events_of(booking)
        assert (event.actor, event.action) == (cast.testweb, "cancelled")
    assert audit_inserts(queries) == 2  # the bookings' events together, the employee's


# -- appointments ---------------------------------------------------------------------------


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_an_appointment_made_by_staff_is_in_the_trail(cast, hk_order, login):
    starts = _at(10, 8)

    appointment = appointment_create(
        order=hk_order,
        actor=cast.kam,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=30),
        location="Bergen",
        capacity=3,
        instructions="Ta med legitimasjon.",
    )

    [event] = events_of(appointment)
    assert (event.actor, event.action) == (cast.kam, "created")
    assert event.changes == {
        "order": [None, 290467],
        "starts_at": [None, format_datetime(starts)],
        "ends_at": [None, format_datetime(starts + datetime.timedelta(minutes=30))],
        "location": [None, "Bergen"],
        "instructions": [None, "Ta med legitimasjon."],
        "capacity": [None, 3],
        "booking_deadline": [None, format_datetime(starts)],
    }
    [row] = trail_rows(login(cast.kam))
    assert row.object_url == appointment.get_absolute_url()
    assert "kapasitet: 3" in row.summary


def test_a_series_writes_one_event_per_appointment_in_one_insert(cast, hk_order):
    with CaptureQueriesContext(connection) as queries:
        created = appointment_series_create(
            order=hk_order,
            actor=cast.kam,
            first_date=timezone.localdate() + datetime.timedelta(days=10),
            start=datetime.time(8),
            end=datetime.time(10),
            every_minutes=20,
            location="Bergen",
        )

    assert len(created) == 6
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Appointment), action="created"
    )
    assert sorted(int(e.object_id) for e in events) == sorted(a.pk for a in created)
    assert {e.actor for e in events} == {cast.kam}
    assert audit_inserts(queries) == 1


def test_a_moved_appointment_records_old_and_new(cast, make_appointment, login):
    appointment = make_appointment(capacity=2)
    old_start = appointment.starts_at
    new_start = old_start + datetime.timedelta(hours=2)

    appointment_update(
        appointment=appointment,
        actor=cast.kam,
        starts_at=new_start,
        ends_at=new_start + datetime.timedelta(minutes=20),
        location="Oslo",
        capacity=2,  # unchanged: not recorded
    )

    [event] = events_of(appointment)
    assert (event.actor, event.action) == (cast.kam, "changed")
    assert event.changes == {
        "starts_at": [format_datetime(old_start), format_datetime(new_start)],
        "ends_at": [
            format_datetime(old_start + datetime.timedelta(minutes=20)),
            format_datetime(new_start + datetime.timedelta(minutes=20)),
        ],
        "location": ["Bergen", "Oslo"],
    }
    [row] = trail_rows(login(cast.kam))
    assert "sted: Bergen → Oslo" in row.summary


def test_a_cancelled_appointment_records_itself_and_each_booking_in_two_inserts(
    cast, make_appointment, login
):
    appointment = make_appointment(capacity=2)
    bookings = [
        BookingFactory(appointment=appointment, employee=e) for e in (cast.donald, cast.dolly)
    ]

    with CaptureQueriesContext(connection) as queries:
        appointment_cancel(appointment=appointment, actor=cast.kam)

    [event] = events_of(appointment)
    assert (event.actor, event.action) == (cast.kam, "cancelled")
    assert event.changes == {"is_cancelled": [False, True], "cancelled_bookings": [2, 0]}
    for booking in bookings:
        [cancelled] = events_of(booking)
        assert (cancelled.actor, cancelled.action) == (cast.kam, "cancelled")
    assert audit_inserts(queries) == 2
    rows = trail_rows(login(cast.kam))
    assert sorted(row.action for row in rows) == ["Avbestilt", "Avbestilt", "Avlyst"]


# -- what is never written ---------------------------------------------------------------------


@pytest.fixture
def refusable(cast, make_appointment):
    """An appointment whose booking has closed, with Donald on it; Donald on one still to
    come; an appointment already cancelled."""
    closed = make_appointment(in_days=1, closes_hours=48)
    return SimpleNamespace(
        cast=cast,
        hr=cast.hr,
        donald=cast.donald,
        closed=closed,
        late=BookingFactory(appointment=closed, employee=cast.donald),
        future=BookingFactory(appointment=make_appointment(at="09:00"), employee=cast.donald),
        cancelled=make_appointment(at="10:00", is_cancelled=True),
    )


REFUSALS = {
    "booking after the deadline": (
        lambda w: booking_create(appointment=w.closed, employee=w.donald, actor=w.hr),
        ValidationError,
    ),
    "cancelling after the deadline": (
        lambda w: booking_cancel(booking=w.late, actor=w.hr),
        ValidationError,
    ),
    "attendance before the start": (
        lambda w: booking_attendance_set(booking=w.future, actor=w.cast.kam, attendance="attended"),
        ValidationError,
    ),
    "attendance by a customer": (
        lambda w: booking_attendance_set(booking=w.future, actor=w.hr, attendance="no_show"),
        PermissionDenied,
    ),
    "a customer moving an appointment": (
        lambda w: appointment_update(appointment=w.closed, actor=w.hr, location="Oslo"),
        PermissionDenied,
    ),
    "no seats": (
        lambda w: appointment_update(appointment=w.closed, actor=w.cast.kam, capacity=0),
        ValidationError,
    ),
    "cancelling twice": (
        lambda w: appointment_cancel(appointment=w.cancelled, actor=w.cast.kam),
        ValidationError,
    ),
}


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_a_refused_change_writes_nothing(refusal, refusable):
    call, error = REFUSALS[refusal]
    before = AuditEvent.objects.count()

    with pytest.raises(error):
        call(refusable)

    assert AuditEvent.objects.count() == before


def test_no_event_holds_a_national_identity_number(cast, make_appointment, login):
    employee_update(employee=cast.donald, actor=cast.testweb, national_id=NUMBER)
    appointment = make_appointment(capacity=2)
    booking = booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)
    booking_cancel(booking=booking, actor=cast.hr)
    appointment_cancel(appointment=appointment, actor=cast.kam)

    stored = json.dumps(
        list(AuditEvent.objects.values("object_repr", "changes")), ensure_ascii=False
    )
    page = login(cast.kam).get(TRAIL, {"kind": "bookings"}).content.decode()

    assert leaked_runs(stored) == []
    assert leaked_runs(page) == []
