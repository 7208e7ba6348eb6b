# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""The employee's page for choosing their own appointment, `/velg-time/<token>/`, over the
fixed cast.

The token is the only authority: whoever holds a link sees that one invitation's free times,
logged in or not, and nobody gets anything without one. A tampered link answers the portal's
own «not valid» page; an expired one says only that.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.models import BookingInvitation
from portal.services.booking_invitations import invitation_token
from tests.factories import AppointmentFactory

from .helpers import CAST, LOGIN, assert_matrix, outcome

TB = "Testbedriften's times"
EK = "Eksempel's times"
EXPIRED = "expired"
NO = 404

# fmt: off
#  columns:                         superuser staff  cust.adm orderer hr  finance bergen other no_grant inactive anonymous
MATRIX = [
    ("/velg-time/{tb}/",            (TB,      TB,    TB,      TB,     TB, TB,     TB,    TB,   TB,      TB,      TB)),
    ("/velg-time/{ek}/",            (EK,      EK,    EK,      EK,     EK, EK,     EK,    EK,   EK,      EK,      EK)),
    ("/velg-time/{tampered}/",      (NO,      NO,    NO,      NO,     NO, NO,     NO,    NO,   NO,      NO,      NO)),
    ("/velg-time/{expired}/",       (EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED)),
    # No token: nothing of the page, only the admin's answer to a path it does not have.
    ("/velg-time/",                 (NO,      NO,    NO,      NO,     NO, NO,     NO,    NO,   LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


@pytest.fixture
def links(cast, world, make_order):
    cache.clear()  # the page's rate limit
    for appointment in (world.tb_appointment, world.ek_appointment):  # a free seat on each
        AppointmentFactory(order=appointment.order, location=appointment.location, capacity=3)
    tb = BookingInvitation.objects.create(order=world.tb_appointment.order, employee=cast.dolly)
    ek = BookingInvitation.objects.create(order=world.ek_appointment.order, employee=cast.ola)
    past = timezone.now() - datetime.timedelta(days=2)
    closed = make_order("approved")
    AppointmentFactory(
        order=closed,
        location="Stengt sted",
        starts_at=past,
        ends_at=past + datetime.timedelta(minutes=20),
        booking_deadline=past - datetime.timedelta(days=1),
    )
    expired = BookingInvitation.objects.create(order=closed, employee=cast.donald)
    token = invitation_token(tb)
    return {
        "tb": token,
        "ek": invitation_token(ek),
        "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
        "expired": invitation_token(expired),
    }


def answer_for(world):
    places = {TB: world.tb_appointment.location, EK: world.ek_appointment.location}

    def answer(response):
        if response.status_code != 200:
            return outcome(response)
        text = response.content.decode()
        state = re.search(r'data-testid="choice-state" data-state="(\w+)"', text)
        if state and state.group(1) == EXPIRED:
            return EXPIRED
        shown = [name for name, place in places.items() if place in text]
        return shown[0] if len(shown) == 1 else "200 with something else"

    return answer


@pytest.mark.parametrize("member", CAST)
def test_choice_page_matrix(member, cast, world, client, links):
    # The page names nobody and none of the companies' data, so the cast's leak check (the
    # other customer's names) holds for every member.
    assert_matrix(client, cast, member, MATRIX, world=world, fill=links, answer=answer_for(world))
