"""The worker's side: POST a delivery, signed; on failure try again later, the same
`webhook-id` each time, for a day and a few hours (WEBHOOKS_RETRY_SCHEDULE); after the last try
the delivery has failed, the endpoint is disabled and the staff who manage webhooks are told."""

import datetime
import json
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from background.queueing import enqueue_with_change
from webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.signing import signature
from webhooks.transport import DeliveryError, post

logger = logging.getLogger(__name__)

#: Sent in the transaction that disabled an endpoint: `endpoint`, and the `delivery` that failed
#: on every try (webhooks/notify.py tells the staff).
endpoint_disabled = Signal()


def delivery_body(delivery: WebhookDelivery) -> str:
    """The JSON the receiver gets: the same on every try."""
    return json.dumps(
        {
            "type": delivery.event,
            "timestamp": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def delivery_headers(delivery: WebhookDelivery, *, body: str, now: datetime.datetime) -> dict:
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        "User-Agent": "Kundeportal-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=delivery.endpoint.reveal_secret(),
            message_id=delivery.message_id,
            timestamp=timestamp,
            body=body,
        ),
    }


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after the `attempts`th failed try; None after the last."""
    schedule = settings.WEBHOOKS_RETRY_SCHEDULE
    if attempts > len(schedule):
        return None
    return datetime.timedelta(seconds=schedule[attempts - 1])


def _enqueue(delivery: WebhookDelivery, *, run_after: datetime.datetime | None) -> None:
    if run_after is not None and webhook_deliver.get_backend().supports_defer:
        enqueue_with_change(webhook_deliver.using(run_after=run_after), delivery_id=delivery.pk)
    else:  # the immediate backend of the tests: the next try runs at once
        enqueue_with_change(webhook_deliver, delivery_id=delivery.pk)


@task()
def webhook_deliver(*, delivery_id: int) -> str:
    """Try the delivery once, unless it has been delivered or given up already; what happened,
    in a word. The row stays locked while the receiver answers, so two workers never send it
    together."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING))
            .first()
        )
        if delivery is None:
            return "nothing to send"
        endpoint = delivery.endpoint
        if not endpoint.is_enabled:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = _("The endpoint is disabled.")
            delivery.save()
            return delivery.status
        now = timezone.now()
        body = delivery_body(delivery)
        started = time.monotonic()
        status_code, error = None, ""
        try:
            answer = post(
                endpoint.url,
                body=body.encode(),
                headers=delivery_headers(delivery, body=body, now=now),
            )
            status_code = answer.status
            if not 200 <= status_code < 300:
                error = f"HTTP {status_code}"
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        except DeliveryError as failure:
            error = str(failure)
        delivery.attempts += 1
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=status_code,
            error=error[:300],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        delivery.last_status_code = status_code
        delivery.last_error = error[:300]
        if not error:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.save()
            return delivery.status
        logger.warning(
            "Webhook %s to endpoint %s, attempt %s failed: %s",
            delivery.message_id,
            endpoint.pk,
            delivery.attempts,
            error,
        )
        delay = retry_delay(delivery.attempts)
        if delay is not None:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + delay
            delivery.save()
            _enqueue(delivery, run_after=delivery.next_attempt_at)
            return delivery.status
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        delivery.save()
        endpoint_disable(endpoint=endpoint, delivery=delivery)
        return delivery.status


def endpoint_disable(*, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> None:
    """Give up on an endpoint that has not taken a delivery in all its tries."""
    reason = _("%(event)s %(id)s was not delivered after %(attempts)s attempts: %(error)s") % {
        "event": delivery.event,
        "id": delivery.message_id,
        "attempts": delivery.attempts,
        "error": delivery.last_error,
    }
    updated = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_enabled=True).update(
        is_enabled=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
    )
    if updated:  # not disabled already, with its staff told then
        endpoint.refresh_from_db()
        endpoint_disabled.send(sender=WebhookEndpoint, endpoint=endpoint, delivery=delivery)


def deliveries_requeue_stalled(*, grace: datetime.timedelta) -> int:
    """Queue again the deliveries whose try should have run more than `grace` ago (a queue
    outside the database that lost the task between commit and hand-over, as for mails).
    Safe at any time: a delivery that went through is not tried again."""
    cutoff = timezone.now() - grace
    stalled = list(
        WebhookDelivery.objects.unsent()
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
        )
        .values_list("pk", flat=True)[:1000]
    )
    for delivery_id in stalled:
        enqueue_with_change(webhook_deliver, delivery_id=delivery_id)
    return len(stalled)
