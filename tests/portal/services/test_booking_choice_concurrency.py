"""«La de ansatte velge selv»: 20 employees choosing the last 5 seats from their links at the
same moment get exactly 5 bookings and 15 clear «Fullt – velg en annen tid» answers.

Only PostgreSQL shows it (threads, each on its own connection); skipped on SQLite.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from portal.models import Booking
from portal.services import bookings_invite
from portal.services.booking_invitations import invitation_link_path

from .test_booking_concurrency import SEATS, THREADS, together, twenty_employees  # noqa: F401

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_20_employees_choosing_the_last_5_seats_get_5_bookings_and_15_full_answers(
    cast,
    hk_order,
    make_appointment,
    twenty_employees,  # noqa: F811
):
    # given an appointment with 5 seats and 20 employees invited to choose
    cache.clear()  # the links' rate limit
    appointment = make_appointment(capacity=SEATS)
    invitations, _skipped = bookings_invite(
        order=hk_order, employees=twenty_employees, actor=cast.hr
    )
    paths = [invitation_link_path(invitation) for invitation in invitations]
    assert len(paths) == THREADS

    # when all 20 press «Book denne tiden» at the same moment, each from their own link
    def choose(index):
        response = Client().post(paths[index], {"appointment": appointment.pk})
        return response.status_code, response.content.decode()

    outcomes = together(choose, THREADS)

    # then 5 are booked (sent on to their booking page), 15 are told it is full, nothing else
    assert sorted(status for status, _page in outcomes) == [302] * SEATS + [409] * (THREADS - SEATS)
    assert all("Fullt – velg en annen tid" in page for status, page in outcomes if status == 409)
    assert Booking.objects.filter(appointment=appointment).count() == SEATS
    cache.clear()
