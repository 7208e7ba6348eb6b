"""Telling the staff who manage webhooks that an endpoint has been disabled: in the portal and
by e-mail, with the change that disabled it."""

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from permissions.capabilities import MANAGE_WEBHOOKS
from portal.services.notifications import notification_send
from webhooks.delivery import endpoint_disabled


def webhook_staff() -> list:
    """Whoever may manage the endpoints: active staff holding the permission (superusers
    among them)."""
    users = get_user_model().objects.with_perm(  # type: ignore[attr-defined]
        MANAGE_WEBHOOKS, backend="django.contrib.auth.backends.ModelBackend"
    )
    return list(users.filter(is_staff=True))


@receiver(endpoint_disabled)
def endpoint_disabled_notify(sender, *, endpoint, delivery, **kwargs) -> None:
    notification_send(
        recipients=webhook_staff(),
        text=_("Webhook endpoint %(name)s is disabled: its deliveries keep failing")
        % {"name": endpoint.name},
        link=reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]),
        mail_template="webhooks/email/endpoint_disabled.txt",
        context={"endpoint": endpoint, "delivery": delivery},
    )
