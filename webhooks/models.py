"""Webhooks out: the endpoints staff register, and each event's delivery to each of them with
its attempts (the outbox and the delivery log)."""

import base64
import secrets
from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from webhooks.crypto import secret_decrypt, secret_encrypt


class Event(models.TextChoices):
    ORDER_SUBMITTED = "order.submitted", _("Order submitted")
    ORDER_STATUS_CHANGED = "order.status_changed", _("Order status changed")
    ORDER_MESSAGE_POSTED = "order.message_posted", _("Message on an order")
    EMPLOYEE_CREATED = "employee.created", _("Employee created")
    EMPLOYEE_UPDATED = "employee.updated", _("Employee updated")
    EMPLOYEE_DEACTIVATED = "employee.deactivated", _("Employee deactivated")
    BOOKING_CREATED = "booking.created", _("Booking created")
    BOOKING_CANCELLED = "booking.cancelled", _("Booking cancelled")
    BOOKING_ATTENDANCE_SET = "booking.attendance_set", _("Attendance recorded")
    INVOICE_VIEWED = "invoice.viewed", _("Invoice first opened by the customer")


SECRET_PREFIX = "whsec_"


def secret_generate() -> str:
    """A signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64.
    (Also the default of the clear column of migration 0001.)"""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpointQuerySet(models.QuerySet):
    def enabled(self) -> Self:
        return self.filter(is_enabled=True)


class WebhookEndpoint(models.Model):
    """A system of the provider's (the CRM, say) that hears of changes by signed POSTs."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    #: The signing secret, encrypted (`webhooks.crypto`); `reveal_secret` gives it in clear.
    secret_encrypted = models.TextField(_("signing secret"), editable=False)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ("name", "pk")

    def __str__(self):
        return self.name

    def subscribes_to(self, event: str) -> bool:
        return event in self.events

    def reveal_secret(self) -> str:
        """The signing secret in clear: for signing a delivery, and for the staff who manage
        webhooks on the endpoint's page. Never logged, audited nor sent anywhere else."""
        return secret_decrypt(self.secret_encrypted)

    def secret_set(self, secret: str) -> None:
        """Keep `secret` encrypted (the services' new and rotated secrets)."""
        self.secret_encrypted = secret_encrypt(secret)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDeliveryQuerySet(models.QuerySet):
    def unsent(self) -> Self:
        return self.filter(status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING))


class WebhookDelivery(models.Model):
    """One event for one endpoint, written in the transaction of the change it tells of. Its
    `message_id` (the `webhook-id` header) is fixed here, so every try and every resend
    carries the same one and the receiver can drop what it has seen."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=50, choices=Event.choices)
    message_id = models.CharField(_("webhook-id"), max_length=40, unique=True)
    payload = models.JSONField(_("data"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_idx")]

    def __str__(self):
        return f"{self.get_event_display()} – {self.message_id}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, the receiver's HTTP status, or why it did not answer."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    attempted_at = models.DateTimeField(_("time"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ("-attempted_at", "-pk")
        default_permissions = ()

    def __str__(self):
        return f"{self.delivery_id} {self.attempted_at:%Y-%m-%d %H:%M:%S}"
