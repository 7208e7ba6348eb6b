"""Staff's writes on webhooks: registering and changing an endpoint, a new secret, and
sending a delivery again. Each checks the permission and the URL itself."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from background.queueing import enqueue_with_change
from permissions.capabilities import MANAGE_WEBHOOKS, SEND_WEBHOOK_AGAIN
from permissions.scoping import is_staff_with
from webhooks.addresses import endpoint_url_check
from webhooks.delivery import webhook_deliver
from webhooks.models import (
    DeliveryStatus,
    Event,
    WebhookDelivery,
    WebhookEndpoint,
    secret_generate,
)

ENDPOINT_FIELDS = ("name", "url", "events", "is_enabled")


def _require(actor, permission: str) -> None:
    if not is_staff_with(actor, permission):
        raise PermissionDenied(_("You may not manage webhooks."))


def _events_check(events) -> list[str]:
    unknown = set(events) - set(Event.values)
    if unknown:
        raise ValidationError({"events": _("Unknown events: %s") % ", ".join(sorted(unknown))})
    return [event for event in Event.values if event in set(events)]


@transaction.atomic
def webhook_endpoint_create(
    *, actor, name: str, url: str, events, is_enabled: bool = True
) -> WebhookEndpoint:
    """Register an endpoint with a new signing secret."""
    _require(actor, MANAGE_WEBHOOKS)
    endpoint_url_check(url)
    endpoint = WebhookEndpoint(
        name=name,
        url=url,
        events=_events_check(events),
        is_enabled=is_enabled,
        created_by=actor,
    )
    endpoint.secret_set(secret_generate())
    endpoint.save(force_insert=True)
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=endpoint,
        changes={"url": [None, url], "events": [None, endpoint.events]},
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, actor, **fields) -> WebhookEndpoint:
    """Change the given fields; enabling it again clears why it was disabled."""
    _require(actor, MANAGE_WEBHOOKS)
    unknown = set(fields) - set(ENDPOINT_FIELDS)
    if unknown:
        raise ValueError(f"webhook_endpoint_update cannot change {', '.join(sorted(unknown))}")
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if "events" in fields:
        fields["events"] = _events_check(fields["events"])
    if "url" in fields and fields["url"] != locked.url:
        endpoint_url_check(fields["url"])
    changed = {name: value for name, value in fields.items() if getattr(locked, name) != value}
    if not changed:
        return locked
    changes = {name: [getattr(locked, name), value] for name, value in changed.items()}
    for name, value in changed.items():
        setattr(locked, name, value)
    if changed.get("is_enabled"):
        locked.disabled_at, locked.disabled_reason = None, ""
    locked.save()
    audit_record(actor=actor, action=AuditAction.CHANGED, obj=locked, changes=changes)
    return locked


@transaction.atomic
def webhook_secret_rotate(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    """A new signing secret; deliveries from now on are signed with it."""
    _require(actor, MANAGE_WEBHOOKS)
    endpoint.secret_set(secret_generate())
    endpoint.save(update_fields=["secret_encrypted", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.CHANGED, obj=endpoint, changes={"secret": ["–", "–"]}
    )
    return endpoint


@transaction.atomic
def webhook_delivery_send_again(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """«Send på nytt»: a delivery that failed or went through goes once more, with the same
    webhook-id (the receiver drops what it has seen) and as many tries as a new one."""
    _require(actor, SEND_WEBHOOK_AGAIN)
    if not WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, is_enabled=True).exists():
        raise ValidationError(
            _("The endpoint is disabled; enable it before sending again."), code="disabled"
        )
    updated = WebhookDelivery.objects.filter(
        pk=delivery.pk, status__in=(DeliveryStatus.FAILED, DeliveryStatus.DELIVERED)
    ).update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None)
    if not updated:
        raise ValidationError(
            _("This delivery is being tried already; it is «%(status)s».")
            % {"status": delivery.get_status_display()},
            code="unsent",
        )
    enqueue_with_change(webhook_deliver, delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery
