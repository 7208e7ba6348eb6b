"""Health personnel read an employee's declaration from the appointment's page, each read an
audit event; everyone else sees only whether it was sent and received."""

import datetime
import shutil
import subprocess

import pytest
import time_machine

from audit.models import AuditAction, AuditEvent
from health.retention import declarations_delete_due
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


# -- the PDF for the health record, and «Merk som overført til journal» ----------------------


def pdf_url(booking) -> str:
    return f"/egenerklaering/{booking.pk}/pdf/"


def transferred_url(booking) -> str:
    return f"/egenerklaering/{booking.pk}/journal/"


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext reads it (a health record system imports it so)."""
    pdf = tmp_path / "egenerklaering.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_health_personnel_download_the_answers_as_a_pdf(login, cast, received, booking, tmp_path):
    response = login(cast.health).post(pdf_url(booking))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"]
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "Egenerklæring for Donald Duck" in text
    assert MARKER in text
    assert "Oppfølging: Hvor mange om dagen?" in text
    assert "12,5 stk" in text
    assert "helsepersonelloven § 21" in text
    event = AuditEvent.objects.get(action=AuditAction.HEALTH_DECLARATION_READ)
    assert (event.actor, event.object_repr) == (
        cast.health,
        "Egenerklæring for Donald Duck, som PDF",
    )


def test_a_get_of_the_pdf_reads_nothing(login, cast, received, booking):
    response = login(cast.health).get(pdf_url(booking))

    assert response.status_code == 302
    assert response["Location"] == page_url(booking)
    assert reads() == 0


@pytest.mark.parametrize(
    "who", ["superuser", "kam", "customer_service", "testweb", "hr", "annen", "no_grant"]
)
def test_nobody_else_downloads_or_marks_transferred(login, cast, received, booking, who):
    client = login(getattr(cast, who))

    for url in (pdf_url(booking), transferred_url(booking)):
        for response in (client.get(url), client.post(url)):
            assert response.status_code in (302, 403), url
            assert MARKER not in response.content.decode()
    received.refresh_from_db()
    assert received.transferred_at is None
    assert reads() == 0


def test_health_personnel_mark_the_answers_transferred(login, cast, received, booking):
    client = login(cast.health)

    response = client.post(transferred_url(booking), follow=True)

    page = response.content.decode()
    assert "Merket som overført til journal" in page
    assert "Overført til journal" in page
    assert "Merk som overført til journal" not in page  # the button is gone
    received.refresh_from_db()
    assert received.transferred_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.HEALTH_DECLARATION_TRANSFERRED, actor=cast.health
    ).exists()
    again = client.post(transferred_url(booking), follow=True).content.decode()
    assert "Svarene ble merket som overført til journal" in again


def test_a_get_marks_nothing(login, cast, received, booking):
    login(cast.health).get(transferred_url(booking))

    received.refresh_from_db()
    assert received.transferred_at is None


def test_after_the_deletion_the_page_says_so_and_offers_no_answers(login, cast, received, booking):
    with time_machine.travel(booking.appointment.ends_at + datetime.timedelta(days=91)):
        declarations_delete_due()
    client = login(cast.health)

    page = client.post(page_url(booking)).content.decode()
    pdf = client.post(pdf_url(booking), follow=True).content.decode()

    assert "Svarene ble slettet fra portalen" in page
    assert "Les svarene" not in page
    assert "Last ned PDF" not in page
    assert "Svarene på denne egenerklæringen er slettet." in pdf
    assert reads() == 0
