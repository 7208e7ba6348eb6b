"""A full appointment says «Fullt» wherever its seats or status are shown, never «Åpen for
booking» with no seat left."""

import re

import pytest

from tests.factories import BookingFactory

pytestmark = pytest.mark.usefixtures("norwegian")


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def full(cast, make_appointment):
    appointment = make_appointment(capacity=2, location="Bryggen legekontor")
    BookingFactory(appointment=appointment, employee=cast.donald)
    BookingFactory(appointment=appointment, employee=cast.dolly)
    return appointment


@pytest.mark.parametrize("user", ["testweb", "kam"])
def test_the_lists_say_full(cast, full, login, user):
    client = login(getattr(cast, user))

    appointments = text_of(client.get("/portal/appointment/"))
    order = text_of(client.get(f"/portal/order/{full.order_id}/change/"))

    assert "Fullt (0 / 2)" in appointments
    assert "Fullt (0 / 2)" in order


def test_the_customers_appointment_page_says_full_not_open(cast, full, login):
    page = text_of(login(cast.testweb).get(f"/portal/appointment/{full.pk}/change/"))

    assert "Fullt" in page
    assert "Åpen for booking" not in page


def test_the_unbook_dialog_says_full(cast, full, login):
    page = text_of(login(cast.testweb).get(f"/portal/appointment/{full.pk}/unbook-employee/"))

    assert 'data-testid="free-seats">Fullt (0 / 2)' in page


def test_a_seat_freed_opens_it_again(cast, full, login):
    full.bookings.filter(employee=cast.dolly).update(attendance="cancelled")

    page = text_of(login(cast.testweb).get(f"/portal/appointment/{full.pk}/change/"))

    assert "Åpen for booking" in page
    assert "1 / 2" in page
    assert "Fullt" not in page


def test_the_dialog_of_an_appointment_with_a_free_seat_shows_the_seats(cast, full, login):
    full.bookings.filter(employee=cast.dolly).update(attendance="cancelled")

    page = text_of(login(cast.testweb).get(f"/portal/appointment/{full.pk}/book-employee/"))

    assert 'data-testid="free-seats">1 / 2<' in page
