"""The employee's health declaration form from the link of their booking
(`/timeavtale/<token>/egenerklaering/`): a draft kept and shown again, the answers submitted
once with a message per question, then a receipt, and never an answer read back."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from health.crypto import answers_decrypt
from health.models import AnswerStatus, QuestionKind, QuestionnaireAnswer
from health.services import QuestionDraft, questionnaire_save
from portal import services
from portal.models import Booking, BookingInvitation
from portal.services.booking_invitations import invitation_token
from portal.services.booking_links import booking_from_link, booking_link_path, booking_link_token
from portal.services.booking_mail import BookingMail, booking_mail_render
from tests.factories import AppointmentFactory

from .conftest import MARKER, question

pytestmark = pytest.mark.usefixtures("fresh_rate_limit")


@pytest.fixture
def booked(cast, make_order, questionnaire):
    """Donald booked by HR on a Helsekontroll appointment: his declaration is sent."""
    appointment = AppointmentFactory(order=make_order("approved"))
    return services.booking_create(appointment=appointment, employee=cast.donald, actor=cast.hr)


@pytest.fixture
def form_path(booked):
    return reverse("health_declaration_form", args=[booking_link_token(booked)])


def fields(questionnaire, *, smokes="yes", how_many="10", illness=MARKER) -> dict:
    return {
        f"q{question(questionnaire, 1).pk}": smokes,
        f"q{question(questionnaire, 2).pk}": how_many,
        f"q{question(questionnaire, 3).pk}": illness,
    }


def declaration(booking) -> QuestionnaireAnswer:
    return QuestionnaireAnswer.objects.get(booking=booking)


def errors_of(response) -> list[str]:
    found = re.findall(r'data-testid="question-error">([^<]*)<', response.content.decode())
    return [error.strip() for error in found]


def form_link_opens(text: str, booking) -> bool:
    """The text links to the form of `booking` (a token is signed anew each second)."""
    found = re.search(r"/timeavtale/([^/\s\"]+)/egenerklaering/", text)
    return found is not None and booking_from_link(found.group(1)).booking == booking


def test_the_booking_page_leads_to_the_form(client, booked):
    page = client.get(booking_link_path(booked)).content.decode()

    assert "Fyll ut egenerklæring" in page
    assert form_link_opens(page, booked)


def test_the_form_asks_every_question_with_its_follow_up(client, form_path, questionnaire):
    response = client.get(form_path)

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    assert text.count('data-testid="question"') == 3
    follow_up = question(questionnaire, 2)
    assert f'data-parent="q{question(questionnaire, 1).pk}" data-shown-on="yes"' in text
    assert re.search(r"Hvis ja:</span>\s*" + re.escape(follow_up.text), text)
    assert "Lagre utkast" in text
    assert "Send inn" in text


def test_a_draft_is_kept_and_shown_again_to_the_employee(client, booked, form_path, questionnaire):
    response = client.post(
        form_path, {**fields(questionnaire, illness=""), "action": "draft"}, follow=True
    )

    assert "Utkastet er lagret" in response.content.decode()
    kept = declaration(booked)
    assert kept.status == AnswerStatus.DRAFT
    assert answers_decrypt(kept.answers_encrypted) == {
        str(question(questionnaire, 1).pk): "yes",
        str(question(questionnaire, 2).pk): "10",
    }
    again = client.get(form_path).content.decode()
    assert re.search(r'value="yes" class="h-5 w-5" checked', again)
    assert 'value="10"' in again


def test_the_script_keeps_the_draft_as_the_employee_goes(client, booked, form_path, questionnaire):
    saved = client.post(
        form_path,
        {**fields(questionnaire), "action": "draft"},
        headers={"X-Declaration-Autosave": "1"},
    )
    refused = client.post(
        form_path,
        {**fields(questionnaire, how_many="mange"), "action": "draft"},
        headers={"X-Declaration-Autosave": "1"},
    )

    assert (saved.status_code, refused.status_code) == (204, 400)
    assert MARKER not in refused.content.decode()
    assert declaration(booked).status == AnswerStatus.DRAFT


def test_a_missing_answer_is_named_and_nothing_is_submitted(
    client, booked, form_path, questionnaire
):
    response = client.post(form_path, {**fields(questionnaire, how_many=""), "action": "submit"})

    assert response.status_code == 400
    assert errors_of(response) == ["«Hvor mange om dagen?»: svar på spørsmålet."]
    assert "Noen svar mangler eller må rettes" in response.content.decode()
    assert declaration(booked).status == AnswerStatus.SENT


def test_a_bad_number_is_named_without_repeating_it(client, booked, form_path, questionnaire):
    response = client.post(
        form_path, {**fields(questionnaire, how_many=MARKER, illness=""), "action": "submit"}
    )

    assert response.status_code == 400
    assert errors_of(response) == [
        "«Hvor mange om dagen?»: skriv et tall.",
        "«Har du sykdommer?»: svar på spørsmålet.",
    ]
    assert declaration(booked).status == AnswerStatus.SENT


def test_an_answer_to_a_question_not_on_the_form_is_refused(
    client, booked, form_path, questionnaire
):
    response = client.post(
        form_path, {**fields(questionnaire), "q999999": "yes", "action": "submit"}
    )

    # the form reads only its own questions: an extra field is not an answer
    assert response.status_code == 302
    assert "999999" not in answers_decrypt(declaration(booked).answers_encrypted)


def test_submitted_once_then_only_the_receipt(
    client, booked, form_path, questionnaire, frozen_clock
):
    response = client.post(form_path, {**fields(questionnaire), "action": "submit"}, follow=True)

    text = response.content.decode()
    done = declaration(booked)
    received = timezone.localtime(done.submitted_at).strftime("%d.%m.%Y")
    assert done.status == AnswerStatus.SUBMITTED
    assert "Takk! Egenerklæringen er sendt inn." in text
    assert f"Mottatt {received}" in text
    assert MARKER not in text
    # the link never reads an answer back, and a second submit changes nothing
    for again in (
        client.get(form_path),
        client.post(form_path, {**fields(questionnaire, illness="Noe annet"), "action": "submit"}),
        client.post(form_path, {"action": "draft"}, headers={"X-Declaration-Autosave": "1"}),
    ):
        assert MARKER not in again.content.decode()
        assert 'name="q' not in again.content.decode()
    assert declaration(booked).answers_encrypted == done.answers_encrypted
    page = client.get(booking_link_path(booked)).content.decode()
    assert f"Egenerklæring mottatt {received}" in page
    assert "Fyll ut egenerklæring" not in page


def test_a_tampered_link_opens_no_form(client, booked, form_path, questionnaire):
    token = booking_link_token(booked)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    path = reverse("health_declaration_form", args=[tampered])

    shown = client.get(path)
    posted = client.post(path, {**fields(questionnaire), "action": "submit"})

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert "Lenken er ikke gyldig" in shown.content.decode()
    assert declaration(booked).status == AnswerStatus.SENT


def test_a_cancelled_bookings_form_is_closed(client, cast, booked, form_path, questionnaire):
    services.booking_cancel(booking=booked, actor=cast.hr)

    posted = client.post(form_path, {**fields(questionnaire), "action": "submit"}, follow=True)

    assert "Timen er avbestilt" in posted.content.decode()
    assert 'name="q' not in posted.content.decode()
    assert declaration(booked).status == AnswerStatus.SENT


def test_a_booking_without_a_declaration_says_there_is_none(client, cast, make_order):
    booking = services.booking_create(
        appointment=AppointmentFactory(order=make_order("approved")),
        employee=cast.donald,
        actor=cast.hr,
    )

    response = client.get(reverse("health_declaration_form", args=[booking_link_token(booking)]))

    assert response.status_code == 404
    assert "ingen egenerklæring" in response.content.decode()
    assert "Fyll ut egenerklæring" not in client.get(booking_link_path(booking)).content.decode()


def test_the_booking_mail_carries_the_link_until_it_is_answered(
    client, booked, form_path, questionnaire
):
    before = booking_mail_render(booking=booked, kind=BookingMail.BOOKED).body
    client.post(form_path, {**fields(questionnaire), "action": "submit"})
    booked.refresh_from_db()
    after = booking_mail_render(booking=booked, kind=BookingMail.CHANGED).body

    assert "Fyll ut egenerklæring" in before
    assert form_link_opens(before, booked)
    assert "egenerklaering" not in after
    assert MARKER not in after


def test_every_kind_of_question_is_answered_from_the_form(client, cast, make_order):
    # given a questionnaire with one question of each remaining kind, and Dolly booked on it
    questionnaire = questionnaire_save(
        actor=cast.health,
        name="Hørsel",
        product_groups=[cast.product_group],
        questions=[
            QuestionDraft(
                key="a",
                text="Hvor er du utsatt for støy?",
                kind=QuestionKind.SEVERAL_OF,
                choices="Verksted\nKontor\nUtendørs",
            ),
            QuestionDraft(
                key="b", text="Hvor ofte?", kind=QuestionKind.ONE_OF, choices="Daglig\nUkentlig"
            ),
            QuestionDraft(key="c", text="Siste hørselstest", kind=QuestionKind.DATE),
            QuestionDraft(key="d", text="Yrke", kind=QuestionKind.SHORT_TEXT, required=False),
        ],
    )
    booking = services.booking_create(
        appointment=AppointmentFactory(order=make_order("approved")),
        employee=cast.dolly,
        actor=cast.hr,
    )
    path = reverse("health_declaration_form", args=[booking_link_token(booking)])
    q = {order: f"q{question(questionnaire, order).pk}" for order in (1, 2, 3, 4)}

    # when she ticks two places, one frequency, and writes the date as people do
    response = client.post(
        path,
        {q[1]: ["Verksted", "Utendørs"], q[2]: "Daglig", q[3]: "05.03.2024", "action": "submit"},
    )

    # then it is submitted as given, the date as a date and the optional question left out
    assert response.status_code == 302
    kept = answers_decrypt(declaration(booking).answers_encrypted)
    assert kept == {
        q[1][1:]: ["Verksted", "Utendørs"],
        q[2][1:]: "Daglig",
        q[3][1:]: "2024-03-05",
    }


def test_a_date_that_does_not_exist_is_named(client, cast, make_order):
    questionnaire_save(
        actor=cast.health,
        name="Dato",
        product_groups=[cast.product_group],
        questions=[QuestionDraft(key="c", text="Siste hørselstest", kind=QuestionKind.DATE)],
    )
    booking = services.booking_create(
        appointment=AppointmentFactory(order=make_order("approved")),
        employee=cast.dolly,
        actor=cast.hr,
    )
    path = reverse("health_declaration_form", args=[booking_link_token(booking)])
    field = f"q{declaration(booking).questionnaire.questions.get().pk}"

    response = client.post(path, {field: "31.02.2024", "action": "submit"})

    assert response.status_code == 400
    assert errors_of(response) == ["«Siste hørselstest»: skriv en dato."]


def test_a_form_submitted_meanwhile_from_another_tab_shows_the_receipt(
    client, booked, form_path, questionnaire, monkeypatch
):
    # given the second tab's request read the declaration just before the first submitted
    stale = declaration(booked)
    client.post(form_path, {**fields(questionnaire), "action": "submit"})
    monkeypatch.setattr("health.employee_views.declaration_of", lambda booking: stale)

    response = client.post(
        form_path, {**fields(questionnaire, illness="Annet"), "action": "submit"}
    )

    # then it is sent to the receipt, and the first answers stand
    assert (response.status_code, response["Location"]) == (302, form_path)
    assert MARKER in answers_decrypt(declaration(booked).answers_encrypted).values()


def test_an_employee_who_chooses_a_time_is_led_on_to_the_form(
    client, cast, make_order, questionnaire
):
    # given Donald invited to choose his own time of a Helsekontroll order
    appointment = AppointmentFactory(order=make_order("approved"), capacity=3)
    invitation = BookingInvitation.objects.create(
        order=appointment.order, employee=cast.donald, invited_by=cast.hr
    )

    # when he chooses it from the link in his invitation
    response = client.post(
        reverse("choice_page", args=[invitation_token(invitation)]),
        {"appointment": appointment.pk},
        follow=True,
    )

    # then his booking page offers the declaration sent with the booking
    page = response.content.decode()
    assert "Fyll ut egenerklæring" in page
    booking = Booking.objects.get(employee=cast.donald, appointment=appointment)
    assert form_link_opens(page, booking)
    assert declaration(booking).status == AnswerStatus.SENT
