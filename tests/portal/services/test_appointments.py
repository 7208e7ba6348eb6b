"""Staff create, move and cancel appointments; booked employees are told of every change."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.models import Appointment
from portal.models.appointments import Attendance
from portal.services import (
    appointment_cancel,
    appointment_create,
    appointment_series_create,
    appointment_update,
    booking_create,
)
from tests.factories import BookingFactory

OSLO = ZoneInfo("Europe/Oslo")


def t(value):
    return datetime.time.fromisoformat(value)


def ics_of(message):
    return message.attachments[0].get_payload(decode=True).decode()


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_kam_creates_a_series_for_a_health_check_order(cast, hk_order):
    # given a day 10 days ahead, every 20 minutes 08:00–15:00, lunch 11:30–12:00
    day = in_days(10)

    created = appointment_series_create(
        order=hk_order,
        actor=cast.kam,
        first_date=day,
        start=t("08:00"),
        end=t("15:00"),
        every_minutes=20,
        lunch_start=t("11:30"),
        lunch_end=t("12:00"),
        location="Bergen",
        capacity=1,
        closes_hours_before=24,
        instructions="Ta med legitimasjon.",
    )

    # then 19 appointments, one seat each, booking closing 24 hours before each
    assert len(created) == 19
    rows = list(Appointment.objects.filter(order=hk_order).order_by("starts_at"))
    assert len(rows) == 19
    first = rows[0]
    assert timezone.localtime(first.starts_at).time() == t("08:00")
    assert first.booking_deadline == first.starts_at - datetime.timedelta(hours=24)
    assert {a.capacity for a in rows} == {1}
    assert {a.location for a in rows} == {"Bergen"}
    assert {a.instructions for a in rows} == {"Ta med legitimasjon."}


def test_a_series_over_several_days_is_made_on_weekdays_only(cast, hk_order):
    # from a Friday to the next Monday: Friday and Monday
    today = timezone.localdate()
    friday = today + datetime.timedelta(days=(4 - today.weekday()) % 7 + 7)
    monday = friday + datetime.timedelta(days=3)

    created = appointment_series_create(
        order=hk_order,
        actor=cast.kam,
        first_date=friday,
        last_date=monday,
        start=t("08:00"),
        end=t("09:00"),
        every_minutes=30,
        location="Bergen",
    )

    assert sorted({timezone.localtime(a.starts_at).date() for a in created}) == [friday, monday]
    assert len(created) == 4


# A Wednesday morning: a series from today skips no day, and today's 00:00 has passed.
@pytest.mark.time_machine(datetime.datetime(2026, 12, 9, 10, 0, tzinfo=OSLO), tick=False)
def test_a_series_is_all_or_nothing(cast, hk_order):
    # the first day is today and 00:00 has passed: nothing at all is created
    with pytest.raises(ValidationError):
        appointment_series_create(
            order=hk_order,
            actor=cast.kam,
            first_date=timezone.localdate(),
            last_date=timezone.localdate() + datetime.timedelta(days=3),
            start=t("00:00"),
            end=t("23:30"),
            every_minutes=30,
            location="Bergen",
        )

    assert not Appointment.objects.filter(order=hk_order).exists()


@pytest.mark.parametrize("member", ["testweb", "hr", "customer_service"])
def test_only_staff_with_add_appointment_create_appointments(cast, hk_order, member):
    start = timezone.now() + datetime.timedelta(days=3)

    with pytest.raises(PermissionDenied):
        appointment_create(
            order=hk_order,
            actor=getattr(cast, member),
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=20),
            location="Bergen",
        )
    with pytest.raises(PermissionDenied):
        appointment_series_create(
            order=hk_order,
            actor=getattr(cast, member),
            first_date=in_days(3),
            start=t("08:00"),
            end=t("09:00"),
            every_minutes=20,
            location="Bergen",
        )
    assert not Appointment.objects.filter(order=hk_order).exists()


def test_one_appointment_without_a_deadline_closes_when_it_starts(cast, hk_order):
    start = timezone.now() + datetime.timedelta(days=3)

    appointment = appointment_create(
        order=hk_order,
        actor=cast.kam,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        location="  Oslo  ",
        capacity=3,
    )

    assert appointment.booking_deadline == start
    assert appointment.location == "Oslo"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"minutes": -10}, "ends_at"),
        ({"deadline_after": 1}, "booking_deadline"),
        ({"capacity": 0}, "capacity"),
        ({"location": " "}, "location"),
        ({"days": -1}, "starts_at"),
    ],
)
def test_an_appointment_that_makes_no_sense_is_refused(cast, hk_order, fields, field):
    start = timezone.now() + datetime.timedelta(days=fields.get("days", 3))

    with pytest.raises(ValidationError) as refused:
        appointment_create(
            order=hk_order,
            actor=cast.kam,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=fields.get("minutes", 20)),
            location=fields.get("location", "Bergen"),
            capacity=fields.get("capacity", 1),
            booking_deadline=start + datetime.timedelta(hours=fields.get("deadline_after", -1)),
        )

    assert field in refused.value.message_dict


def test_moving_an_appointment_tells_the_booked_with_a_calendar_update(
    cast, make_appointment, on_commit, mailoutbox
):
    # given Donald and Dolly on an appointment, and Donald's first e-mail
    appointment = make_appointment(capacity=2)
    with on_commit():
        donald_booking = booking_create(
            appointment=appointment, employee=cast.donald, actor=cast.hr
        )
        booking_create(appointment=appointment, employee=cast.dolly, actor=cast.hr)
    first_ics = ics_of(mailoutbox[0])
    mailoutbox.clear()

    # when the KA/KAM moves it one hour later and to Oslo
    later = appointment.starts_at + datetime.timedelta(hours=1)
    with on_commit():
        appointment_update(
            appointment=appointment,
            actor=cast.kam,
            starts_at=later,
            ends_at=later + datetime.timedelta(minutes=20),
            location="Oslo",
        )

    # then both are told, and Donald's calendar entry is the same UID with a higher SEQUENCE
    assert sorted(m.to[0] for m in mailoutbox) == [
        "Duck@testikkeibruk.no",
        "dolly@testikkeibruk.no",
    ]
    update = next(m for m in mailoutbox if m.to == ["Duck@testikkeibruk.no"])
    update_ics = ics_of(update)
    uid = f"UID:booking-{donald_booking.pk}@"
    assert uid in first_ics
    assert uid in update_ics
    assert "SEQUENCE:0" in first_ics
    assert "SEQUENCE:1" in update_ics
    assert "LOCATION:Oslo" in update_ics
    assert "METHOD:REQUEST" in update_ics
    assert "Oslo" in update.body


def test_changing_only_seats_or_the_deadline_tells_nobody(
    cast, make_appointment, on_commit, mailoutbox
):
    appointment = make_appointment(capacity=2)
    BookingFactory(appointment=appointment, employee=cast.donald)

    with on_commit():
        appointment_update(
            appointment=appointment,
            actor=cast.kam,
            capacity=3,
            booking_deadline=appointment.starts_at - datetime.timedelta(hours=2),
        )

    assert mailoutbox == []
    appointment.refresh_from_db()
    assert appointment.capacity == 3


def test_seats_cannot_be_fewer_than_are_booked(cast, make_appointment):
    appointment = make_appointment(capacity=2)
    BookingFactory(appointment=appointment, employee=cast.donald)
    BookingFactory(appointment=appointment, employee=cast.dolly)

    with pytest.raises(ValidationError) as refused:
        appointment_update(appointment=appointment, actor=cast.kam, capacity=1)

    assert "capacity" in refused.value.message_dict
    appointment.refresh_from_db()
    assert appointment.capacity == 2


def test_a_move_onto_a_booked_employees_other_appointment_is_refused(cast, make_appointment):
    BookingFactory(appointment=make_appointment(at="09:00", capacity=5), employee=cast.donald)
    appointment = make_appointment(at="08:00", capacity=5)
    BookingFactory(appointment=appointment, employee=cast.donald)
    starts = appointment.starts_at

    with pytest.raises(ValidationError) as refused:
        appointment_update(
            appointment=appointment,
            actor=cast.kam,
            starts_at=starts + datetime.timedelta(minutes=50),
            ends_at=starts + datetime.timedelta(minutes=70),
        )

    assert "Donald Duck" in refused.value.messages[0]
    appointment.refresh_from_db()
    assert appointment.starts_at == starts


def test_cancelling_an_appointment_cancels_its_bookings_and_tells_the_employees(
    cast, make_appointment, on_commit, mailoutbox
):
    appointment = make_appointment(capacity=2)
    BookingFactory(appointment=appointment, employee=cast.donald)
    BookingFactory(appointment=appointment, employee=cast.dolly)

    with on_commit():
        cancelled = appointment_cancel(appointment=appointment, actor=cast.kam)

    appointment.refresh_from_db()
    assert appointment.is_cancelled
    assert len(cancelled) == 2
    assert set(appointment.bookings.values_list("attendance", flat=True)) == {Attendance.CANCELLED}
    assert len(mailoutbox) == 2
    assert all("STATUS:CANCELLED" in ics_of(m) for m in mailoutbox)


def test_customers_cannot_change_or_cancel_appointments(cast, make_appointment):
    appointment = make_appointment()

    with pytest.raises(PermissionDenied):
        appointment_update(appointment=appointment, actor=cast.testweb, capacity=5)
    with pytest.raises(PermissionDenied):
        appointment_cancel(appointment=appointment, actor=cast.testweb)
    appointment.refresh_from_db()
    assert appointment.capacity == 1
    assert not appointment.is_cancelled


@pytest.mark.usefixtures("norwegian")
def test_fewer_seats_than_booked_is_refused_counting_in_norwegian(cast, make_appointment):
    appointment = make_appointment(capacity=2)
    for employee in (cast.donald, cast.dolly):
        booking_create(appointment=appointment, employee=employee, actor=cast.hr)

    with pytest.raises(ValidationError) as refused:
        appointment_update(appointment=appointment, actor=cast.kam, capacity=1)

    assert refused.value.message_dict["capacity"] == [
        "2 ansatte er booket; meld av noen før du reduserer antall plasser."
    ]
