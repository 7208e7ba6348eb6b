"""Reminders the day before: one e-mail and one SMS per booked employee (SMS only where the
employee has a mobile number and the customer's agreement allows SMS), none for cancelled
bookings or appointments, none twice; HR's daily summary, one mail per HR user; never a
national id."""

import datetime
import io
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from background import sms
from portal.models import (
    Booking,
    BookingReminder,
    Contract,
    Employee,
    HrSummarySent,
    ReminderKind,
)
from portal.models.appointments import Attendance
from portal.services.booking_links import booking_from_link
from portal.services.reminders import hr_summaries_send, reminders_run
from tests.factories import AppointmentFactory, BookingFactory, EmployeeFactory
from tests.portal.helpers import NUMBER, leaked_runs

OSLO = ZoneInfo("Europe/Oslo")
STARTS = datetime.datetime(2027, 3, 10, 8, 0, tzinfo=OSLO)  # a Wednesday
DAY_BEFORE = datetime.datetime(2027, 3, 9, 9, 0, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def appointment_at(order, starts=STARTS, **fields):
    fields.setdefault("location", "Avonova Oslo, Storgata 10")
    return AppointmentFactory(
        order=order,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        booking_deadline=starts - datetime.timedelta(days=2),
        **fields,
    )


@pytest.fixture
def sms_allowed(cast):
    Contract.objects.filter(pk=cast.tb_contract.pk).update(allows_sms=True)


@pytest.fixture
def booked(cast, hk_order, donald_with_number, sms_allowed):
    """On 10.03.2027 08:00: Donald (mobile, national id) and Dolly (no mobile) booked, Skrue's
    booking cancelled; an appointment at the same time that is cancelled, with Anton on it."""
    Employee.objects.filter(pk=cast.donald.pk).update(mobile="41234567")
    Employee.objects.filter(pk=cast.dolly.pk).update(mobile="")
    appointment = appointment_at(hk_order, capacity=5)
    donald = BookingFactory(appointment=appointment, employee=cast.donald, booked_by=cast.hr)
    dolly = BookingFactory(appointment=appointment, employee=cast.dolly, booked_by=cast.hr)
    BookingFactory(
        appointment=appointment,
        employee=cast.skrue,
        booked_by=cast.hr,
        attendance=Attendance.CANCELLED,
        cancelled_at=STARTS - datetime.timedelta(days=5),
    )
    cancelled = appointment_at(hk_order, is_cancelled=True, location="Avlyst sted")
    BookingFactory(appointment=cancelled, employee=cast.anton, booked_by=cast.hr)
    return donald, dolly


def reminder_mails(mailoutbox):
    return [m for m in mailoutbox if m.subject.startswith("Påminnelse")]


@override_settings(PORTAL_PROVIDER_NAME="Avonova", PORTAL_HR_SUMMARY_HOUR=23)
def test_the_day_before_each_booked_employee_gets_one_mail_and_one_sms_where_allowed(
    booked, on_commit, mailoutbox
):
    donald, dolly = booked
    out = io.StringIO()

    # when the reminders run the day before
    with time_machine.travel(DAY_BEFORE, tick=False), on_commit():
        call_command("send_reminders", stdout=out)

    # then Donald and Dolly get a mail each (not Skrue, cancelled, nor Anton, whose appointment
    # is), and only Donald an SMS (Dolly has no mobile number)
    assert "Queued 2 reminder e-mail(s), 1 SMS" in out.getvalue()
    mails = reminder_mails(mailoutbox)
    assert sorted(m.to[0] for m in mails) == sorted([donald.employee.email, dolly.employee.email])
    donald_mail = next(m for m in mails if m.to == [donald.employee.email])
    assert "onsdag 10.03.2027" in donald_mail.subject
    assert "08:00–08:20" in donald_mail.body
    assert "Avonova Oslo, Storgata 10" in donald_mail.body
    assert "Hei Donald" in donald_mail.body
    # his own page for the booking, to come, move or cancel
    [token] = re.findall(r"/timeavtale/([^/\s]+)/", donald_mail.body)
    assert booking_from_link(token, now=DAY_BEFORE).booking == donald
    assert [m.to for m in sms.outbox] == ["41234567"]
    text = sms.outbox[0].text
    assert "10.03." in text
    assert "08:00" in text
    assert "Avonova Oslo, Storgata 10" in text
    assert "Avonova" in text
    # and nothing that went out carries Donald's national id (nor six digits of it)
    for mail in mails:
        assert not leaked_runs(mail.subject + mail.body, NUMBER)
    assert not leaked_runs(text, NUMBER)
    assert "Duck" not in text  # the SMS does not name the employee either
    assert BookingReminder.objects.filter(booking=donald).count() == 2


@override_settings(PORTAL_HR_SUMMARY_HOUR=23)
def test_run_twice_nothing_goes_out_twice(booked, on_commit, mailoutbox):
    with time_machine.travel(DAY_BEFORE, tick=False), on_commit():
        first = reminders_run()
    with time_machine.travel(DAY_BEFORE + datetime.timedelta(minutes=5), tick=False), on_commit():
        second = reminders_run()

    assert (first.emails, first.sms) == (2, 1)
    assert (second.emails, second.sms) == (0, 0)
    assert len(reminder_mails(mailoutbox)) == 2
    assert len(sms.outbox) == 1


@override_settings(PORTAL_HR_SUMMARY_HOUR=23)
def test_nothing_before_the_reminder_time_and_the_hours_are_a_setting(booked, on_commit):
    with time_machine.travel(STARTS - datetime.timedelta(hours=25), tick=False), on_commit():
        assert reminders_run().emails == 0
    with (
        override_settings(PORTAL_REMINDER_HOURS_BEFORE=48),
        time_machine.travel(STARTS - datetime.timedelta(hours=47), tick=False),
        on_commit(),
    ):
        assert reminders_run().emails == 2


@override_settings(PORTAL_HR_SUMMARY_HOUR=23)
def test_no_sms_where_the_agreement_does_not_allow_it(booked, cast, on_commit, mailoutbox):
    Contract.objects.filter(pk=cast.tb_contract.pk).update(allows_sms=False)

    with time_machine.travel(DAY_BEFORE, tick=False), on_commit():
        done = reminders_run()

    assert (done.emails, done.sms) == (2, 0)
    assert sms.outbox == []


def test_the_sms_file_backend_writes_the_text_to_a_file(booked, on_commit, tmp_path):
    with (
        override_settings(
            PORTAL_HR_SUMMARY_HOUR=23,
            PORTAL_PROVIDER_NAME="Avonova",
            SMS_BACKEND="background.sms.FileBackend",
            SMS_FILE_PATH=tmp_path / "sms",
        ),
        time_machine.travel(DAY_BEFORE, tick=False),
        on_commit(),
    ):
        reminders_run()

    [file] = (tmp_path / "sms").iterdir()
    content = file.read_text(encoding="utf-8")
    assert "To: +4741234567" in content
    assert "Påminnelse: timen din hos Avonova er onsdag 10.03. kl. 08:00" in content
    assert "Avonova Oslo, Storgata 10" in content
    assert not leaked_runs(content, NUMBER)


# -- HR's daily summary -------------------------------------------------------------------------


@pytest.fixture
def hr_bookings(cast, hk_order):
    """hrbruker booked Donald in 3 days and Dolly in 6, and Skrue in 9 (outside the week);
    testweb booked Anton in 2 days; kam (staff) booked Ola in 4."""
    base = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=OSLO)

    def book(days, employee, booker, location):
        appointment = appointment_at(
            hk_order, starts=base + datetime.timedelta(days=days), location=location
        )
        return BookingFactory(appointment=appointment, employee=employee, booked_by=booker)

    return {
        "donald": book(3, cast.donald, cast.hr, "Oslo"),
        "dolly": book(6, cast.dolly, cast.hr, "Oslo rom 2"),
        "skrue": book(9, cast.skrue, cast.hr, "Bergen"),
        "anton": book(2, cast.anton, cast.testweb, "Bergen"),
        "ola": book(4, EmployeeFactory(department=cast.tb_main, first_name="Ola"), cast.kam, "X"),
    }


SUMMARY_TIME = datetime.datetime(2027, 3, 1, 7, 30, tzinfo=OSLO)


def summaries(mailoutbox):
    return [m for m in mailoutbox if "ikke bekreftet av den ansatte" in m.subject]


def test_hr_gets_one_summary_a_day_listing_their_bookings_of_the_next_week(
    hr_bookings, cast, on_commit, mailoutbox, donald_with_number, client
):
    with time_machine.travel(SUMMARY_TIME, tick=False), on_commit():
        done = reminders_run()

    # one mail per customer user who booked: hrbruker and testweb, not kam (staff)
    assert done.summaries == 2
    mails = summaries(mailoutbox)
    assert sorted(m.to[0] for m in mails) == sorted([cast.hr.email, cast.testweb.email])
    hr_mail = next(m for m in mails if m.to == [cast.hr.email])
    assert "Bookinger neste 7 dager som ikke er bekreftet av den ansatte" in hr_mail.body
    assert "Donald Duck" in hr_mail.body
    assert "Dolly Duck" in hr_mail.body
    assert "Skrue" not in hr_mail.body  # 9 days ahead
    assert "Anton" not in hr_mail.body  # testweb's
    assert hr_mail.subject.startswith("2 bookinger")
    assert not leaked_runs(hr_mail.body, NUMBER)
    # its link is a page the HR user may open, listing the bookings' appointments
    [link] = re.findall(r"https?://[^/\s]+(/\S*)", hr_mail.body)
    with time_machine.travel(SUMMARY_TIME, tick=False):
        client.force_login(cast.hr)
        page = client.get(link)
    assert page.status_code == 200
    assert "Oslo rom 2" in page.content.decode()

    # and not again that day, whatever the number of passes; again the next day
    with time_machine.travel(SUMMARY_TIME + datetime.timedelta(hours=3), tick=False), on_commit():
        assert reminders_run().summaries == 0
    with time_machine.travel(SUMMARY_TIME + datetime.timedelta(days=1), tick=False), on_commit():
        assert reminders_run().summaries == 2
    assert HrSummarySent.objects.count() == 4


def test_no_summary_before_the_hour(hr_bookings, on_commit, mailoutbox, settings):
    settings.PORTAL_HR_SUMMARY_HOUR = 8
    with time_machine.travel(SUMMARY_TIME, tick=False), on_commit():
        assert reminders_run().summaries == 0
    assert summaries(mailoutbox) == []


def test_an_inactive_hr_user_gets_no_summary(hr_bookings, cast, on_commit, mailoutbox):
    type(cast.hr).objects.filter(pk=cast.hr.pk).update(is_active=False)
    with time_machine.travel(SUMMARY_TIME, tick=False), on_commit():
        reminders_run()
    assert [m.to for m in summaries(mailoutbox)] == [[cast.testweb.email]]


# -- several workers at once (PostgreSQL) -------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(cast, hk_order, sms_allowed, mailoutbox):
    appointment = appointment_at(hk_order, capacity=20)
    employees = [
        EmployeeFactory(department=cast.tb_main, mobile=f"4{n:07d}", first_name=f"Ansatt{n:02d}")
        for n in range(10)
    ]
    for employee in employees:
        BookingFactory(appointment=appointment, employee=employee, booked_by=cast.hr)
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def worker(index):
        try:
            barrier.wait(timeout=20)
            outcomes[index] = reminders_run()
        except Exception as error:  # judged below
            outcomes[index] = error
        finally:
            connection.close()

    # (the clock is travelled for the whole process: both threads are the day before, 09:00)
    with time_machine.travel(DAY_BEFORE, tick=False):
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert sum(o.emails for o in outcomes) == 10
    assert sum(o.sms for o in outcomes) == 10
    assert sum(o.summaries for o in outcomes) == 1
    assert len(reminder_mails(mailoutbox)) == 10
    assert sorted(m.to for m in sms.outbox) == sorted(e.mobile for e in employees)
    assert BookingReminder.objects.filter(kind=ReminderKind.EMAIL).count() == 10
    assert len(summaries(mailoutbox)) == 1


def test_the_summary_leaves_out_what_the_employee_has_confirmed(
    hr_bookings, cast, on_commit, mailoutbox
):
    # Donald said «Jeg kommer» on his page; Dolly has not answered
    Booking.objects.filter(pk=hr_bookings["donald"].pk).update(
        employee_confirmed_at=SUMMARY_TIME - datetime.timedelta(days=1)
    )

    with time_machine.travel(SUMMARY_TIME, tick=False), on_commit():
        reminders_run()

    hr_mail = next(m for m in summaries(mailoutbox) if m.to == [cast.hr.email])
    assert "Dolly Duck" in hr_mail.body
    assert "Donald Duck" not in hr_mail.body
    assert hr_mail.subject.startswith("1 booking")


def test_the_summaries_take_one_query_and_none_is_repeated_that_day(
    hr_bookings, cast, on_commit, mailoutbox, django_assert_num_queries
):
    with time_machine.travel(SUMMARY_TIME, tick=False), on_commit():
        hr_summaries_send(now=SUMMARY_TIME)
    # the next pass that day reads once and finds everyone has had theirs
    with (
        time_machine.travel(SUMMARY_TIME + datetime.timedelta(minutes=5), tick=False),
        django_assert_num_queries(1),
    ):
        assert hr_summaries_send(now=SUMMARY_TIME + datetime.timedelta(minutes=5)) == 0
