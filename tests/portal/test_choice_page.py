"""«La de ansatte velge selv»: HR invites, each employee chooses their own appointment from the
link in the mail (`/velg-time/<token>/`); HR sees who has chosen and reminds the rest."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.services import audit_for
from portal import services
from portal.admin.booking_views import SELECTION_KEY
from portal.models import Booking, BookingInvitation
from portal.services.booking_invitations import (
    SALT,
    ChoiceState,
    invitation_from_link,
    invitation_link_path,
    invitation_token,
    invitations_waiting,
)
from portal.services.booking_links import SALT as BOOKING_PAGE_SALT
from tests.factories import BookingFactory
from tests.portal.helpers import assert_nothing_else_shown

pytestmark = pytest.mark.usefixtures("fresh_rate_limit")


@pytest.fixture
def invited(cast, hk_order, make_appointment, numbered, mailoutbox, on_commit):
    """An Oslo time at 08:00, a Bergen one at 10:00 (one seat each, deadline the day before);
    Donald, Dolly and Anton invited by HR."""
    oslo = make_appointment(at="08:00", location="Oslo, Akersgata 1")
    bergen = make_appointment(at="10:00", location="Bergen, Strandkaien 2")
    with on_commit():
        invitations, skipped = services.bookings_invite(
            order=hk_order, employees=[cast.donald, cast.dolly, cast.anton], actor=cast.hr
        )
    assert skipped == []
    by_name = {i.employee.first_name: i for i in invitations}
    return by_name, oslo, bergen


def link_in(mail) -> str:
    found = re.search(r"https?://\S+(/velg-time/\S+/)", mail.body)
    assert found, "no /velg-time/ link in the mail"
    return found.group(1)


def test_each_invited_employee_gets_a_mail_with_their_own_link(cast, invited, mailoutbox):
    invitations, *_ = invited

    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {cast.donald.email, cast.dolly.email, cast.anton.email}
    mail = mails[cast.anton.email]
    assert "Velg" in mail.subject
    # the link is signed when the mail is written, a second or so before this compares it
    token = link_in(mail).removeprefix("/velg-time/").removesuffix("/")
    link = invitation_from_link(token)
    assert link.state == ChoiceState.VALID
    assert link.invitation == invitations["Anton"]
    assert "13091850189" not in mail.body


def test_the_page_lists_the_free_times_own_place_first_and_shows_nothing_else(
    cast, invited, client
):
    invitations, *_ = invited

    response = client.get(invitation_link_path(invitations["Anton"]))

    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.content.decode())
    assert text.index("Strandkaien") < text.index("Akersgata")  # Anton is of Bergen TEST
    assert "1 ledig plass" in text
    assert_nothing_else_shown(response, cast)


def test_choosing_books_the_employee_and_opens_their_booking_page(
    cast, invited, client, on_commit, mailoutbox
):
    invitations, oslo, bergen = invited
    mailoutbox.clear()

    with on_commit():
        response = client.post(
            invitation_link_path(invitations["Anton"]), {"appointment": bergen.pk}
        )

    booking = Booking.objects.get(employee=cast.anton)
    assert booking.appointment == bergen
    assert booking.booked_by == cast.hr  # the one to contact
    assert booking.employee_confirmed_at is not None
    assert response.status_code == 302
    assert response["Location"].startswith("/timeavtale/")
    assert BookingInvitation.objects.get(pk=invitations["Anton"].pk).booking == booking
    assert [m.to[0] for m in mailoutbox] == [cast.anton.email]  # the booking mail
    # the audit trail names the employee via the link as the actor
    assert audit_for(booking).get().actor_label == "employee_link"
    # the link again: the page says there is an appointment and links to its page
    again = client.get(invitation_link_path(invitations["Anton"]))
    assert 'data-state="chosen"' in again.content.decode()
    assert response["Location"] in again.content.decode()
    client.post(invitation_link_path(invitations["Anton"]), {"appointment": oslo.pk})
    assert Booking.objects.filter(employee=cast.anton).count() == 1


def test_a_full_time_says_full_and_shows_the_list_again(cast, invited, client):
    invitations, oslo, _bergen = invited
    BookingFactory(appointment=oslo, employee=cast.skrue)

    response = client.post(invitation_link_path(invitations["Donald"]), {"appointment": oslo.pk})

    assert response.status_code == 409
    text = response.content.decode()
    assert "Fullt – velg en annen tid" in text
    assert 'data-testid="choice-list"' in text
    assert "Strandkaien" in text
    assert not Booking.objects.filter(employee=cast.donald).exists()


def test_an_appointment_of_another_order_is_not_a_choice(
    cast, invited, client, make_order, make_appointment
):
    invitations, *_ = invited
    other = make_appointment(order=make_order("approved"), capacity=5)

    response = client.post(invitation_link_path(invitations["Donald"]), {"appointment": other.pk})

    assert response.status_code == 400
    assert not other.bookings.exists()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.split(":")[0],
        lambda token: "ikke-en-lenke",
    ],
)
def test_a_tampered_link_is_refused_and_books_nobody(cast, invited, client, mangle):
    invitations, oslo, _bergen = invited
    token = mangle(invitation_token(invitations["Donald"]))

    assert client.get(f"/velg-time/{token}/").status_code == 404
    response = client.post(f"/velg-time/{token}/", {"appointment": oslo.pk})

    assert response.status_code == 404
    assert 'data-testid="link-refused"' in response.content.decode()
    assert not Booking.objects.filter(appointment=oslo).exists()


def test_a_link_never_books_another_employee(cast, invited, client):
    invitations, oslo, _bergen = invited
    token = invitation_token(invitations["Donald"])
    # the signature covers the id: Dolly's id under Donald's signature is refused
    signature = token.split(":", 1)[1]
    forged = signing.dumps({"i": invitations["Dolly"].pk}, salt=SALT).split(":", 1)[0]
    assert invitation_from_link(f"{forged}:{signature}").state == ChoiceState.INVALID
    # a booking page's token (another salt) opens no choice, and the reverse
    assert invitation_from_link(signing.dumps({"i": invitations["Dolly"].pk})).state == (
        ChoiceState.INVALID
    )
    booking_token = signing.dumps({"i": invitations["Dolly"].pk}, salt=BOOKING_PAGE_SALT)
    assert invitation_from_link(booking_token).state == ChoiceState.INVALID

    client.post(f"/velg-time/{token}/", {"appointment": oslo.pk, "employee": cast.dolly.pk})

    assert [b.employee for b in Booking.objects.filter(appointment=oslo)] == [cast.donald]


def test_the_link_expires_after_the_orders_last_booking_deadline(cast, invited, client):
    invitations, oslo, bergen = invited
    path = invitation_link_path(invitations["Donald"])
    last = max(oslo.booking_deadline, bergen.booking_deadline)

    with time_machine.travel(last - datetime.timedelta(minutes=1)):
        assert invitation_from_link(invitation_token(invitations["Donald"])).is_valid
    with time_machine.travel(last + datetime.timedelta(minutes=1)):
        cache.clear()
        response = client.get(path)
        posted = client.post(path, {"appointment": bergen.pk})

    assert 'data-state="expired"' in response.content.decode()
    assert "Ola" not in response.content.decode()
    assert posted.status_code == 200
    assert not Booking.objects.filter(employee=cast.donald).exists()


def test_hr_sees_who_has_chosen_and_reminds_the_others(
    cast, hk_order, invited, client, login, on_commit, mailoutbox
):
    invitations, _oslo, bergen = invited
    services.booking_choose_by_employee(invitation=invitations["Anton"], appointment=bergen)
    mailoutbox.clear()
    hr = login(cast.hr)
    url = f"/portal/appointment/book/{hk_order.pk}/invitations/"

    page = hr.get(url)
    rows = {r["invitation"].employee.first_name: r for r in page.context["rows"]}
    assert rows["Anton"]["booking"].appointment == bergen
    assert rows["Donald"]["booking"] is None
    assert page.context["waiting"] == 2
    assert "Strandkaien" in page.content.decode()
    # the order's page links to it
    order_page = hr.get(f"/portal/order/{hk_order.pk}/change/")
    assert url in order_page.content.decode()
    assert order_page.context["invitations_waiting"] == 2

    with on_commit():
        hr.post(url)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.donald.email, cast.dolly.email])
    assert "Påminnelse" in mailoutbox[0].subject
    assert BookingInvitation.objects.filter(reminded_at__isnull=False).count() == 2


def test_one_who_chose_and_cancelled_is_waiting_and_reminded_again(
    cast, hk_order, invited, mailoutbox
):
    invitations, _oslo, bergen = invited
    booking = services.booking_choose_by_employee(
        invitation=invitations["Anton"], appointment=bergen
    )
    services.booking_cancel(booking=booking, actor=cast.hr)
    mailoutbox.clear()

    waiting = invitations_waiting(hk_order, cast.hr)
    reminded = services.invitations_remind(order=hk_order, actor=cast.hr)

    # what HR is shown as waiting is who is reminded
    assert {i.employee.first_name for i in waiting} == {"Anton", "Donald", "Dolly"}
    assert {i.employee.first_name for i in reminded} == {"Anton", "Donald", "Dolly"}


def test_reminding_reads_the_same_few_rows_however_many_are_waiting(
    cast, hk_order, invited, mailoutbox
):
    with CaptureQueriesContext(connection) as queries:
        reminded = services.invitations_remind(order=hk_order, actor=cast.hr)

    assert len(reminded) == 3
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    # the invitations, who is booked, the last deadline, the customer's KA/KAM, the customer
    # and the product group: none of them once per employee
    assert len(reads) <= 6, reads


def test_hr_invites_from_the_grid(cast, hk_order, make_appointment, login, on_commit, mailoutbox):
    make_appointment(capacity=5)
    client = login(cast.hr)
    session = client.session
    session[SELECTION_KEY] = [cast.donald.pk, cast.ola.pk]
    session.save()
    grid = client.get(f"/portal/appointment/book/{hk_order.pk}/")
    assert "La de ansatte velge selv" in grid.content.decode()

    with on_commit():
        response = client.post(f"/portal/appointment/book/{hk_order.pk}/", {"invite": "1"})

    assert response["Location"] == f"/portal/appointment/book/{hk_order.pk}/invitations/"
    assert [i.employee for i in BookingInvitation.objects.all()] == [cast.donald]
    assert [m.to[0] for m in mailoutbox] == [cast.donald.email]
    assert not Booking.objects.exists()


def test_a_department_limited_hr_user_invites_and_sees_only_their_department(
    cast, bergen_order, make_appointment, login
):
    make_appointment(order=bergen_order, capacity=5)
    invitations, _skipped = services.bookings_invite(
        order=bergen_order, employees=[cast.anton, cast.donald], actor=cast.bergen_hr
    )
    assert [i.employee for i in invitations] == [cast.anton]
    services.bookings_invite(order=bergen_order, employees=[cast.donald], actor=cast.hr)

    page = login(cast.bergen_hr).get(f"/portal/appointment/book/{bergen_order.pk}/invitations/")

    assert [r["invitation"].employee for r in page.context["rows"]] == [cast.anton]
    assert "Donald" not in page.content.decode()
