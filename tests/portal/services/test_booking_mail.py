"""The e-mail to the booked employee and its calendar file: Norwegian, time, place, what to
bring, UTC times, a stable UID; a mail failure keeps the booking and shows on it."""

import datetime

import pytest
from django.utils import timezone, translation

from background.models import MailStatus, OutgoingMail
from portal.models.appointments import Attendance
from portal.services import booking_cancel, booking_create, booking_mail_resend
from portal.services.booking_mail import BookingMail, booking_mail_render

UTC = datetime.UTC


def unfolded(ics: str) -> str:
    return ics.replace("\r\n ", "")


def ics_lines(message) -> dict:
    part = message.attachments[0]
    text = unfolded(part.get_payload(decode=True).decode())
    return dict(line.split(":", 1) for line in text.split("\r\n") if ":" in line)


@pytest.fixture
def booked(cast, make_appointment, on_commit, mailoutbox):
    """Donald booked on 08:00–08:20 in ten days at Bergen; the e-mail that went out."""
    appointment = make_appointment(
        at="08:00", instructions="Gyldig legitimasjon; kom fastende, ikke spis etter kl. 22."
    )
    with on_commit():
        booking = booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)
    assert len(mailoutbox) == 1
    return booking, mailoutbox[0]


def test_the_mail_says_time_place_and_what_to_bring_in_norwegian(booked):
    booking, message = booked
    local = timezone.localtime(booking.appointment.starts_at)

    assert message.to == ["Duck@testikkeibruk.no"]
    assert local.strftime("%d.%m.%Y") in message.subject
    assert "Helsekontroll (HK)" in message.subject
    body = message.body
    assert "Donald" in body
    assert f"{local:%d.%m.%Y}" in body
    assert "08:00–08:20" in body
    assert "Bergen" in body
    assert "Gyldig legitimasjon; kom fastende, ikke spis etter kl. 22." in body
    assert "Testbedriften AS" in body
    # Norwegian: the day's name is Norwegian whatever the language of the one who booked
    weekday = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    assert weekday[local.weekday()] in body


def test_the_calendar_file_has_utc_times_summary_location_and_a_stable_uid(booked):
    booking, message = booked
    part = message.attachments[0]
    fields = ics_lines(message)

    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename().endswith(".ics")
    assert fields["METHOD"] == "REQUEST"
    starts = booking.appointment.starts_at.astimezone(UTC)
    assert fields["DTSTART"] == starts.strftime("%Y%m%dT%H%M%SZ")
    assert fields["DTEND"] == (starts + datetime.timedelta(minutes=20)).strftime("%Y%m%dT%H%M%SZ")
    # 08:00 in Oslo is 06:00 or 07:00 UTC, depending on summer time
    assert fields["DTSTART"][9:13] in ("0600", "0700")
    assert fields["SUMMARY"] == "Helsekontroll (HK) – Avonova"
    assert fields["LOCATION"] == "Bergen"
    assert fields["UID"] == f"booking-{booking.pk}@127.0.0.1"
    assert fields["SEQUENCE"] == "0"
    assert fields["STATUS"] == "CONFIRMED"
    # the description's ; and , are escaped (RFC 5545 TEXT)
    assert "Gyldig legitimasjon\\; kom fastende\\, ikke spis" in fields["DESCRIPTION"]


def test_every_line_of_the_calendar_file_is_folded_to_75_octets(booked):
    _booking, message = booked
    raw = message.attachments[0].get_payload(decode=True)

    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in lines), [line for line in lines if len(line) > 75]
    assert any(line.startswith(b" ") for line in lines)  # the long description was folded


def test_the_cancellation_replaces_the_entry_by_uid_with_a_higher_sequence(
    booked, cast, on_commit, mailoutbox
):
    booking, first = booked

    with on_commit():
        booking_cancel(booking=booking, actor=cast.hr)

    cancellation = mailoutbox[1]
    before, after = ics_lines(first), ics_lines(cancellation)
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["METHOD"] == "CANCEL"
    assert after["STATUS"] == "CANCELLED"
    assert cancellation.attachments[0].get_param("method") == "CANCEL"
    assert "Bergen" in cancellation.body
    assert cancellation.reply_to == ["kam@example.no"]


def test_the_employees_reply_goes_to_the_customers_kam(booked):
    _booking, message = booked

    assert message.reply_to == ["kam@example.no"]


def test_the_mail_is_norwegian_even_when_the_booker_uses_english(cast, make_appointment):

    booking = make_appointment().bookings.create(employee=cast.dolly)
    with translation.override("en"):
        message = booking_mail_render(booking=booking, kind=BookingMail.BOOKED)

    weekday = timezone.localtime(booking.appointment.starts_at).weekday()
    assert ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"][
        weekday
    ] in message.body


def test_a_mail_failure_keeps_the_booking_is_logged_and_shows_for_staff(
    cast, make_appointment, on_commit, mailoutbox, monkeypatch, caplog
):
    # given a mail server that is down
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)

    # when HR books Donald (the tests' tasks run at once: every try fails in turn)
    with on_commit():
        booking = booking_create(
            appointment=make_appointment(), employee=cast.donald, actor=cast.hr
        )

    # then the booking stands, each failed try is logged (without the address), and the last
    # one marks the booking and its mail for staff
    booking.refresh_from_db()
    assert booking.attendance == Attendance.BOOKED
    assert booking.mail_failed_at is not None
    assert "attempt 5 failed: ConnectionRefusedError" in caplog.text
    assert "testikkeibruk" not in caplog.text
    mail = OutgoingMail.objects.get(about_type="portal.booking", about_id=booking.pk)
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 5)
    assert mail.last_error == "ConnectionRefusedError: smtp down"

    # and when staff send it again once the server is back, the mark goes away
    monkeypatch.undo()
    with on_commit():
        booking_mail_resend(booking=booking, actor=cast.kam)
    booking.refresh_from_db()
    assert booking.mail_failed_at is None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [cast.donald.email]
