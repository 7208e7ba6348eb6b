"""The customer's side: HR sees whether each booked employee has answered, and may send one
reminder per booking from the appointment's page; the mail carries the form's link and
never an answer, a draft's included."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from health.reminders import declaration_remind
from health.services import declaration_answer, declaration_send
from portal.services.booking_links import booking_from_link
from tests.factories import BookingFactory

from .conftest import MARKER, question

pytestmark = pytest.mark.usefixtures("norwegian")


@pytest.fixture
def draft(questionnaire, booking):
    """Donald has started his declaration (the marker in his draft) and not submitted it."""
    sent = declaration_send(booking=booking)
    return declaration_answer(
        answer_set=sent, answers={str(question(questionnaire, 3).pk): MARKER}, submit=False
    )


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    def _remind(booking, actor):
        with django_capture_on_commit_callbacks(execute=True):
            return declaration_remind(booking=booking, actor=actor)

    return _remind


def reminders(mailoutbox):
    return [m for m in mailoutbox if "egenerklæringen" in m.subject]


def test_hr_sends_one_reminder_with_the_form_link_and_no_answer(
    cast, booking, draft, remind, mailoutbox
):
    remind(booking, cast.hr)

    [mail] = reminders(mailoutbox)
    assert mail.to == [cast.donald.email]
    assert MARKER not in f"{mail.subject} {mail.body}"
    [token] = re.findall(r"/timeavtale/([^/\s]+)/egenerklaering/", mail.body)
    assert booking_from_link(token).booking.pk == booking.pk
    draft.refresh_from_db()
    assert (draft.customer_reminded_by, draft.customer_reminded_at is not None) == (cast.hr, True)


def test_a_second_reminder_is_refused_with_a_clear_message(
    cast, booking, draft, remind, mailoutbox
):
    remind(booking, cast.hr)

    with pytest.raises(ValidationError) as refusal:
        remind(booking, cast.testweb)

    [message] = refusal.value.messages
    assert message.startswith("En påminnelse til Donald Duck ble sendt ")
    assert message.endswith("Det kan sendes bare én påminnelse per booking.")
    assert len(reminders(mailoutbox)) == 1


def test_no_reminder_once_it_is_submitted(cast, questionnaire, booking, remind, mailoutbox):
    sent = declaration_send(booking=booking)
    declaration_answer(
        answer_set=sent,
        answers={
            str(question(questionnaire, 1).pk): "no",
            str(question(questionnaire, 3).pk): MARKER,
        },
        submit=True,
    )

    with pytest.raises(ValidationError, match="har allerede sendt inn egenerklæringen"):
        remind(booking, cast.hr)
    assert reminders(mailoutbox) == []


def test_no_reminder_without_a_declaration(cast, booking, remind):
    with pytest.raises(ValidationError, match="har ikke fått tilsendt en egenerklæring"):
        remind(booking, cast.hr)


@pytest.mark.parametrize("who", ["annen", "finance", "orderer", "no_grant"])
def test_who_may_not_book_the_employee_may_not_remind(cast, booking, draft, remind, who):
    with pytest.raises(PermissionDenied):
        remind(booking, getattr(cast, who))
    draft.refresh_from_db()
    assert draft.customer_reminded_at is None


# -- the appointment's page ----------------------------------------------------------------


def action_url(booking) -> str:
    return f"/portal/appointment/{booking.appointment_id}/declaration-reminder/"


def test_hr_sends_it_from_the_appointment_page(
    cast, booking, draft, login, django_capture_on_commit_callbacks, mailoutbox
):
    client = login(cast.hr)
    page = client.get(f"/portal/appointment/{booking.appointment_id}/change/").content.decode()
    assert "declaration-reminder" in page
    dialog = client.get(action_url(booking)).content.decode()
    assert "Donald Duck" in dialog

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(booking), {"booking": booking.pk, "_form_submitted": "on"}, follow=True
        )

    page = response.content.decode()
    assert "En påminnelse om egenerklæringen er sendt til Donald Duck." in page
    assert "ikke mottatt · påminnelse sendt" in page
    assert MARKER not in page
    assert len(reminders(mailoutbox)) == 1

    again = client.post(
        action_url(booking), {"booking": booking.pk, "_form_submitted": "on"}, follow=True
    ).content.decode()
    assert "Det kan sendes bare én påminnelse per booking." in again
    assert len(reminders(mailoutbox)) == 1


def test_the_button_is_gone_when_everyone_has_answered(cast, questionnaire, booking, login):
    sent = declaration_send(booking=booking)
    declaration_answer(
        answer_set=sent,
        answers={
            str(question(questionnaire, 1).pk): "no",
            str(question(questionnaire, 3).pk): "x",
        },
        submit=True,
    )
    BookingFactory(appointment=booking.appointment, employee=cast.anton)  # none sent

    client = login(cast.hr)
    page = client.get(f"/portal/appointment/{booking.appointment_id}/change/").content.decode()

    assert "declaration-reminder" not in page
    assert client.get(action_url(booking)).status_code == 403


def test_another_customer_gets_what_a_missing_appointment_gets(cast, booking, draft, login):
    client = login(cast.annen)

    assert client.get(action_url(booking)).status_code == 403
    missing = client.get("/portal/appointment/999999/declaration-reminder/")
    assert missing.status_code == 403
