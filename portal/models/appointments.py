from typing import Self

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .customers import Department
from .employees import Employee
from .orders import Order
from .versions import TouchedOnSave, updated_at_field, version_field


class Attendance(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


# A booking holds a seat unless it is cancelled.
HOLDS_A_SEAT = ~models.Q(attendance=Attendance.CANCELLED)


def seats_taken():
    """The seats taken on the appointment in the outer query, as a subquery.

    A subquery per row rather than a JOIN with GROUP BY: the database then sorts and cuts a
    list's page first and counts the seats of its rows only, where a GROUP BY counts the
    bookings of every appointment in the list before it can sort."""
    taken = (
        Booking.objects.filter(HOLDS_A_SEAT, appointment=models.OuterRef("pk"))
        .order_by()
        .values("appointment")
        .annotate(taken=models.Count("pk"))
        .values("taken")
    )
    return Coalesce(models.Subquery(taken), 0, output_field=models.IntegerField())


class AppointmentQuerySet(models.QuerySet):
    def with_seats(self) -> Self:
        """Annotate `booked_count`: the seats taken, so a list never counts row by row."""
        return self.annotate(booked_count=seats_taken())

    def upcoming(self, now=None) -> Self:
        return self.filter(ends_at__gte=now or timezone.now())

    def bulk_create(self, objs, *args, **kwargs):
        """As `Appointment.save`: each appointment's department is its order's."""
        objs = list(objs)
        for appointment in objs:
            if appointment.department_id is None:
                appointment.take_orders_department()
        return super().bulk_create(objs, *args, **kwargs)

    def open_for_customers(self, now=None) -> Self:
        """Not cancelled, and the booking deadline not yet passed."""
        return self.filter(is_cancelled=False, booking_deadline__gt=now or timezone.now())

    def bookable(self, *, staff: bool, now=None) -> Self:
        """Still open for booking: not cancelled and still to start; for customer users also
        before the booking deadline (the provider's staff may book after it)."""
        now = now or timezone.now()
        queryset = self.filter(is_cancelled=False, starts_at__gt=now)
        if not staff:
            queryset = queryset.filter(booking_deadline__gt=now)
        return queryset


class Appointment(TouchedOnSave):
    """A predefined time slot of an order (e.g. one health check), created by the provider."""

    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    #: The order's department, kept on the appointment (an order keeps its department): a
    #: customer's appointments are found, counted and sorted by their own indexes, not through
    #: a join with the orders of every customer.
    department = models.ForeignKey(
        Department,
        verbose_name=_("company/department"),
        on_delete=models.PROTECT,
        related_name="appointments",
        editable=False,
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), default=1)
    booking_deadline = models.DateTimeField(_("booking deadline"))
    instructions = models.TextField(
        _("what to bring"),
        blank=True,
        help_text=_("Told to the booked employee in the e-mail. Never any health information."),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    updated_at = updated_at_field()
    version = version_field()

    objects = AppointmentQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=models.Q(booking_deadline__lte=models.F("starts_at")),
                name="appointment_deadline_not_after_start",
                violation_error_message=_("Booking must close before the appointment starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["order", "starts_at"], name="appointment_order_start_idx"),
            models.Index(fields=["department", "starts_at"], name="appointment_dept_start_idx"),
            models.Index(fields=["department", "ends_at"], name="appointment_dept_end_idx"),
            models.Index(fields=["starts_at"], name="appointment_start_idx"),
            # "Upcoming" is ends_at >= now: a few percent of the rows, found by this index.
            models.Index(fields=["ends_at"], name="appointment_end_idx"),
            models.Index(fields=["department", "updated_at"], name="appointment_dept_updated_idx"),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{start:%d.%m.%Y %H:%M}, {self.location}"

    def save(self, *args, **kwargs):
        """The department is always the order's (the order may have been changed)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "order" in update_fields:
            self.take_orders_department()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "department"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:portal_appointment_change", args=[self.pk])

    def take_orders_department(self) -> None:
        self.department_id = self.order.department_id

    @property
    def time_range(self) -> str:
        """'12.05.2026 08:00–08:20' in Norwegian time (the end's date when it differs)."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        end_format = "%H:%M" if start.date() == end.date() else "%d.%m.%Y %H:%M"
        return f"{start:%d.%m.%Y %H:%M}–{end:{end_format}}"

    def seats_taken(self) -> int:
        booked = getattr(self, "booked_count", None)
        if booked is None:
            booked = self.bookings.filter(HOLDS_A_SEAT).count()
        return booked

    def free_seats(self) -> int:
        return max(self.capacity - self.seats_taken(), 0)

    def is_open_for_customers(self, now=None) -> bool:
        return not self.is_cancelled and (now or timezone.now()) < self.booking_deadline


class BookingQuerySet(models.QuerySet):
    def holding_seats(self) -> Self:
        """Bookings that are not cancelled: booked, attended or no-show."""
        return self.filter(HOLDS_A_SEAT)


class Booking(TouchedOnSave):
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
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    #: Cancelled by the employee («Jeg kan ikke komme» on their page), not by a user.
    cancelled_by_employee = models.BooleanField(
        _("cancelled by the employee"),
        default=False,
        db_default=False,  # COPY writes too
    )
    #: When the employee said «Jeg kommer» on their page from the booking mail.
    employee_confirmed_at = models.DateTimeField(
        _("confirmed by the employee"), null=True, blank=True
    )
    # The iCalendar SEQUENCE of the employee's calendar entry: raised on every change, so the
    # calendar replaces the entry instead of adding one.
    calendar_sequence = models.PositiveIntegerField(_("calendar version"), default=0)
    mail_failed_at = models.DateTimeField(
        _("e-mail failed at"),
        null=True,
        blank=True,
        help_text=_("The last e-mail to the employee could not be sent."),
    )
    updated_at = updated_at_field()

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["appointment__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "employee"],
                condition=HOLDS_A_SEAT,
                name="booking_one_per_employee_per_appointment",
                violation_error_message=_("The employee is already on this appointment."),
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "attendance"], name="booking_employee_idx"),
            models.Index(fields=["updated_at"], name="booking_updated_idx"),
        ]

    def __str__(self):
        return f"{self.employee} – {self.appointment}"

    @property
    def holds_a_seat(self) -> bool:
        return self.attendance != Attendance.CANCELLED

    @property
    def is_late_cancellation(self) -> bool:
        """Cancelled after booking had closed (such cancellations are charged)."""
        return bool(self.cancelled_at and self.cancelled_at >= self.appointment.booking_deadline)
