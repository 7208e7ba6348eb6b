"""Delivery: each POST is signed as Standard Webhooks says, a refusing receiver is tried again
with the same webhook-id until it takes the event (once), the back-off runs for a day,
and an endpoint that never takes it is disabled with its staff told."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.models import Notification
from portal.services import order_submit
from webhooks.delivery import deliveries_requeue_stalled, retry_delay, webhook_deliver
from webhooks.events import emit
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import webhook_delivery_send_again, webhook_endpoint_create

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_every_delivery_is_signed_with_the_endpoints_secret(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = order_submit(actor=cast.testweb, department=cast.tb_main)
        emit("employee.created", {"id": 1, "customer_id": cast.testbedriften.pk})

    assert [r["body"]["type"] for r in receiver.received] == ["order.submitted", "employee.created"]
    assert all(r["verified"] for r in receiver.received)
    first = receiver.received[0]
    assert first["path"] == "/hooks/crm"
    assert first["headers"]["webhook-id"].startswith("msg_")
    assert first["headers"]["webhook-signature"].startswith("v1,")
    assert first["body"]["data"]["number"] == order.number
    assert first["body"]["data"]["customer_id"] == cast.testbedriften.pk


def test_a_signature_under_another_secret_does_not_verify(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.secret = "whsec_" + "A" * 44
    with django_capture_on_commit_callbacks(execute=True):
        emit("employee.created", {"id": 1})

    assert [r["verified"] for r in receiver.received] == [False]


def test_a_receiver_that_fails_twice_gets_the_event_once_more_with_the_same_id(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(actor=cast.testweb, department=cast.tb_main)

    # the tests' immediate backend runs each next try at once
    assert [r["status"] for r in receiver.received] == [500, 503, 200]
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 1
    assert len(receiver.taken()) == 1
    assert all(r["verified"] for r in receiver.received)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    log = list(delivery.attempt_log.order_by("pk").values_list("status_code", "error"))
    assert log == [(500, "HTTP 500"), (503, "HTTP 503"), (200, "")]


def test_the_back_off_runs_for_a_day():
    """A receiver down for a whole day still gets the event when it is back."""
    delays = [retry_delay(n) for n in range(1, 9)]

    assert delays[:7] == [
        datetime.timedelta(seconds=5),
        datetime.timedelta(minutes=5),
        datetime.timedelta(minutes=30),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=5),
        datetime.timedelta(hours=10),
        datetime.timedelta(hours=10),
    ]
    assert delays[7] is None
    total = sum(delays[:7], datetime.timedelta())
    assert datetime.timedelta(hours=24) < total < datetime.timedelta(hours=30)


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_worker_queues_each_next_try_for_later(cast, endpoint, receiver):
    """With the database queue the next try waits in the queue (`run_after`) for its time."""
    receiver.statuses = [500] * 3
    with override_settings(TASKS=DATABASE_TASKS):
        with time_machine.travel(T0, tick=False):
            [delivery] = emit("employee.created", {"id": 1})
            webhook_deliver.call(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == T0 + datetime.timedelta(seconds=5)
        assert DBTaskResult.objects.ready().filter(run_after=delivery.next_attempt_at).exists()

        with time_machine.travel(delivery.next_attempt_at, tick=False):
            webhook_deliver.call(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == T0 + datetime.timedelta(seconds=5, minutes=5)
        assert DBTaskResult.objects.filter(run_after=delivery.next_attempt_at).exists()

    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.attempts == 2
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 1
    stamps = [int(r["headers"]["webhook-timestamp"]) for r in receiver.received]
    assert stamps == [int(T0.timestamp()), int(T0.timestamp()) + 5]


def test_after_the_last_try_the_endpoint_is_disabled_and_its_staff_told(
    cast, endpoint, receiver, integrator, django_capture_on_commit_callbacks
):
    receiver.statuses = [500] * 10
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        emit("order.submitted", {"id": 1})

    assert len(receiver.received) == 8  # the first try and seven more
    endpoint.refresh_from_db()
    assert not endpoint.is_enabled
    assert "HTTP 500" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
    told = Notification.objects.filter(text__contains="CRM")
    assert {n.recipient for n in told} == {integrator, cast.superuser}
    assert told[0].link == f"/webhooks/webhookendpoint/{endpoint.pk}/change/"
    assert not Notification.objects.filter(recipient=cast.kam, text__contains="CRM").exists()
    mailed = {address for m in mail.outbox if "CRM" in m.subject for address in m.to}
    assert mailed == {integrator.email, cast.superuser.email} - {""}


def test_a_disabled_endpoint_is_sent_nothing(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    endpoint.is_enabled = False
    endpoint.save()
    with django_capture_on_commit_callbacks(execute=True):
        order_submit(actor=cast.testweb, department=cast.tb_main)

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_send_again_sends_the_same_webhook_id(
    cast, endpoint, receiver, integrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = emit("booking.created", {"id": 7})
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_send_again(delivery=delivery, actor=integrator)

    ids = [r["headers"]["webhook-id"] for r in receiver.received]
    assert ids == [delivery.message_id, delivery.message_id]
    assert receiver.received[0]["body"] == receiver.received[1]["body"]


def test_a_delivery_being_tried_is_not_sent_again(cast, endpoint, integrator):
    [delivery] = emit("booking.created", {"id": 7})  # queued, not yet tried

    with pytest.raises(ValidationError) as refused:
        webhook_delivery_send_again(delivery=delivery, actor=integrator)

    assert refused.value.code == "unsent"


def test_a_receiver_that_cannot_be_reached_is_a_failed_attempt(
    cast, integrator, dev_rules, django_capture_on_commit_callbacks
):
    webhook_endpoint_create(
        actor=integrator, name="Nede", url="http://127.0.0.1:9/hooks", events=["booking.created"]
    )
    with (
        override_settings(WEBHOOKS_RETRY_SCHEDULE=[]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        emit("booking.created", {"id": 1})

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_status_code is None
    assert delivery.last_error
    assert timezone.now() - delivery.attempt_log.get().attempted_at < datetime.timedelta(minutes=1)


def test_the_sweep_queues_again_a_delivery_whose_task_was_lost(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    """As a Redis queue may lose a task between the commit and the hand-over."""
    with time_machine.travel(T0, tick=False) as clock:
        emit("order.submitted", {"id": 1})  # its task is never run: lost
        clock.shift(datetime.timedelta(minutes=1))
        assert deliveries_requeue_stalled(grace=datetime.timedelta(minutes=5)) == 0
        clock.shift(datetime.timedelta(minutes=5))
        with django_capture_on_commit_callbacks(execute=True):
            assert deliveries_requeue_stalled(grace=datetime.timedelta(minutes=5)) == 1
        assert deliveries_requeue_stalled(grace=datetime.timedelta(minutes=5)) == 0

    assert len(receiver.taken()) == 1
