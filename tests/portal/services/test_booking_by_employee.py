"""What the employee does from the link in their booking mail: «Jeg kommer», «Jeg kan ikke
komme» (before and after the deadline) and «Bytt tid» (`booking_move`)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from audit.models import AuditActor, AuditEvent
from audit.trail import audit_entries, audit_rows
from portal.models import Notification
from portal.models.appointments import Attendance
from portal.services import (
    booking_cancel_by_employee,
    booking_confirm_by_employee,
    booking_create,
    booking_move,
)
from portal.services.booking_links import EMPLOYEE_VIA_LINK
from portal.services.bookings import move_targets
from tests.factories import BookingFactory, OrderFactory
from tests.portal.services.test_booking_mail import ics_lines


def booked(cast, appointment, employee=None):
    return booking_create(appointment=appointment, employee=employee or cast.donald, actor=cast.hr)


# -- «Jeg kommer» --------------------------------------------------------------------------------


def test_jeg_kommer_is_recorded_once_and_audited_as_the_employee_via_link(cast, make_appointment):
    booking = booked(cast, make_appointment())

    booking_confirm_by_employee(booking=booking)
    booking.refresh_from_db()
    first = booking.employee_confirmed_at
    booking_confirm_by_employee(booking=booking)  # pressed again: nothing changes
    booking.refresh_from_db()

    assert first is not None
    assert booking.employee_confirmed_at == first
    events = AuditEvent.objects.filter(
        object_id=str(booking.pk), changes__has_key="employee_confirmed_at"
    )
    assert events.count() == 1
    assert events[0].actor is None
    assert events[0].actor_label == AuditActor.EMPLOYEE_LINK


def test_a_cancelled_booking_cannot_be_confirmed(cast, make_appointment):
    booking = BookingFactory(
        appointment=make_appointment(), employee=cast.donald, attendance=Attendance.CANCELLED
    )

    with pytest.raises(ValidationError) as refused:
        booking_confirm_by_employee(booking=booking)

    assert refused.value.code == "cancelled"


# -- «Jeg kan ikke komme» -----------------------------------------------------------------------


def test_jeg_kan_ikke_komme_before_the_deadline_frees_the_seat_and_tells_the_booker(
    cast, make_appointment, on_commit, mailoutbox
):
    # given Donald booked by HR on the only seat
    appointment = make_appointment(capacity=1)
    with on_commit():
        booking = booked(cast, appointment)
    mailoutbox.clear()

    # when he answers «Jeg kan ikke komme» from his link
    with on_commit():
        booking_cancel_by_employee(booking=booking)

    # then the seat is free, cancelled by the employee (no user), and audited so
    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED
    assert booking.cancelled_by is None
    assert booking.cancelled_by_employee
    assert appointment.free_seats() == 1
    event = AuditEvent.objects.get(object_id=str(booking.pk), action="cancelled")
    assert event.actor is None
    assert event.actor_label == AuditActor.EMPLOYEE_LINK
    # HR is told in the portal and by mail; Donald gets the calendar cancellation
    notification = Notification.objects.get(recipient=cast.hr)
    assert "Donald Duck" in notification.text
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.donald.email, cast.hr.email])
    cancel = next(m for m in mailoutbox if m.to == [cast.donald.email])
    assert ics_lines(cancel)["METHOD"] == "CANCEL"


def test_jeg_kan_ikke_komme_after_the_deadline_cancels_nothing(cast, make_appointment):
    booking = BookingFactory(
        appointment=make_appointment(in_days=1, closes_hours=48),
        employee=cast.donald,
        booked_by=cast.hr,
    )

    with pytest.raises(ValidationError) as refused:
        booking_cancel_by_employee(booking=booking)

    assert refused.value.code == "deadline"
    booking.refresh_from_db()
    assert booking.holds_a_seat
    assert not Notification.objects.exists()


def test_the_audit_trail_shows_ansatt_via_lenke_as_the_actor(cast, make_appointment):
    booking = booked(cast, make_appointment())

    booking_cancel_by_employee(booking=booking)

    with translation.override("nb"):
        rows = audit_rows(audit_entries()[:5])
    assert rows[0].object_label == str(booking)
    assert rows[0].actor is None
    assert rows[0].actor_label == "Ansatt via lenke"


# -- «Bytt tid» ----------------------------------------------------------------------------------


def test_bytt_tid_moves_the_booking_with_the_same_uid_and_a_higher_sequence(
    cast, make_appointment, on_commit, mailoutbox
):
    # given Donald booked at 08:00, and a free seat at 09:00 at the same place
    first, later = make_appointment(at="08:00"), make_appointment(at="09:00")
    with on_commit():
        booking = booked(cast, first)
    booking_mail = mailoutbox[-1]

    # when he moves to 09:00 from his link
    with on_commit():
        booking_move(booking=booking, appointment=later, actor=EMPLOYEE_VIA_LINK)

    # then the same booking is on 09:00, the old seat is free, and the calendar entry is
    # replaced: the "changed" mail with the same UID and a higher SEQUENCE
    booking.refresh_from_db()
    assert booking.appointment == later
    assert first.free_seats() == 1
    assert later.free_seats() == 0
    assert booking.employee_confirmed_at is not None  # he chose it himself
    changed = mailoutbox[-1]
    assert changed.subject.startswith("Endret time")
    before, after = ics_lines(booking_mail), ics_lines(changed)
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["METHOD"] == "REQUEST"
    assert "/timeavtale/" in changed.body
    event = AuditEvent.objects.get(object_id=str(booking.pk), action="changed")
    assert event.actor_label == AuditActor.EMPLOYEE_LINK
    assert list(event.changes) == ["appointment"]


def test_bytt_tid_into_a_full_appointment_is_refused(cast, make_appointment):
    first, full = make_appointment(at="08:00"), make_appointment(at="09:00")
    booking = booked(cast, first)
    booked(cast, full, cast.dolly)

    with pytest.raises(ValidationError) as refused:
        booking_move(booking=booking, appointment=full, actor=EMPLOYEE_VIA_LINK)

    assert refused.value.code == "full"
    booking.refresh_from_db()
    assert booking.appointment == first
    assert booking.calendar_sequence == 0


def test_bytt_tid_only_within_the_same_order_and_place(cast, make_appointment, ek_order):
    first = make_appointment(at="08:00")
    elsewhere = make_appointment(at="09:00", location="Oslo")
    other_order = make_appointment(
        at="10:00", order=OrderFactory(department=cast.tb_main, status="approved")
    )
    booking = booked(cast, first)

    for target in (elsewhere, other_order):
        with pytest.raises(ValidationError) as refused:
            booking_move(booking=booking, appointment=target, actor=EMPLOYEE_VIA_LINK)
        assert refused.value.code == "other_order_or_place"
    assert list(move_targets(booking=booking)) == []


def test_bytt_tid_after_either_deadline_is_refused(cast, make_appointment):
    # the new time's booking has closed
    first = make_appointment(in_days=10)
    closed = make_appointment(in_days=1, closes_hours=48)
    booking = booked(cast, first)
    with pytest.raises(ValidationError) as refused:
        booking_move(booking=booking, appointment=closed, actor=EMPLOYEE_VIA_LINK)
    assert refused.value.code == "deadline"

    # the present time's booking has closed (moving away now is a late cancellation)
    late = BookingFactory(
        appointment=make_appointment(in_days=1, at="12:00", closes_hours=48), employee=cast.dolly
    )
    with pytest.raises(ValidationError) as refused:
        booking_move(booking=late, appointment=first, actor=EMPLOYEE_VIA_LINK)
    assert refused.value.code == "deadline"


def test_the_move_targets_are_the_free_open_times_of_the_same_order_and_place(
    cast, make_appointment
):
    booking = booked(cast, make_appointment(at="08:00"))
    free = make_appointment(at="09:00")
    full = make_appointment(at="10:00")
    booked(cast, full, cast.dolly)
    make_appointment(in_days=1, closes_hours=48)  # closed
    make_appointment(at="11:00", is_cancelled=True)
    make_appointment(at="12:00", location="Oslo")

    assert list(move_targets(booking=booking)) == [free]


def test_hr_moving_a_booking_asks_the_employee_to_confirm_again(cast, make_appointment):
    first, later = make_appointment(at="08:00"), make_appointment(at="09:00")
    booking = booked(cast, first)
    booking_confirm_by_employee(booking=booking)

    booking_move(booking=booking, appointment=later, actor=cast.hr)

    booking.refresh_from_db()
    assert booking.appointment == later
    assert booking.employee_confirmed_at is None


def test_a_move_to_a_time_overlapping_the_present_one_is_no_clash(cast, make_appointment):
    # given Donald at 08:00–08:20 and a free 08:10–08:30 at the same place
    first, overlapping = make_appointment(at="08:00"), make_appointment(at="08:10")
    booking = booked(cast, first)

    booking_move(booking=booking, appointment=overlapping, actor=EMPLOYEE_VIA_LINK)

    booking.refresh_from_db()
    assert booking.appointment == overlapping


def test_another_customers_user_may_not_move_the_booking(cast, make_appointment):
    first, later = make_appointment(at="08:00"), make_appointment(at="09:00")
    booking = booked(cast, first)

    with pytest.raises(PermissionDenied):
        booking_move(booking=booking, appointment=later, actor=cast.annen)

    booking.refresh_from_db()
    assert booking.appointment == first
