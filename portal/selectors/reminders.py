"""Reads of the reminders: the bookings due a reminder, and the bookings of HR's daily summary.

No scoping by user: the reminders are the portal's own work (run by a worker or cron), and
HR's summary lists only the bookings that user made."""

import datetime

from django.db.models import Exists, F, OuterRef, QuerySet

from health.models import AnswerStatus
from portal.models import Booking, BookingReminder, HrSummarySent, ReminderKind
from portal.models.appointments import Attendance


def _upcoming_bookings(*, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Booking]:
    """Booked (not cancelled) on an appointment that is not cancelled and starts in
    (start, end]."""
    return Booking.objects.filter(
        attendance=Attendance.BOOKED,
        cancelled_at__isnull=True,
        appointment__is_cancelled=False,
        appointment__starts_at__gt=start,
        appointment__starts_at__lte=end,
    )


def _for_employee_mails(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """With what a mail to the employee reads (its health declaration's status, never its
    answers), in time order."""
    return (
        bookings.select_related(
            "employee",
            "appointment__order__product_group",
            "appointment__order__department__customer__account_manager",
            "health_declaration",
        )
        .defer("health_declaration__answers_encrypted")
        .order_by("appointment__starts_at", "pk")
    )


def bookings_due_reminder(
    *, now: datetime.datetime, hours_before: int, kind: str
) -> QuerySet[Booking]:
    """The bookings whose appointment starts within `hours_before` hours and that have had no
    reminder of this kind; for an SMS, only where the employee has a mobile number and the
    customer's agreement (the order's contract) allows SMS."""
    sent = BookingReminder.objects.filter(booking=OuterRef("pk"), kind=kind)
    bookings = _upcoming_bookings(start=now, end=now + datetime.timedelta(hours=hours_before))
    if kind == ReminderKind.SMS:
        bookings = bookings.filter(appointment__order__contract__allows_sms=True).exclude(
            employee__mobile=""
        )
    return _for_employee_mails(bookings.filter(~Exists(sent)))


def bookings_due_declaration_reminder(
    *, now: datetime.datetime, days_before: int
) -> QuerySet[Booking]:
    """The bookings whose appointment starts within `days_before` days, whose health
    declaration is not submitted and was sent at least that long before the appointment (one
    booked later has just had the link in its booking mail), and that have had no reminder of
    it."""
    before = datetime.timedelta(days=days_before)
    sent = BookingReminder.objects.filter(
        booking=OuterRef("pk"), kind=ReminderKind.HEALTH_DECLARATION
    )
    return _for_employee_mails(
        _upcoming_bookings(start=now, end=now + before)
        .filter(
            health_declaration__status__in=[AnswerStatus.SENT, AnswerStatus.DRAFT],
            health_declaration__sent_at__lte=F("appointment__starts_at") - before,
        )
        .filter(~Exists(sent))
    )


def bookings_for_hr_summaries(
    *, start: datetime.datetime, end: datetime.datetime, day: datetime.date
) -> QuerySet[Booking]:
    """The bookings on appointments in (start, end] that the employee has not confirmed, made
    by active customer users (not staff) who have not had their summary on `day`; by booker,
    then in time order. One query for every summary of the pass, and none once all are sent."""
    sent = HrSummarySent.objects.filter(recipient=OuterRef("booked_by"), day=day)
    return (
        _upcoming_bookings(start=start, end=end)
        .filter(
            employee_confirmed_at__isnull=True,
            booked_by__is_active=True,
            booked_by__is_staff=False,
        )
        .filter(~Exists(sent))
        .select_related(
            "booked_by", "employee", "appointment__department__customer__account_manager"
        )
        .order_by(
            "booked_by_id",
            "appointment__starts_at",
            "employee__last_name",
            "employee__first_name",
            "pk",
        )
    )
