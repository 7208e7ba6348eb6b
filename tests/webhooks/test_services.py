"""The signing secret is kept encrypted: the database holds no `whsec_`, a delivery is still
signed with it, a new secret signs the next delivery, and neither the audit trail nor the log
ever carries one."""

import logging

from django.db import connection

from audit.services import audit_for
from webhooks.events import emit
from webhooks.models import WebhookEndpoint
from webhooks.services import webhook_endpoint_create, webhook_secret_rotate


def stored_rows() -> str:
    """Every column of every endpoint, as the database holds it (what a dump shows)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM webhooks_webhookendpoint")
        return repr(cursor.fetchall())


def test_the_database_holds_the_secret_only_encrypted(cast, endpoint):
    secret = endpoint.reveal_secret()

    assert secret.startswith("whsec_")
    assert "whsec_" not in stored_rows()
    assert secret.removeprefix("whsec_") not in stored_rows()
    assert "whsec_" not in repr(list(WebhookEndpoint.objects.values()))
    # and what is stored reads back as the secret
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).reveal_secret() == secret


def test_each_endpoint_gets_a_secret_of_its_own(cast, integrator, dev_rules):
    first, second = (
        webhook_endpoint_create(
            actor=integrator, name=name, url="http://127.0.0.1:9/h", events=["order.submitted"]
        )
        for name in ("CRM", "Regnskap")
    )

    assert first.reveal_secret() != second.reveal_secret()


def test_a_new_secret_signs_the_next_delivery_and_the_old_one_no_longer_does(
    cast, endpoint, receiver, integrator, django_capture_on_commit_callbacks
):
    # given the receiver still holding the old secret
    old = endpoint.reveal_secret()

    # when staff make a new one
    webhook_secret_rotate(endpoint=endpoint, actor=integrator)
    new = WebhookEndpoint.objects.get(pk=endpoint.pk).reveal_secret()
    with django_capture_on_commit_callbacks(execute=True):
        emit("employee.created", {"id": 1})

    # then the delivery fails the old secret's check and passes the new one's
    assert new.startswith("whsec_")
    assert new != old
    assert [r["verified"] for r in receiver.received] == [False]
    receiver.secret = new
    with django_capture_on_commit_callbacks(execute=True):
        emit("employee.created", {"id": 2})
    assert [r["verified"] for r in receiver.received] == [False, True]
    assert "whsec_" not in stored_rows()


def test_no_secret_in_the_audit_trail_nor_the_log(
    cast, receiver, integrator, dev_rules, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    receiver.statuses = [500]
    endpoint = webhook_endpoint_create(
        actor=integrator, name="CRM", url=receiver.url, events=["employee.created"]
    )
    first = endpoint.reveal_secret()
    webhook_secret_rotate(endpoint=endpoint, actor=integrator)
    second = endpoint.reveal_secret()
    with django_capture_on_commit_callbacks(execute=True):
        emit("employee.created", {"id": 1})  # fails once: a warning in the log

    events = audit_for(endpoint).order_by("pk")
    # the registration and the new secret are on the trail, as facts
    assert [(e.action, sorted(e.changes)) for e in events] == [
        ("created", ["events", "url"]),
        ("changed", ["secret"]),
    ]
    trail = repr(list(events.values()))
    assert "attempt 1 failed" in caplog.text
    for text in (trail, caplog.text):
        assert "whsec_" not in text
        for secret in (first, second):
            assert secret.removeprefix("whsec_") not in text
