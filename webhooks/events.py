"""Telling the provider's other systems of a change: `emit("order.submitted", payload)` from
inside the service's transaction writes one delivery per endpoint that wants the event and
queues its task with the change (background.queueing): a change that is rolled back sends
nothing, one that commits is delivered even if the web process dies right after.

A payload is small: ids, numbers, statuses and times, for the receiver to fetch what it needs
through the API. Never a name, a national id, a free text or anything about health."""

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from background.queueing import enqueue_with_change
from webhooks.delivery import webhook_deliver
from webhooks.models import Event, WebhookDelivery, WebhookEndpoint


def _message_id() -> str:
    return "msg_" + secrets.token_urlsafe(24)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def listeners(*events: str) -> dict[str, list[WebhookEndpoint]]:
    """The enabled endpoints that want each of `events`, in one query: for work that emits
    batch after batch (an import) and should not ask again for each."""
    enabled = list(WebhookEndpoint.objects.enabled())
    return {Event(event): [e for e in enabled if e.subscribes_to(event)] for event in events}


def emit_many(
    event: str, payloads: Iterable[dict], *, endpoints: list[WebhookEndpoint] | None = None
) -> list[WebhookDelivery]:
    """Queue `event` once per payload for every enabled endpoint that subscribes to it (or for
    `endpoints`, found by `listeners` beforehand). The payloads are read only when some
    endpoint wants them."""
    event = Event(event)
    if endpoints is None:
        endpoints = listeners(event)[event]
    if not endpoints:
        return []  # without a query (nor a savepoint): an import emits batch after batch
    with transaction.atomic():
        return _deliveries_queue(event, payloads, endpoints)


def _deliveries_queue(event, payloads, endpoints) -> list[WebhookDelivery]:
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                event=event,
                message_id=_message_id(),
                payload=payload,
                created_at=now,
            )
            for payload in payloads
            for endpoint in endpoints
        ]
    )
    for delivery in deliveries:
        enqueue_with_change(webhook_deliver, delivery_id=delivery.pk)
    return deliveries


def emit(event: str, payload: dict) -> list[WebhookDelivery]:
    return emit_many(event, [payload])


# -- the payloads -----------------------------------------------------------------------------


def order_payload(order) -> dict:
    department = order.department
    return {
        "id": order.pk,
        "number": order.number,
        "status": order.status,
        "state": order.state,
        "customer_id": department.customer_id,
        "department_id": department.pk,
        "contract_id": order.contract_id,
        "product_group_id": order.product_group_id,
        "order_date": _iso(order.order_date),
        "submitted_at": _iso(order.submitted_at),
    }


def invoice_viewed_payload(invoice) -> dict:
    return {
        "id": invoice.pk,
        "number": invoice.number,
        "customer_id": invoice.payer.customer_id,
        "payer_id": invoice.payer_id,
        "first_viewed_at": _iso(invoice.first_viewed_at),
    }


def order_message_payload(message) -> dict:
    """A message on an order, without its text: the receiver reads it in the portal."""
    return {
        "id": message.pk,
        "order_id": message.order_id,
        "order_number": message.order.number,
        "from_staff": message.from_staff,
        "created_at": _iso(message.created_at),
    }


def employee_payload(employee) -> dict:
    return {
        "id": employee.pk,
        "customer_id": employee.customer_id,
        "department_id": employee.department_id,
        "is_active": employee.is_active,
        "created_at": _iso(employee.created_at),
        "updated_at": _iso(employee.updated_at),
        "deactivated_at": _iso(employee.deactivated_at),
    }


def booking_payload(booking) -> dict:
    appointment = booking.appointment
    return {
        "id": booking.pk,
        "appointment_id": appointment.pk,
        "order_id": appointment.order_id,
        "employee_id": booking.employee_id,
        "customer_id": booking.employee.customer_id,
        "attendance": booking.attendance,
        "starts_at": _iso(appointment.starts_at),
        "booked_at": _iso(booking.booked_at),
        "cancelled_at": _iso(booking.cancelled_at),
    }
