"""The staff's pages: registering an endpoint makes its secret, a private address is refused
on the form, the delivery log shows each attempt, and «Send på nytt» sends the event again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from webhooks.events import emit
from webhooks.models import DeliveryStatus, Event, WebhookDelivery, WebhookEndpoint
from webhooks.services import webhook_endpoint_create

ADD = "/webhooks/webhookendpoint/add/"


def test_staff_register_an_endpoint_and_read_its_secret(client, cast, integrator, dev_rules):
    client.force_login(integrator)

    response = client.post(
        ADD,
        {
            "name": "CRM",
            "url": "http://127.0.0.1:8181/hooks",
            "events": ["order.submitted", "booking.created"],
            "is_enabled": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["order.submitted", "booking.created"]
    assert endpoint.reveal_secret().startswith("whsec_")
    assert endpoint.created_by == integrator
    assert AuditEvent.objects.filter(object_id=str(endpoint.pk), action="created").exists()
    page = client.get(f"/webhooks/webhookendpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.reveal_secret() in page
    assert f"?endpoint__id__exact={endpoint.pk}" in page


@pytest.mark.parametrize(
    "url", ["https://10.0.0.5/hooks", "https://169.254.169.254/", "http://crm.example.no/"]
)
def test_the_form_refuses_what_production_would_not_call(
    client, cast, integrator, production_rules, url
):
    client.force_login(integrator)

    response = client.post(
        ADD, {"name": "Intern", "url": url, "events": ["order.submitted"], "is_enabled": "on"}
    )

    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()
    assert response.context["adminform"].form.errors["url"]


def test_the_delivery_log_shows_each_attempt(
    client, cast, endpoint, receiver, integrator, django_capture_on_commit_callbacks
):
    receiver.statuses = [502]
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = emit("order.submitted", {"id": 1})
    client.force_login(integrator)

    log = client.get(f"/webhooks/webhookdelivery/?endpoint__id__exact={endpoint.pk}")
    page = client.get(f"/webhooks/webhookdelivery/{delivery.pk}/change/").content.decode()

    assert f"/webhooks/webhookdelivery/{delivery.pk}/change/" in log.content.decode()
    assert delivery.message_id in page
    assert "HTTP 502" in page
    assert "502" in page
    assert "200" in page


def test_send_again_from_the_delivery_page(
    client, cast, endpoint, receiver, integrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = emit("order.submitted", {"id": 1})
    client.force_login(integrator)
    url = f"/webhooks/webhookdelivery/{delivery.pk}/"
    assert "send-again" in client.get(f"{url}change/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}send-again/", {"_form_submitted": "on"}, follow=True)

    assert [r["headers"]["webhook-id"] for r in receiver.received] == [delivery.message_id] * 2
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_send_again_waits_for_the_endpoint_to_be_enabled(
    client, cast, endpoint, receiver, integrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = emit("order.submitted", {"id": 1})
    WebhookEndpoint.objects.update(is_enabled=False)
    client.force_login(integrator)

    response = client.post(
        f"/webhooks/webhookdelivery/{delivery.pk}/send-again/",
        {"_form_submitted": "on"},
        follow=True,
    )

    assert "enable it" in response.content.decode() or "aktiver" in response.content.decode()
    assert len(receiver.received) == 1


def test_enabling_a_disabled_endpoint_clears_why(client, cast, endpoint, integrator):
    WebhookEndpoint.objects.update(is_enabled=False, disabled_reason="HTTP 500")
    client.force_login(integrator)

    client.post(
        f"/webhooks/webhookendpoint/{endpoint.pk}/change/",
        {
            "name": endpoint.name,
            "url": endpoint.url,
            "events": list(Event.values),
            "is_enabled": "on",
        },
    )

    endpoint.refresh_from_db()
    assert endpoint.is_enabled
    assert endpoint.disabled_reason == ""


def test_a_new_secret(client, cast, endpoint, integrator):
    before = endpoint.reveal_secret()
    client.force_login(integrator)

    client.post(
        f"/webhooks/webhookendpoint/{endpoint.pk}/rotate-secret/", {"_form_submitted": "on"}
    )

    endpoint.refresh_from_db()
    assert endpoint.reveal_secret() != before
    assert endpoint.reveal_secret().startswith("whsec_")


@pytest.mark.parametrize(
    "url", ["/webhooks/webhookendpoint/", "/webhooks/webhookdelivery/"], ids=["endpoints", "log"]
)
def test_the_lists_cost_the_same_queries_for_one_row_and_many(
    client, cast, endpoint, integrator, url
):
    client.force_login(integrator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    emit("order.submitted", {"id": 1})
    few = count()
    for number in range(2, 12):
        webhook_endpoint_create(
            actor=integrator, name=f"CRM {number}", url=endpoint.url, events=["order.submitted"]
        )
    emit("order.submitted", {"id": 2})

    assert count() == few
