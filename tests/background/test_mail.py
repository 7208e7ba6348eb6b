"""One way out for every e-mail: queued with its change, sent once, tried again with back-off,
failed for good with the reason for staff, who may send it again."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail as outbox
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from background.mail import mail_queue, mails_requeue_stalled
from background.models import MailStatus, OutgoingMail
from portal.models import Order
from portal.services import order_submit

from .mailboxes import FlakyBackend

FLAKY = "tests.background.mailboxes.FlakyBackend"
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def run_queue() -> None:
    """One worker pass over what is ready now (no heartbeat: one process, one thread), on the
    test's own connection (a worker closes its connection between tasks)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch(f"{Worker.__module__}.close_old_connections"):
        worker.run()


@pytest.fixture
def flaky():
    with override_settings(EMAIL_BACKEND=FLAKY):
        yield FlakyBackend
    FlakyBackend.failures = 0


def _queue(**kwargs) -> OutgoingMail:
    return mail_queue(
        to=["kam@example.no"], subject="Ny bestilling 306990", body="Se bestillingen.", **kwargs
    )


@pytest.mark.django_db
def test_a_server_that_refuses_twice_gets_the_mail_on_the_third_try(
    flaky, database_tasks, admin_client
):
    # given a mail server that refuses the next two mails
    flaky.failures = 2
    with time_machine.travel(NOW, tick=False) as clock:
        queued = _queue()

        # when the worker tries at once, then after each back-off
        run_queue()
        first = OutgoingMail.objects.get(pk=queued.pk)
        run_queue()  # nothing is due yet: the next try waits
        clock.shift(datetime.timedelta(seconds=31))
        run_queue()
        second = OutgoingMail.objects.get(pk=queued.pk)
        clock.shift(datetime.timedelta(minutes=2, seconds=1))
        run_queue()

    # then the first two tries are recorded with their reason and next time, and the third sends
    assert (first.status, first.attempts) == (MailStatus.RETRYING, 1)
    assert first.next_attempt_at == NOW + datetime.timedelta(seconds=30)
    assert "451 4.3.0" in first.last_error
    assert (second.status, second.attempts) == (MailStatus.RETRYING, 2)
    sent = OutgoingMail.objects.get(pk=queued.pk)
    assert (sent.status, sent.attempts, sent.last_error) == (MailStatus.SENT, 3, "")
    assert [m.extra_headers["Message-ID"] for m in outbox.outbox] == [queued.message_id]
    # and the content is not kept once it has gone out
    assert sent.body == ""
    assert sent.attachments == []

    # and staff see it on the outgoing mail page
    page = admin_client.get("/background/outgoingmail/").content.decode()
    assert "Ny bestilling 306990" in page
    assert "Sendt" in page


@pytest.mark.django_db
def test_a_server_that_always_refuses_ends_failed_and_staff_send_it_again(
    flaky, cast, client, django_capture_on_commit_callbacks
):
    # given a server that refuses every try
    flaky.failures = 1000
    with django_capture_on_commit_callbacks(execute=True):
        queued = _queue()
    failed = OutgoingMail.objects.get(pk=queued.pk)
    assert (failed.status, failed.attempts) == (MailStatus.FAILED, 5)
    assert failed.next_attempt_at is None

    # then staff see why it failed
    client.force_login(cast.kam)
    page = client.get("/background/outgoingmail/?status=failed").content.decode()
    assert "Feilet" in page
    assert "451 4.3.0 mail.example.no: try again later" in page

    # when the server is back and staff send it again
    flaky.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/background/outgoingmail/",
            {"action": "send_again", "_selected_action": [queued.pk], "index": "0"},
            follow=True,
        )

    # then it goes out, once, with the same Message-ID
    assert "1 e-post er lagt i kø igjen." in response.content.decode()
    again = OutgoingMail.objects.get(pk=queued.pk)
    assert (again.status, again.attempts) == (MailStatus.SENT, 1)
    assert [m.extra_headers["Message-ID"] for m in outbox.outbox] == [queued.message_id]


@pytest.mark.django_db
def test_a_customer_user_has_no_outgoing_mail_page(cast, client):
    _queue()
    client.force_login(cast.testweb)
    assert client.get("/background/outgoingmail/").status_code == 403


@pytest.mark.django_db
def test_a_mail_whose_task_ran_twice_is_sent_once(database_tasks):
    queued = _queue()
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"mail_id": queued.pk}},
        task_path="background.mail.mail_send",
        backend_name="default",
        run_after=timezone.now(),
    )

    run_queue()

    assert len(outbox.outbox) == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_order_rolled_back_queues_nothing_and_a_committed_one_queues_its_mails(
    database_tasks, cast
):
    fields = {
        "department": cast.tb_main,
        "contract": cast.tb_contract,
        "product_group": cast.product_group,
        "description": "Helsekontroll for lagerpersonell",
    }

    # given an order submitted in a transaction that fails afterwards
    def request_failing_after_the_order():
        with transaction.atomic():
            order_submit(actor=cast.testweb, **fields)
            raise RuntimeError("the request failed after the order")

    with pytest.raises(RuntimeError, match="the request failed after the order"):
        request_failing_after_the_order()
    assert not Order.objects.filter(description=fields["description"]).exists()
    assert OutgoingMail.objects.count() == DBTaskResult.objects.count() == 0

    # when it is submitted again and commits (and the web process dies right after)
    order = order_submit(actor=cast.testweb, **fields)

    # then exactly one notice to the KA/KAM and one receipt to testweb are queued in the
    # database, each with its task, and a worker sends them later
    notice, receipt = OutgoingMail.objects.order_by("pk")
    assert (notice.to, receipt.to) == (["kam@example.no"], ["testweb@testikkeibruk.no"])
    tasks = DBTaskResult.objects.all()
    assert {task.status for task in tasks} == {"READY"}
    assert sorted(task.args_kwargs["kwargs"]["mail_id"] for task in tasks) == [
        notice.pk,
        receipt.pk,
    ]
    assert str(order.number) in notice.subject
    assert str(order.number) in receipt.subject
    assert outbox.outbox == []
    run_queue()
    assert sorted(m.to[0] for m in outbox.outbox) == ["kam@example.no", "testweb@testikkeibruk.no"]


@pytest.mark.django_db
def test_the_sweep_queues_again_a_mail_whose_task_was_lost(database_tasks):
    with time_machine.travel(NOW, tick=False) as clock:
        lost = _queue()
        DBTaskResult.objects.all().delete()  # as a Redis queue may lose it
        clock.shift(datetime.timedelta(minutes=1))
        assert mails_requeue_stalled(grace=datetime.timedelta(minutes=5)) == 0
        clock.shift(datetime.timedelta(minutes=5))
        assert mails_requeue_stalled(grace=datetime.timedelta(minutes=5)) == 1
        run_queue()
    assert OutgoingMail.objects.get(pk=lost.pk).status == MailStatus.SENT


@pytest.mark.django_db
def test_a_failed_mail_has_a_send_again_button_on_its_page(
    flaky, cast, client, django_capture_on_commit_callbacks
):
    flaky.failures = 1000
    with django_capture_on_commit_callbacks(execute=True):
        failed = _queue()
        sent = mail_queue(to=["kam@example.no"], subject="Levert", body="x")
    OutgoingMail.objects.filter(pk=sent.pk).update(status=MailStatus.SENT)
    client.force_login(cast.kam)
    url = f"/background/outgoingmail/{failed.pk}/"
    assert "send-again" in client.get(f"{url}change/").content.decode()
    assert (
        "send-again"
        not in client.get(f"/background/outgoingmail/{sent.pk}/change/").content.decode()
    )

    flaky.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}send-again/", {"_form_submitted": "on"}, follow=True)

    assert "E-posten er lagt i kø igjen." in response.content.decode()
    assert OutgoingMail.objects.get(pk=failed.pk).status == MailStatus.SENT
    # a customer user gets no such button nor its action
    client.force_login(cast.testweb)
    assert client.post(f"{url}send-again/").status_code in (302, 403, 404)
    assert OutgoingMail.objects.get(pk=failed.pk).attempts == 1
