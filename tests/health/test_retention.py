"""Retention: an employee's answers are deleted HEALTH_ANSWERS_RETENTION_DAYS after the
appointment, or at the next pass once health personnel have marked them transferred to the
health record; the declaration keeps its status («mottatt»), and each deletion is audited."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings

from audit.models import AuditAction, AuditEvent
from config.settings import base
from health.models import AnswerStatus
from health.retention import declaration_mark_transferred, declarations_delete_due
from health.selectors import declaration_status_text
from health.services import declaration_answer, declaration_read, declaration_send

from .conftest import MARKER, question, raw_row

pytestmark = pytest.mark.usefixtures("norwegian")

DAY = datetime.timedelta(days=1)


@pytest.fixture
def received(questionnaire, booking):
    sent = declaration_send(booking=booking)
    return declaration_answer(
        answer_set=sent,
        answers={
            str(question(questionnaire, 1).pk): "no",
            str(question(questionnaire, 3).pk): MARKER,
        },
        submit=True,
    )


def deletions():
    return AuditEvent.objects.filter(action=AuditAction.HEALTH_DECLARATION_DELETED)


def travel_after_the_appointment(booking, days: int):
    return time_machine.travel(booking.appointment.ends_at + days * DAY, tick=False)


def test_before_the_period_nothing_is_deleted(received, booking):
    with travel_after_the_appointment(booking, 89):
        call_command("delete_health_answers", stdout=io.StringIO())

    received.refresh_from_db()
    assert received.answers_deleted_at is None
    assert received.answers_encrypted != ""
    assert not deletions().exists()


def test_past_the_period_the_answers_go_and_the_status_stays(received, booking, cast):
    with travel_after_the_appointment(booking, 91):
        call_command("delete_health_answers", stdout=io.StringIO())

    received.refresh_from_db()
    booking.refresh_from_db()
    assert received.answers_encrypted == ""
    assert received.answers_deleted_at is not None
    assert received.status == AnswerStatus.SUBMITTED
    assert declaration_status_text(booking) == "mottatt"
    event = deletions().get()
    assert event.object_repr == "Egenerklæring for Donald Duck"
    assert event.actor is None
    assert event.actor_label == "retention"
    assert MARKER not in raw_row(received)
    assert event.created_at == booking.appointment.ends_at + 91 * DAY
    with pytest.raises(ValidationError, match="slettet"):
        declaration_read(answer_set=received, actor=cast.health)


@override_settings(HEALTH_ANSWERS_RETENTION_DAYS=30)
def test_the_period_is_a_setting(received, booking):
    with travel_after_the_appointment(booking, 29):
        assert declarations_delete_due() == 0
    with travel_after_the_appointment(booking, 31):
        assert declarations_delete_due() == 1


def test_a_draft_s_answers_go_too_and_it_stays_not_received(questionnaire, booking):
    sent = declaration_send(booking=booking)
    declaration_answer(
        answer_set=sent, answers={str(question(questionnaire, 3).pk): MARKER}, submit=False
    )

    with travel_after_the_appointment(booking, 91):
        assert declarations_delete_due() == 1

    sent.refresh_from_db()
    assert sent.answers_encrypted == ""
    assert declaration_status_text(booking) == "ikke mottatt"


def test_a_declaration_with_nothing_in_it_is_left_alone(questionnaire, booking):
    declaration_send(booking=booking)

    with travel_after_the_appointment(booking, 91):
        assert declarations_delete_due() == 0
    assert not deletions().exists()


def test_transferred_answers_go_at_the_next_pass_before_the_period(received, booking, cast):
    declaration_mark_transferred(answer_set=received, actor=cast.health)

    with travel_after_the_appointment(booking, 1):
        assert declarations_delete_due() == 1
        assert declarations_delete_due() == 0  # a second pass (another worker) finds none

    received.refresh_from_db()
    assert received.answers_encrypted == ""
    assert received.transferred_at is not None
    assert deletions().count() == 1


def test_marking_transferred_is_audited_and_done_once(received, cast):
    declaration_mark_transferred(answer_set=received, actor=cast.health)

    event = AuditEvent.objects.get(action=AuditAction.HEALTH_DECLARATION_TRANSFERRED)
    assert (event.actor, event.object_repr) == (cast.health, "Egenerklæring for Donald Duck")
    with pytest.raises(ValidationError, match="merket som overført til journal"):
        declaration_mark_transferred(answer_set=received, actor=cast.health)


@pytest.mark.parametrize("who", ["superuser", "kam", "customer_service", "testweb", "hr"])
def test_only_health_personnel_mark_answers_transferred(received, cast, who):
    with pytest.raises(PermissionDenied):
        declaration_mark_transferred(answer_set=received, actor=getattr(cast, who))

    received.refresh_from_db()
    assert received.transferred_at is None


def test_a_declaration_not_received_cannot_be_marked_transferred(questionnaire, booking, cast):
    sent = declaration_send(booking=booking)

    with pytest.raises(ValidationError, match="Ingen egenerklæring"):
        declaration_mark_transferred(answer_set=sent, actor=cast.health)


def test_the_workers_run_the_retention_on_their_clock():
    # The test settings run no periodic work: the base settings' schedule is the one deployed.
    assert base.TASKS_PERIODIC["health.retention.declarations_delete_due"] > 0


def test_the_audit_page_shows_the_transfer_and_the_deletion(received, booking, cast, login):
    declaration_mark_transferred(answer_set=received, actor=cast.health)
    declarations_delete_due()

    page = login(cast.kam).get("/revisjonslogg/", {"kind": "health"}).content.decode()

    assert "Egenerklæring overført til journal" in page
    assert "Svar på egenerklæring slettet" in page
    assert "Portalen (lagringstid)" in page
    assert MARKER not in page
