"""Rapporter counts the health declarations answered and not answered per appointment, for
whoever sees the appointment's bookings; it never shows what anyone answered."""

import datetime
from urllib.parse import urlencode

import pytest

from health.services import declaration_answer, declaration_send
from portal.selectors.periods import local_midnight
from tests.factories import AppointmentFactory, BookingFactory
from tests.permissions.helpers import readable

from .conftest import MARKER, question

pytestmark = pytest.mark.usefixtures("norwegian")

SLUG = "egenerklaeringer"
PERIOD = {"from_month": "2027-01", "to_month": "2027-03"}


@pytest.fixture
def appointment(cast, make_order):
    starts = local_midnight(datetime.date(2027, 2, 10)) + datetime.timedelta(hours=8)
    return AppointmentFactory(
        order=make_order("approved"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        booking_deadline=starts - datetime.timedelta(days=1),
        capacity=5,
    )


@pytest.fixture
def declarations(questionnaire, appointment, cast):
    """Donald has answered (the marker in his answers), Dolly has a draft, Anton got none."""
    donald, dolly = (
        declaration_send(booking=BookingFactory(appointment=appointment, employee=employee))
        for employee in (cast.donald, cast.dolly)
    )
    answers = {str(question(questionnaire, 1).pk): "no", str(question(questionnaire, 3).pk): MARKER}
    declaration_answer(answer_set=donald, answers=answers, submit=True)
    declaration_answer(answer_set=dolly, answers=answers, submit=False)
    BookingFactory(appointment=appointment, employee=cast.anton)
    return donald, dolly


def reports_page(client):
    return client.get("/rapporter/?" + urlencode(PERIOD))


def result_of(response):
    return next(
        item["result"] for item in response.context["reports"] if item["report"].slug == SLUG
    )


@pytest.mark.parametrize("who", ["testweb", "hr", "kam", "customer_service"])
def test_answered_and_not_answered_are_counted_per_appointment(login, cast, declarations, who):
    response = reports_page(login(getattr(cast, who)))

    result = result_of(response)
    assert result.table.headings == ["Timeavtale", "Sendt", "mottatt", "ikke mottatt"]
    assert result.table.display_rows == [["10.02.2027 08:00, Bergen", "2", "1", "1"]]
    assert MARKER not in readable(response)


def test_another_customer_counts_none_of_them(login, cast, declarations):
    response = reports_page(login(cast.annen))

    assert result_of(response).table.rows == []


@pytest.mark.parametrize("who", ["orderer", "finance", "health"])
def test_who_books_no_one_gets_no_such_report(login, cast, declarations, who):
    response = reports_page(login(getattr(cast, who)))

    slugs = [item["report"].slug for item in response.context["reports"]]
    assert SLUG not in slugs


def test_the_export_has_the_counts_and_no_answer(login, cast, declarations):
    client = login(cast.testweb)
    response = client.get("/rapporter/?" + urlencode({**PERIOD, "export": SLUG}))

    assert response.status_code == 200
    text = readable(response)
    assert "10.02.2027 08:00, Bergen" in text
    assert MARKER not in text
