"""What the reminders have sent: one row per booking and kind, one per HR user and day.

The row is the claim: a worker inserts it in the transaction that queues the message, and a
second worker's insert of the same row fails on the unique constraint (on PostgreSQL it waits
for the first to commit, then fails), so each reminder goes out once however many run."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .appointments import Booking


class ReminderKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    #: Three days before: the health declaration has not been answered yet.
    HEALTH_DECLARATION = "health", _("Health declaration")


class BookingReminder(models.Model):
    """A reminder of a booking, queued once."""

    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("booking reminder")
        verbose_name_plural = _("booking reminders")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="booking_reminder_once"),
        ]

    def __str__(self):
        return f"{self.booking_id} {self.kind}"


class HrSummarySent(models.Model):
    """HR's daily summary of the bookings they made, sent once on the (Oslo) day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("HR summary sent")
        verbose_name_plural = _("HR summaries sent")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="hr_summary_once_a_day"),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.day}"
