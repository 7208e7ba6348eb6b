"""The provider's appointments: created one by one or as a series, moved, cancelled.

Only staff manage appointments. Whoever is booked hears of a move or a cancellation by
e-mail (after commit), with a calendar update that replaces the entry. Every appointment made,
changed or cancelled goes into the audit trail in the same transaction.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditAction, AuditEvent
from audit.services import audit_event, audit_record
from permissions.capabilities import ADD_APPOINTMENTS, CHANGE_APPOINTMENTS
from permissions.scoping import is_staff_with
from portal.formatting import format_date, format_datetime
from portal.models import Appointment, Booking, Order
from portal.text import validate_single_line_text

from .booking_mail import BookingMail, booking_mail_schedule
from .booking_months import booking_months_refresh_for_bookings
from .bookings import booking_overlap_check, bookings_cancel_locked
from .versions import version_claim

SERIES_MAX = 500
# What the booked employee is told about when it changes.
TOLD_FIELDS = ("starts_at", "ends_at", "location", "instructions")
CHANGEABLE_FIELDS = (*TOLD_FIELDS, "capacity", "booking_deadline")
# What the audit trail records of a new appointment.
AUDITED_FIELDS = ("order", *CHANGEABLE_FIELDS)


def appointment_audit_value(name: str, value):
    """A field's value as the audit trail records it: the order by its number, a time as
    dd.mm.åååå tt:mm in Norwegian time, an empty value as None."""
    if name == "order":
        return value.number if value else None
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    return value if value not in ("", None) else None


def _creation_changes(appointment: Appointment) -> dict:
    return {
        name: [None, appointment_audit_value(name, getattr(appointment, name))]
        for name in AUDITED_FIELDS
    }


def appointments_may_be_created_by(actor) -> bool:
    return is_staff_with(actor, ADD_APPOINTMENTS)


def appointments_may_be_changed_by(actor) -> bool:
    return is_staff_with(actor, CHANGE_APPOINTMENTS)


def _check_fields(
    *, starts_at, ends_at, booking_deadline, capacity, location, new_time: bool = True
) -> None:
    """The rules of an appointment's fields; `new_time` False for one whose time stays as it
    is (an appointment under way may still change its place or instructions)."""
    errors: dict[str, object] = {}
    if not (location or "").strip():
        errors["location"] = _("Say where the appointment is.")
    else:
        try:
            validate_single_line_text(location)
        except ValidationError as error:
            errors["location"] = error.messages
    if capacity is None or capacity < 1:
        errors["capacity"] = _("An appointment has at least one seat.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The appointment must end after it starts.")
    if booking_deadline > starts_at:
        errors["booking_deadline"] = _("Booking must close before the appointment starts.")
    if new_time and starts_at <= timezone.now():
        errors["starts_at"] = _("The appointment must start in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def appointment_create(
    *,
    order: Order,
    actor,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str,
    capacity: int = 1,
    booking_deadline: datetime.datetime | None = None,
    instructions: str = "",
) -> Appointment:
    """One appointment; booking closes when it starts unless a deadline is given."""
    if not appointments_may_be_created_by(actor):
        raise PermissionDenied(_("Only the provider's staff may create appointments."))
    booking_deadline = booking_deadline or starts_at
    _check_fields(
        starts_at=starts_at,
        ends_at=ends_at,
        booking_deadline=booking_deadline,
        capacity=capacity,
        location=location,
    )
    appointment = Appointment.objects.create(
        order=order,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        capacity=capacity,
        booking_deadline=booking_deadline,
        instructions=instructions,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=appointment,
        changes=_creation_changes(appointment),
    )
    return appointment


# -- series -------------------------------------------------------------------------------


def _local(day: datetime.date, time: datetime.time, zone: ZoneInfo, field: str):
    """`time` on `day` as a moment in `zone`; a wall-clock time that the clock change skips
    or repeats is refused rather than guessed."""
    naive = datetime.datetime.combine(day, time)
    aware = naive.replace(tzinfo=zone)
    shown = {"time": time.strftime("%H:%M"), "date": format_date(day)}
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        message = _("%(time)s does not exist on %(date)s: the clocks go forward.") % shown
        raise ValidationError({field: ValidationError(message, code="nonexistent_time")})
    if naive.replace(tzinfo=zone, fold=1).utcoffset() != aware.utcoffset():
        message = _("%(time)s occurs twice on %(date)s: the clocks go back.") % shown
        raise ValidationError({field: ValidationError(message, code="ambiguous_time")})
    return aware


def appointment_series_times(
    *,
    day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    every_minutes: int,
    lunch_start: datetime.time | None = None,
    lunch_end: datetime.time | None = None,
    zone: ZoneInfo | None = None,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The slots of one day: each `every_minutes` long, back to back from `start`, the last
    ending by `end`; a slot that would overlap the lunch break is left out and the next one
    starts when lunch ends.

    Counted in real time, not on the wall clock: on the day the clocks change in Europe/Oslo
    each slot still lasts exactly `every_minutes` and none starts at an hour that does not
    exist (29 March) or is hidden in the repeated hour (25 October)."""
    zone = zone or ZoneInfo(settings.TIME_ZONE)
    if every_minutes < 5:
        raise ValidationError(
            {"every_minutes": _("An appointment lasts at least 5 minutes.")}, code="too_short"
        )
    if (lunch_start is None) != (lunch_end is None):
        raise ValidationError(
            {"lunch_end": _("Give both the start and the end of the lunch break, or neither.")},
            code="lunch_incomplete",
        )
    first = _local(day, start, zone, "start").astimezone(datetime.UTC)
    last = _local(day, end, zone, "end").astimezone(datetime.UTC)
    if last <= first:
        raise ValidationError({"end": _("The day must end after it starts.")}, code="end")
    lunch = None
    if lunch_start is not None and lunch_end is not None:
        lunch = (
            _local(day, lunch_start, zone, "lunch_start").astimezone(datetime.UTC),
            _local(day, lunch_end, zone, "lunch_end").astimezone(datetime.UTC),
        )
        if lunch[1] <= lunch[0]:
            raise ValidationError(
                {"lunch_end": _("The lunch break must end after it starts.")}, code="lunch"
            )

    step = datetime.timedelta(minutes=every_minutes)
    slots, cursor = [], first
    while cursor + step <= last:
        if lunch and cursor < lunch[1] and cursor + step > lunch[0]:
            cursor = lunch[1]
            continue
        slots.append((cursor.astimezone(zone), (cursor + step).astimezone(zone)))
        cursor += step
    return slots


def _series_days(first_date: datetime.date, last_date: datetime.date | None):
    """One day, or every weekday (Monday to Friday) from the first date to the last."""
    if last_date is None or last_date == first_date:
        return [first_date]
    if last_date < first_date:
        raise ValidationError(
            {"last_date": _("The last day must not be before the first.")}, code="last_date"
        )
    days, day = [], first_date
    while day <= last_date:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


@transaction.atomic
def appointment_series_create(
    *,
    order: Order,
    actor,
    first_date: datetime.date,
    start: datetime.time,
    end: datetime.time,
    every_minutes: int,
    location: str,
    capacity: int = 1,
    closes_hours_before: int = 24,
    lunch_start: datetime.time | None = None,
    lunch_end: datetime.time | None = None,
    last_date: datetime.date | None = None,
    instructions: str = "",
) -> list[Appointment]:
    """«Every 20 minutes from 08:00 to 15:00 on 12.05 at Bergen, one seat, booking closes 24
    hours before»: all or nothing."""
    if not appointments_may_be_created_by(actor):
        raise PermissionDenied(_("Only the provider's staff may create appointments."))
    if closes_hours_before is None or closes_hours_before < 0:
        raise ValidationError(
            {"closes_hours_before": _("Give a number of hours, 0 or more.")}, code="deadline"
        )
    slots = []
    for day in _series_days(first_date, last_date):
        slots.extend(
            appointment_series_times(
                day=day,
                start=start,
                end=end,
                every_minutes=every_minutes,
                lunch_start=lunch_start,
                lunch_end=lunch_end,
            )
        )
    if not slots:
        raise ValidationError(
            _("No appointment fits between %(start)s and %(end)s.")
            % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")},
            code="empty",
        )
    if len(slots) > SERIES_MAX:
        raise ValidationError(
            _("That makes %(count)d appointments; at most %(max)d at a time.")
            % {"count": len(slots), "max": SERIES_MAX},
            code="too_many",
        )
    closes = datetime.timedelta(hours=closes_hours_before)
    appointments = []
    for starts_at, ends_at in slots:
        _check_fields(
            starts_at=starts_at,
            ends_at=ends_at,
            booking_deadline=starts_at - closes,
            capacity=capacity,
            location=location,
        )
        appointments.append(
            Appointment(
                order=order,
                starts_at=starts_at,
                ends_at=ends_at,
                location=location.strip(),
                capacity=capacity,
                booking_deadline=starts_at - closes,
                instructions=instructions,
            )
        )
    appointments = Appointment.objects.bulk_create(appointments)
    AuditEvent.objects.bulk_create(
        audit_event(actor=actor, action=AuditAction.CREATED, obj=a, changes=_creation_changes(a))
        for a in appointments
    )
    return appointments


# -- moving and cancelling ------------------------------------------------------------------


def _lock(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("order")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def appointment_update(
    *, appointment: Appointment, actor, version: int | None = None, **fields
) -> Appointment:
    """Change time, place, seats, deadline or what to bring. Booked employees are told of a
    new time, place or instructions; fewer seats than are booked is refused. Refused with
    `StaleEdit` when the appointment is no longer at `version` (the one the edit began on;
    None: the one `appointment` was loaded with)."""
    if not appointments_may_be_changed_by(actor):
        raise PermissionDenied(_("Only the provider's staff may change appointments."))
    unknown = set(fields) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise TypeError(f"appointment_update() got unexpected fields {sorted(unknown)}")
    version_claim(appointment, version=version)
    locked = _lock(appointment)
    if locked.is_cancelled:
        raise ValidationError(
            _("The appointment %(time)s is cancelled.") % {"time": locked.time_range},
            code="appointment_cancelled",
        )
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    changes = {
        name: [
            appointment_audit_value(name, getattr(locked, name)),
            appointment_audit_value(name, fields[name]),
        ]
        for name in changed
    }
    for name in changed:
        setattr(locked, name, fields[name])
    new_time = "starts_at" in changed or "ends_at" in changed
    _check_fields(
        starts_at=locked.starts_at,
        ends_at=locked.ends_at,
        booking_deadline=locked.booking_deadline,
        capacity=locked.capacity,
        location=locked.location,
        new_time=new_time,
    )

    bookings = list(locked.bookings.holding_seats().select_related("employee"))
    if locked.capacity < len(bookings):
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(count)d employee is booked; take them off before lowering the seats.",
                    "%(count)d employees are booked; take some off before lowering the seats.",
                    len(bookings),
                )
                % {"count": len(bookings)}
            },
            code="capacity_below_booked",
        )
    if new_time:
        for booking in bookings:
            booking_overlap_check(employee=booking.employee, appointment=locked)
    locked.save(update_fields=changed)
    if "starts_at" in changed:  # its bookings count in the month it now starts in
        booking_months_refresh_for_bookings(locked.bookings.all())
    audit_record(actor=actor, action=AuditAction.CHANGED, obj=locked, changes=changes)

    if any(name in TOLD_FIELDS for name in changed):
        for booking in bookings:
            booking.calendar_sequence += 1
            booking.save(update_fields=["calendar_sequence"])
            booking_mail_schedule(booking=booking, kind=BookingMail.CHANGED)
    return locked


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor) -> list[Booking]:
    """Cancel the appointment and every booking on it; each employee is told. Returns the
    cancelled bookings."""
    if not appointments_may_be_changed_by(actor):
        raise PermissionDenied(_("Only the provider's staff may cancel appointments."))
    locked = _lock(appointment)
    shown = {"time": locked.time_range}
    if locked.is_cancelled:
        raise ValidationError(
            _("The appointment %(time)s is already cancelled.") % shown, code="already_cancelled"
        )
    if locked.ends_at <= timezone.now():
        raise ValidationError(
            _("The appointment %(time)s has already taken place.") % shown, code="past"
        )
    locked.is_cancelled = True
    locked.save(update_fields=["is_cancelled"])
    now = timezone.now()
    bookings = list(
        locked.bookings.holding_seats()
        .select_for_update(of=("self",))
        .select_related("employee", "appointment")
        .order_by("pk")
    )
    bookings_cancel_locked(bookings, actor=actor, now=now)
    audit_record(
        actor=actor,
        action=AuditAction.CANCELLED,
        obj=locked,
        changes={"is_cancelled": [False, True]}
        | ({"cancelled_bookings": [len(bookings), 0]} if bookings else {}),
    )
    appointment.is_cancelled = True
    return bookings
