"""The employee's page from the link in the booking mail (`/timeavtale/<token>/`): what a
token opens, what the page shows (and never shows), the three answers, and the rate limit."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.test import override_settings
from django.utils import timezone

from portal import services
from portal.models import Booking
from portal.models.appointments import Attendance
from portal.services.booking_links import (
    SALT,
    LinkState,
    booking_from_link,
    booking_link_path,
    booking_link_token,
)
from tests.portal.helpers import assert_nothing_else_shown

pytestmark = pytest.mark.usefixtures("fresh_rate_limit")


@pytest.fixture
def two_bookings(cast, make_appointment, numbered):
    """Donald at 08:00 and Dolly at 09:00, booked by HR; a free 10:00 at the same place."""
    donald = services.booking_create(
        appointment=make_appointment(at="08:00"), employee=cast.donald, actor=cast.hr
    )
    dolly = services.booking_create(
        appointment=make_appointment(at="09:00"), employee=cast.dolly, actor=cast.hr
    )
    free = make_appointment(at="10:00")
    return donald, dolly, free


def state_of(response) -> str:
    found = re.search(r'data-testid="booking-state" data-state="(\w+)"', response.content.decode())
    return found.group(1) if found else ""


# -- the token -----------------------------------------------------------------------------------


def test_a_link_for_booking_a_never_opens_booking_b(two_bookings, client, cast):
    donald, dolly, _free = two_bookings

    token = booking_link_token(donald)
    assert booking_from_link(token).booking == donald
    # the signature covers the id: another id under the same signature is refused
    _payload, signature = token.split(":", 1)
    forged = signing.dumps({"b": dolly.pk}, salt=SALT).split(":", 1)[0] + ":" + signature
    assert booking_from_link(forged).state == LinkState.INVALID
    # a token of another use (another salt) opens nothing either
    assert booking_from_link(signing.dumps({"b": dolly.pk})).state == LinkState.INVALID

    response = client.get(booking_link_path(donald))
    assert response.status_code == 200
    assert "08:00–08:20" in response.content.decode()
    assert "09:00–09:20" not in response.content.decode()
    assert_nothing_else_shown(response, cast)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.split(":")[0],
        lambda token: "x" + token,
        lambda token: "ikke-en-lenke",
    ],
)
def test_a_tampered_link_gets_the_portals_own_not_valid_page(two_bookings, client, cast, mangle):
    donald, *_ = two_bookings

    response = client.get(f"/timeavtale/{mangle(booking_link_token(donald))}/")

    assert response.status_code == 404
    text = response.content.decode()
    assert 'data-testid="link-refused"' in text
    assert "Lenken er ikke gyldig" in text
    assert_nothing_else_shown(response, cast)
    for action in ("kommer", "avbestill", "bytt"):
        posted = client.post(f"/timeavtale/{mangle(booking_link_token(donald))}/{action}/")
        assert posted.status_code == 404
    donald.refresh_from_db()
    assert donald.holds_a_seat
    assert donald.employee_confirmed_at is None


def test_a_cancelled_bookings_link_says_it_is_cancelled_and_nothing_more(
    two_bookings, client, cast
):
    donald, *_ = two_bookings
    services.booking_cancel(booking=donald, actor=cast.hr)

    response = client.get(booking_link_path(donald))

    assert response.status_code == 200
    assert state_of(response) == "cancelled"
    assert "Timen er avbestilt" in response.content.decode()
    assert "kommer/" not in response.content.decode()
    assert_nothing_else_shown(response, cast)
    # and it can no longer be acted on
    client.post(booking_link_path(donald) + "kommer/")
    donald.refresh_from_db()
    assert donald.employee_confirmed_at is None


def test_an_expired_link_says_so(two_bookings, client, cast):
    donald, *_ = two_bookings
    path = booking_link_path(donald)

    with time_machine.travel(donald.appointment.ends_at + datetime.timedelta(minutes=1)):
        response = client.get(path)
        client.post(path + "kommer/")

    assert response.status_code == 200
    assert state_of(response) == "expired"
    assert "Timen er gjennomført" in response.content.decode()
    assert_nothing_else_shown(response, cast)
    donald.refresh_from_db()
    assert donald.employee_confirmed_at is None


def test_the_link_is_in_the_booking_mail_and_works_until_the_appointment_ends(
    cast, make_appointment, on_commit, mailoutbox, client
):
    with on_commit():
        booking = services.booking_create(
            appointment=make_appointment(), employee=cast.donald, actor=cast.hr
        )
    link = re.search(r"https?://\S+/timeavtale/\S+/", mailoutbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    with time_machine.travel(booking.appointment.starts_at):
        assert state_of(client.get(path)) == "booked"
    with time_machine.travel(booking.appointment.ends_at):
        assert state_of(client.get(path)) == "expired"


# -- the page and its answers --------------------------------------------------------------------


def test_the_page_shows_when_where_what_to_bring_and_the_deadline(two_bookings, client, cast):
    donald, *_ = two_bookings
    donald.appointment.instructions = "Ta med briller."
    donald.appointment.save(update_fields=["instructions"])

    text = client.get(booking_link_path(donald)).content.decode()

    appointment = donald.appointment
    assert timezone.localtime(appointment.starts_at).strftime("%d.%m.%Y") in text
    assert "08:00–08:20" in text
    assert "Bergen" in text
    assert "https://www.google.com/maps/search/?api=1&amp;query=Bergen" in text
    assert "Ta med briller." in text
    assert "Legg i kalender" in text
    assert "Jeg kommer" in text
    assert "Bytt tid" in text
    assert "Jeg kan ikke komme" in text


def test_jeg_kommer_is_shown_to_hr_on_the_appointment(two_bookings, client, cast):
    donald, *_ = two_bookings

    response = client.post(booking_link_path(donald) + "kommer/", follow=True)

    assert state_of(response) == "confirmed"
    donald.refresh_from_db()
    assert donald.employee_confirmed_at is not None
    hr = client.__class__()
    hr.force_login(cast.hr)
    page = hr.get(f"/portal/appointment/{donald.appointment_id}/change/").content.decode()
    assert "Bekreftet av ansatt" in page


def test_jeg_kan_ikke_komme_asks_first_then_cancels(two_bookings, client, cast):
    donald, *_ = two_bookings
    path = booking_link_path(donald)

    asked = client.get(path + "avbestill/")
    assert "Ja, avbestill timen" in asked.content.decode()
    donald.refresh_from_db()
    assert donald.holds_a_seat

    response = client.post(path + "avbestill/", follow=True)

    assert state_of(response) == "cancelled"
    donald.refresh_from_db()
    assert donald.attendance == Attendance.CANCELLED
    assert donald.cancelled_by_employee


def test_after_the_deadline_jeg_kan_ikke_komme_shows_only_the_bookers_contact(
    cast, make_appointment, client, numbered
):
    booking = services.booking_create(
        appointment=make_appointment(in_days=2, closes_hours=24),
        employee=cast.donald,
        actor=cast.hr,
    )
    path = booking_link_path(booking)

    with time_machine.travel(booking.appointment.booking_deadline + datetime.timedelta(hours=1)):
        page = client.get(path)
        response = client.post(path + "avbestill/")

    text = response.content.decode()
    assert 'data-testid="contact-hr"' in text
    assert cast.hr.email in text
    assert (cast.hr.get_full_name() or cast.hr.username) in text
    assert "Ja, avbestill timen" not in text
    assert "Bytt tid" not in page.content.decode()
    booking.refresh_from_db()
    assert booking.holds_a_seat
    assert_nothing_else_shown(response, cast)


def test_bytt_tid_lists_the_free_times_and_moves_the_booking(two_bookings, client, cast):
    donald, dolly, free = two_bookings
    path = booking_link_path(donald)

    listed = client.get(path + "bytt/")
    text = listed.content.decode()
    assert f'value="{free.pk}"' in text
    assert f'value="{dolly.appointment_id}"' not in text  # full
    assert_nothing_else_shown(listed, cast)

    response = client.post(path + "bytt/", {"appointment": free.pk}, follow=True)

    assert "10:00–10:20" in response.content.decode()
    donald.refresh_from_db()
    assert donald.appointment == free
    assert donald.calendar_sequence == 1


def test_bytt_tid_to_a_time_taken_meanwhile_says_choose_another(two_bookings, client, cast):
    donald, dolly, _free = two_bookings

    response = client.post(
        booking_link_path(donald) + "bytt/", {"appointment": dolly.appointment_id}
    )

    assert response.status_code == 400
    assert "velg en annen tid" in response.content.decode()
    donald.refresh_from_db()
    assert donald.calendar_sequence == 0


def test_bytt_tid_to_nonsense_is_refused_with_the_page(two_bookings, client):
    donald, *_ = two_bookings
    for value in ("", "abc", "999999"):
        response = client.post(booking_link_path(donald) + "bytt/", {"appointment": value})
        assert response.status_code == 400


def test_legg_i_kalender_gives_this_bookings_calendar_entry(two_bookings, client):
    donald, *_ = two_bookings

    response = client.get(booking_link_path(donald) + "kalender.ics")

    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:booking-{donald.pk}@" in body
    assert "Duck" in body  # the attendee is the employee themselves, in their own calendar


def test_the_page_is_english_when_asked(two_bookings, client):
    donald, *_ = two_bookings
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    text = client.get(booking_link_path(donald)).content.decode()

    assert "I am coming" in text
    assert "Change time" in text


@override_settings(PORTAL_BOOKING_PAGE_PER_LINK=3)
def test_the_page_is_rate_limited_per_link(two_bookings, client):
    donald, dolly, _free = two_bookings

    # one link, as the mail holds it (a new one is signed with the time: another second,
    # another link)
    link = booking_link_path(donald)
    answers = [client.get(link).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert client.get(booking_link_path(dolly)).status_code == 200  # another link still works


@override_settings(PORTAL_BOOKING_PAGE_PER_ADDRESS=2)
def test_the_page_is_rate_limited_per_address(two_bookings, client):
    donald, dolly, _free = two_bookings

    answers = [client.get(booking_link_path(b)).status_code for b in (donald, dolly, donald)]

    assert answers == [200, 200, 429]
    assert Booking.objects.get(pk=donald.pk).employee_confirmed_at is None
