# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""The employee's page from the booking mail, `/timeavtale/<token>/`, over the fixed cast.

The token is the only authority: whoever holds a link sees that one booking's page, logged in
or not, and nobody gets anything without one. A link of another booking opens that booking
only; a tampered link, and the page without a token, answer the portal's own «not valid»
page; a cancelled booking's link and an expired one say only that.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.services import booking_cancel
from portal.services.booking_links import booking_link_token
from tests.factories import AppointmentFactory, BookingFactory

from .helpers import CAST, LOGIN, assert_matrix, outcome

TB = "Testbedriften's booking"  # 200, the page of the booking the link was made for
EK = "Eksempel's booking"
CANCELLED = "cancelled"
EXPIRED = "expired"
NO = 404

# fmt: off
#  columns:                              superuser staff  cust.adm orderer hr  finance bergen other no_grant inactive anonymous
MATRIX = [
    ("/timeavtale/{tb}/",                (TB,      TB,    TB,      TB,     TB, TB,     TB,    TB,   TB,      TB,      TB)),
    ("/timeavtale/{ek}/",                (EK,      EK,    EK,      EK,     EK, EK,     EK,    EK,   EK,      EK,      EK)),
    ("/timeavtale/{tampered}/",          (NO,      NO,    NO,      NO,     NO, NO,     NO,    NO,   NO,      NO,      NO)),
    ("/timeavtale/{cancelled}/",         (CANCELLED, CANCELLED, CANCELLED, CANCELLED, CANCELLED, CANCELLED, CANCELLED, CANCELLED, CANCELLED, CANCELLED, CANCELLED)),
    ("/timeavtale/{expired}/",           (EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED)),
    ("/timeavtale/{tampered}/bytt/",     (NO,      NO,    NO,      NO,     NO, NO,     NO,    NO,   NO,      NO,      NO)),
    ("/timeavtale/{tampered}/avbestill/", (NO,     NO,    NO,      NO,     NO, NO,     NO,    NO,   NO,      NO,      NO)),
    ("/timeavtale/{tampered}/kalender.ics", (NO,   NO,    NO,      NO,     NO, NO,     NO,    NO,   NO,      NO,      NO)),
    # No token: nothing of the page, only the admin's answer to a path it does not have.
    ("/timeavtale/",                     (NO,      NO,    NO,      NO,     NO, NO,     NO,    NO,   LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


@pytest.fixture
def links(cast, world):
    cache.clear()  # the page's rate limit
    cancelled = BookingFactory(appointment=world.tb_appointment, employee=cast.dolly)
    booking_cancel(booking=cancelled, actor=cast.kam)
    past = timezone.now() - datetime.timedelta(days=2)
    expired = BookingFactory(
        appointment=AppointmentFactory(
            order=world.tb_appointment.order,
            starts_at=past,
            ends_at=past + datetime.timedelta(minutes=20),
            booking_deadline=past - datetime.timedelta(days=1),
        ),
        employee=cast.anton,
    )
    tb = booking_link_token(world.tb_booking)
    return {
        "tb": tb,
        "ek": booking_link_token(world.ek_booking),
        "tampered": tb[:-1] + ("A" if tb[-1] != "A" else "B"),
        "cancelled": booking_link_token(cancelled),
        "expired": booking_link_token(expired),
    }


def answer_for(world):
    times = {
        TB: timezone.localtime(world.tb_appointment.starts_at).strftime("%H:%M"),
        EK: timezone.localtime(world.ek_appointment.starts_at).strftime("%H:%M"),
    }
    places = {TB: world.tb_appointment.location, EK: world.ek_appointment.location}

    def answer(response):
        if response.status_code != 200:
            return outcome(response)
        text = response.content.decode()
        state = re.search(r'data-testid="booking-state" data-state="(\w+)"', text)
        if state and state.group(1) in (CANCELLED, EXPIRED):
            return state.group(1)
        where = re.search(r'data-testid="booking-where">([^<]*)<', text)
        for name in (TB, EK):
            if where and where.group(1).strip() == places[name] and times[name] in text:
                return name
        return "200 with something else"

    return answer


@pytest.mark.parametrize("member", CAST)
def test_booking_page_matrix(member, cast, world, client, links):
    # Every page answers the same to all: nobody's name, company or national id is on it, so
    # the cast's leak check (the other customer's names) holds for every member too.
    assert_matrix(client, cast, member, MATRIX, world=world, fill=links, answer=answer_for(world))


@pytest.mark.parametrize("action", ["kommer", "avbestill", "bytt"])
def test_a_logged_in_customer_user_without_the_link_changes_nothing(cast, world, client, action):
    # given the other customer's user, logged in, and Testbedriften's booking
    client.force_login(cast.annen)
    booking = world.tb_booking

    # when they post the answers with a made-up or another booking's token
    for token in ("ikke-en-lenke", booking_link_token(world.ek_booking)[:-2] + "xx"):
        response = client.post(f"/timeavtale/{token}/{action}/", {"appointment": "1"})
        assert response.status_code == 404

    # then the booking is as it was
    booking.refresh_from_db()
    assert booking.holds_a_seat
    assert booking.employee_confirmed_at is None
