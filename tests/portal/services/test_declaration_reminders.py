"""The health declaration's reminder: three days before the appointment, once, to an employee
who has not submitted it, with the link to the form and nothing of their answers."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from health.services import declaration_answer, questionnaire_save
from portal import services
from portal.models import BookingReminder, ReminderKind
from portal.services.booking_links import booking_from_link
from portal.services.reminders import reminders_run
from tests.factories import AppointmentFactory
from tests.health.conftest import MARKER, SMOKING

OSLO = ZoneInfo("Europe/Oslo")
STARTS = datetime.datetime(2027, 3, 10, 8, 0, tzinfo=OSLO)  # a Wednesday
BOOKED = STARTS - datetime.timedelta(days=14)
THREE_DAYS_BEFORE = STARTS - datetime.timedelta(days=3, hours=-1)


@pytest.fixture
def questionnaire(cast):
    return questionnaire_save(
        actor=cast.health,
        name="Helsekontroll",
        product_groups=[cast.product_group],
        questions=SMOKING,
    )


@pytest.fixture
def book(cast, hk_order, questionnaire):
    """`book(employee, when=BOOKED)`: booked by HR on the 08:00 appointment at `when`."""
    appointment = AppointmentFactory(
        order=hk_order,
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(minutes=20),
        booking_deadline=STARTS - datetime.timedelta(days=1),
        capacity=5,
    )

    def _book(employee, when=BOOKED):
        with time_machine.travel(when, tick=False):
            return services.booking_create(
                appointment=appointment, employee=employee, actor=cast.hr
            )

    return _book


def declaration_reminders(mailoutbox):
    return [m for m in mailoutbox if "egenerklæringen" in m.subject]


def run_at(moment, on_commit):
    with time_machine.travel(moment, tick=False), on_commit():
        return reminders_run()


def test_three_days_before_the_employee_who_has_not_answered_is_reminded_once(
    cast, book, on_commit, mailoutbox
):
    donald = book(cast.donald)

    # not yet four days before; then once three days before, and never again
    assert run_at(STARTS - datetime.timedelta(days=4), on_commit).declarations == 0
    assert run_at(THREE_DAYS_BEFORE, on_commit).declarations == 1
    assert run_at(THREE_DAYS_BEFORE + datetime.timedelta(hours=5), on_commit).declarations == 0

    [mail] = declaration_reminders(mailoutbox)
    assert mail.to == [cast.donald.email]
    assert mail.subject == "Påminnelse: fyll ut egenerklæringen før onsdag 10.03.2027 kl. 08:00"
    assert "Hei Donald" in mail.body
    [token] = re.findall(r"/timeavtale/([^/\s]+)/egenerklaering/", mail.body)
    assert booking_from_link(token, now=THREE_DAYS_BEFORE).booking == donald
    assert BookingReminder.objects.filter(
        booking=donald, kind=ReminderKind.HEALTH_DECLARATION
    ).exists()


def test_a_draft_is_reminded_without_its_answers(cast, book, on_commit, mailoutbox, questionnaire):
    donald = book(cast.donald)
    illness = questionnaire.questions.get(order=3)
    declaration_answer(answer_set=donald.health_declaration, answers={str(illness.pk): MARKER})

    run_at(THREE_DAYS_BEFORE, on_commit)

    [mail] = declaration_reminders(mailoutbox)
    assert MARKER not in f"{mail.subject} {mail.body}"


def test_no_reminder_once_submitted_cancelled_or_booked_late(
    cast, book, on_commit, mailoutbox, questionnaire
):
    submitted, cancelled = book(cast.donald), book(cast.dolly)
    late = book(cast.anton, when=STARTS - datetime.timedelta(days=2))
    smokes = questionnaire.questions.get(order=1)
    illness = questionnaire.questions.get(order=3)
    declaration_answer(
        answer_set=submitted.health_declaration,
        answers={str(smokes.pk): "no", str(illness.pk): "Ingen"},
        submit=True,
    )
    with time_machine.travel(BOOKED, tick=False):
        services.booking_cancel(booking=cancelled, actor=cast.hr)

    # Anton got the link in his booking mail two days before: no reminder on top of it
    done = run_at(STARTS - datetime.timedelta(days=1, hours=12), on_commit)

    assert done.declarations == 0
    assert declaration_reminders(mailoutbox) == []
    assert late.health_declaration is not None


def test_the_command_tells_how_many(cast, book, on_commit):
    book(cast.donald)
    out = io.StringIO()

    with time_machine.travel(THREE_DAYS_BEFORE, tick=False), on_commit():
        call_command("send_reminders", stdout=out)

    assert "1 health declaration reminder(s)" in out.getvalue()
