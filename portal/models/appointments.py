from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .employees import Employee
from .orders import Order


class Appointment(models.Model):
    """A predefined time slot of an order (e.g. one health check), created by the provider."""

    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), default=1)
    booking_deadline = models.DateTimeField(_("booking deadline"))
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="appointment_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["order", "starts_at"], name="appointment_order_start_idx"),
            models.Index(fields=["starts_at"], name="appointment_start_idx"),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{start:%d.%m.%Y %H:%M}, {self.location}"

    def get_absolute_url(self):
        return reverse("admin:portal_appointment_change", args=[self.pk])


class Attendance(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """An employee on an appointment. Holds attendance only — never any health content."""

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    attendance = models.CharField(
        _("attendance"),
        max_length=10,
        choices=Attendance.choices,
        default=Attendance.BOOKED,
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["appointment__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "employee"],
                name="booking_one_per_employee_per_appointment",
                violation_error_message=_("The employee is already on this appointment."),
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "attendance"], name="booking_employee_idx"),
        ]

    def __str__(self):
        return f"{self.employee} – {self.appointment}"
