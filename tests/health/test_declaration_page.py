"""Health personnel read an employee's declaration from the appointment's page, each read an
audit event; everyone else sees only whether it was sent and received."""

import pytest

from audit.models import AuditAction, AuditEvent
from health.services import declaration_answer, declaration_send
from tests.factories import BookingFactory

from .conftest import MARKER, question

pytestmark = pytest.mark.usefixtures("norwegian")


@pytest.fixture
def received(questionnaire, booking):
    """Donald's declaration, answered with the marker and submitted."""
    sent = declaration_send(booking=booking)
    return declaration_answer(
        answer_set=sent,
        answers={
            str(question(questionnaire, 1).pk): "yes",
            str(question(questionnaire, 2).pk): "12.5",
            str(question(questionnaire, 3).pk): MARKER,
        },
        submit=True,
    )


def page_url(booking) -> str:
    return f"/egenerklaering/{booking.pk}/"


def reads() -> int:
    return AuditEvent.objects.filter(action=AuditAction.HEALTH_DECLARATION_READ).count()


def test_the_page_asks_before_it_shows_and_a_get_logs_nothing(login, cast, received, booking):
    response = login(cast.health).get(page_url(booking))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Les svarene" in page
    assert MARKER not in page
    assert reads() == 0


def test_health_personnel_read_the_answers_and_the_read_is_logged(login, cast, received, booking):
    response = login(cast.health).post(page_url(booking))

    assert response.status_code == 200
    page = response.content.decode()
    assert MARKER in page
    assert "Oppfølging: Hvor mange om dagen?" in page
    assert "12,5 stk" in page
    assert "no-cache" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditAction.HEALTH_DECLARATION_READ)
    assert (event.actor, event.object_repr) == (cast.health, "Egenerklæring for Donald Duck")


@pytest.mark.parametrize(
    "who", ["superuser", "kam", "customer_service", "testweb", "hr", "annen", "no_grant"]
)
def test_nobody_else_reaches_the_answers(login, cast, received, booking, who):
    client = login(getattr(cast, who))

    for response in (client.get(page_url(booking)), client.post(page_url(booking))):
        assert response.status_code in (302, 403)
        assert MARKER not in response.content.decode()
    assert reads() == 0


def test_an_anonymous_visitor_is_sent_to_the_login(client, received, booking):
    response = client.post(page_url(booking))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert reads() == 0


def test_a_declaration_not_received_has_no_page(login, cast, questionnaire, booking):
    declaration_send(booking=booking)

    assert login(cast.health).post(page_url(booking)).status_code == 404
    assert reads() == 0


def appointment_page(client, booking) -> str:
    return client.get(f"/portal/appointment/{booking.appointment_id}/change/").content.decode()


def test_the_appointment_page_shows_each_booking_s_status(login, cast, received, booking):
    # given Dolly was sent one she has not answered, and Anton none at all
    declaration_send(booking=BookingFactory(appointment=booking.appointment, employee=cast.dolly))
    BookingFactory(appointment=booking.appointment, employee=cast.anton)

    for who in ("testweb", "kam", "superuser", "health"):
        page = appointment_page(login(getattr(cast, who)), booking)
        assert '">mottatt' in page, who  # Donald's, with the link for health personnel
        assert '">ikke mottatt<' in page, who  # Dolly's
        assert '">ikke sendt<' in page, who  # Anton's
        assert MARKER not in page, who


def test_only_health_personnel_get_the_way_to_the_answers(login, cast, received, booking):
    link = f'href="{page_url(booking)}"'

    assert link in appointment_page(login(cast.health), booking)
    for who in ("testweb", "kam", "superuser", "customer_service"):
        assert link not in appointment_page(login(getattr(cast, who)), booking), who


def test_the_read_is_on_the_audit_page_without_the_answers(login, cast, received, booking):
    login(cast.health).post(page_url(booking))

    page = login(cast.kam).get("/revisjonslogg/", {"kind": "health"}).content.decode()

    assert "Egenerklæring lest" in page
    assert "Egenerklæring for Donald Duck" in page
    assert "Helle Helse" in page or "helse" in page
    assert MARKER not in page
