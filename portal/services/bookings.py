"""Putting employees on appointments, taking them off, and their attendance.

Every rule lives in `booking_create`: capacity (under a lock on the appointment row, so two
users cannot both take the last seat), one appointment at a time per employee (under a lock
on the employee row), active employees of the order's customer only, and the booking deadline
for customer users. The database adds what it can: one seat-holding booking per employee per
appointment. The employee is told by e-mail after commit, and given the health declaration
(egenerklæring) of the order's product group, if it has one, in the same transaction.

Each booking made or cancelled, and each attendance recorded, goes into the audit trail in the
same transaction: who, which employee, which appointment, and the attendance — never anything
about the employee's health.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent
from audit.services import audit_event, audit_record
from background.models import OutgoingMail
from health.services import declaration_send
from permissions.capabilities import SET_ATTENDANCE, Capability
from permissions.policies import EMPLOYEES, ORDERS
from permissions.scoping import is_staff_with, is_unscoped
from portal.formatting import format_datetime
from portal.models import Appointment, Booking, Employee, Order
from portal.models.appointments import Attendance
from webhooks.events import booking_payload, emit, emit_many

from .booking_links import EMPLOYEE_VIA_LINK
from .booking_mail import BookingMail, booking_mail_schedule, bookings_summary_send
from .booking_months import booking_months_refresh, booking_months_refresh_for_bookings
from .notifications import customer_reply_to, notification_send
from .surveillance import exposures_recheck

# Staff who may record attendance (a global model permission).


def _by_link(actor) -> bool:
    """The employee acting from the link in their booking mail (no user)."""
    return actor is EMPLOYEE_VIA_LINK


def _is_staff_booker(actor) -> bool:
    return is_unscoped(actor, Capability.BOOK_EMPLOYEES)


def order_may_be_booked_by(actor, order: Order) -> bool:
    """May `actor` put employees on this order's appointments at all (they see the order and
    book employees on its department)?"""
    return _is_staff_booker(actor) or (
        ORDERS.allows(actor, order, Capability.VIEW_ORDERS)
        and ORDERS.allows(actor, order, Capability.BOOK_EMPLOYEES)
    )


def appointment_may_be_booked_by(actor, appointment: Appointment) -> bool:
    # Staff first: their answer needs no order loaded.
    return _is_staff_booker(actor) or order_may_be_booked_by(actor, appointment.order)


def _check_access(actor, appointment: Appointment, employee: Employee) -> None:
    if not appointment_may_be_booked_by(actor, appointment):
        raise PermissionDenied(_("You may not book employees on this appointment."))
    if not _is_staff_booker(actor) and not EMPLOYEES.allows(
        actor, employee, Capability.BOOK_EMPLOYEES
    ):
        raise PermissionDenied(_("You may not book this employee."))


def _overlapping(*, employee: Employee, appointment: Appointment):
    return (
        Booking.objects.holding_seats()
        .filter(
            employee=employee,
            appointment__is_cancelled=False,
            appointment__starts_at__lt=appointment.ends_at,
            appointment__ends_at__gt=appointment.starts_at,
        )
        .exclude(appointment=appointment)
        .select_related("appointment")
    )


def booking_overlap_check(
    *, employee: Employee, appointment: Appointment, moving: Booking | None = None
) -> None:
    """Refuse when the employee holds a seat on an appointment that overlaps this one (other
    than the booking `moving` there)."""
    clash = _overlapping(employee=employee, appointment=appointment)
    if moving is not None:
        clash = clash.exclude(pk=moving.pk)
    clash = clash.first()
    if clash is not None:
        raise ValidationError(
            _("%(name)s already has an appointment at that time (%(time)s).")
            % {"name": employee.full_name, "time": clash.appointment.time_range},
            code="overlap",
        )


def _check_seat(
    *, employee: Employee, appointment: Appointment, moving: Booking | None = None
) -> None:
    """Refuse a seat on the (locked) appointment the employee already has, one that overlaps
    another of theirs, and one that is not free: the same for a new booking and a move."""
    when = {"time": appointment.time_range, "location": appointment.location}
    seats = appointment.bookings.holding_seats()
    if seats.filter(employee=employee).exists():
        raise ValidationError(
            _("%(name)s is already booked on %(time)s.") % {**when, "name": employee.full_name},
            code="already_booked",
        )
    booking_overlap_check(employee=employee, appointment=appointment, moving=moving)
    if seats.count() >= appointment.capacity:
        raise ValidationError(
            _("There are no free seats left on %(time)s, %(location)s.") % when, code="full"
        )


@transaction.atomic
def booking_create(
    *,
    appointment: Appointment,
    employee: Employee,
    actor,
    tell_booker: bool = False,
    invited_by=None,
) -> Booking:
    """Put `employee` on `appointment`; the employee gets an e-mail with a calendar entry, and
    with `tell_booker` a customer user who booked gets a summary of it too.

    The employee choosing from their invitation link (`actor` is `EMPLOYEE_VIA_LINK`; the
    invitation is their authority, checked by the caller) books themselves under the same
    rules as a customer user; the booking counts as confirmed by them, and `invited_by` (the
    HR user who invited them) stands as its booker, the one to contact."""
    by_link = _by_link(actor)
    staff = not by_link and _is_staff_booker(actor)
    # Lock order: employee, then appointment (the same order everywhere, so no deadlock).
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("order__department")
        .get(pk=appointment.pk)
    )
    if not by_link:
        _check_access(actor, appointment, employee)
    now = timezone.now()
    when = {"time": appointment.time_range, "location": appointment.location}

    if employee.customer_id != appointment.order.department.customer_id:
        raise ValidationError(
            _("%(name)s is not an employee of the customer of order %(number)s.")
            % {"name": employee.full_name, "number": appointment.order.number},
            code="other_customer",
        )
    if not employee.is_active:
        raise ValidationError(
            _("%(name)s is deactivated and cannot be booked.") % {"name": employee.full_name},
            code="inactive",
        )
    if appointment.is_cancelled:
        raise ValidationError(
            _("The appointment %(time)s is cancelled.") % when, code="appointment_cancelled"
        )
    if appointment.ends_at <= now:
        raise ValidationError(
            _("The appointment %(time)s has already taken place.") % when, code="past"
        )
    if not staff and now >= appointment.booking_deadline:
        raise ValidationError(
            _("Booking for %(time)s closed %(deadline)s.")
            % {**when, "deadline": format_datetime(appointment.booking_deadline)},
            code="deadline",
        )
    _check_seat(employee=employee, appointment=appointment)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                appointment=appointment,
                employee=employee,
                booked_by=invited_by if by_link else actor,
                booked_at=now,
                employee_confirmed_at=now if by_link else None,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s is already booked on %(time)s.") % {**when, "name": employee.full_name},
            code="already_booked",
        ) from error
    booking_months_refresh(employee_ids=[employee.pk])
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=booking,
        changes={
            "employee": [None, employee.full_name],
            "appointment": [None, str(appointment)],
        },
    )
    # With the booking, so its mail (written later) carries the link to the form.
    declaration_send(booking=booking, new=True)
    booking_mail_schedule(booking=booking, kind=BookingMail.BOOKED)
    if tell_booker and not staff:
        bookings_summary_send(bookings=[booking], actor=actor)
    emit("booking.created", booking_payload(booking))
    return booking


def booking_may_be_cancelled_by(actor, booking: Booking, now=None) -> bool:
    """The guard the buttons use; `booking_cancel` checks the same."""
    appointment = booking.appointment
    if not booking.holds_a_seat or appointment.ends_at <= (now or timezone.now()):
        return False
    if _is_staff_booker(actor):
        return True
    return (
        appointment_may_be_booked_by(actor, appointment)
        and EMPLOYEES.allows(actor, booking.employee, Capability.BOOK_EMPLOYEES)
        and appointment.is_open_for_customers(now)
    )


def bookings_cancel_locked(bookings: list[Booking], *, actor, now) -> None:
    """Cancel bookings whose rows the caller has locked (their employee and appointment
    loaded), tell each employee, and write their audit events in one INSERT."""
    events = []
    for booking in bookings:
        events.append(
            audit_event(
                obj=booking,
                actor=actor,
                action=AuditAction.CANCELLED,
                changes={"attendance": [booking.attendance, Attendance.CANCELLED.value]},
            )
        )
        booking.attendance = Attendance.CANCELLED
        booking.cancelled_by = actor if getattr(actor, "pk", None) else None
        booking.cancelled_by_employee = _by_link(actor)
        booking.cancelled_at = now
        booking.calendar_sequence += 1
        booking.save(
            update_fields=[
                "attendance",
                "cancelled_by",
                "cancelled_by_employee",
                "cancelled_at",
                "calendar_sequence",
            ]
        )
        booking_mail_schedule(booking=booking, kind=BookingMail.CANCELLED)
    booking_months_refresh_for_bookings(bookings)
    AuditEvent.objects.bulk_create(events)
    emit_many("booking.cancelled", (booking_payload(booking) for booking in bookings))


def _check_cancellable(booking: Booking, now) -> None:
    """Refuse to cancel a booking that is cancelled already or whose appointment is over;
    the deadline is each caller's own rule."""
    appointment = booking.appointment
    when = {"time": appointment.time_range, "name": booking.employee.full_name}
    if not booking.holds_a_seat:
        raise ValidationError(
            _("The booking of %(name)s on %(time)s is already cancelled.") % when,
            code="already_cancelled",
        )
    if appointment.ends_at <= now:
        raise ValidationError(
            _("The appointment %(time)s has already taken place.") % when, code="past"
        )


@transaction.atomic
def booking_cancel(*, booking: Booking, actor) -> Booking:
    """Take the employee off the appointment; the calendar entry is cancelled by e-mail.
    Customer users only until the booking deadline (late cancellations are charged)."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("appointment__order__department", "employee")
        .get(pk=booking.pk)
    )
    appointment, employee = booking.appointment, booking.employee
    _check_access(actor, appointment, employee)
    now = timezone.now()
    when = {"time": appointment.time_range, "name": employee.full_name}
    _check_cancellable(booking, now)
    if not _is_staff_booker(actor) and now >= appointment.booking_deadline:
        raise ValidationError(
            _(
                "%(name)s can no longer be taken off %(time)s: booking closed %(deadline)s. "
                "Please contact your KA/KAM."
            )
            % {**when, "deadline": format_datetime(appointment.booking_deadline)},
            code="deadline",
        )
    bookings_cancel_locked([booking], actor=actor, now=now)
    return booking


def move_targets(*, booking: Booking, now=None):
    """Where the employee may move `booking` from their link: the other appointments of the
    same order at the same place, not cancelled, still open for booking, with a free seat,
    earliest first (`booked_count` annotated)."""
    appointment = booking.appointment
    return (
        Appointment.objects.filter(order_id=appointment.order_id, location=appointment.location)
        .exclude(pk=appointment.pk)
        .bookable(staff=False, now=now)
        .with_seats()
        .filter(booked_count__lt=models.F("capacity"))
        .order_by("starts_at", "pk")
    )


@transaction.atomic
def booking_move(*, booking: Booking, appointment: Appointment, actor) -> Booking:
    """Move the booking to another appointment of the same order at the same place («Bytt
    tid»): the same locks, capacity, overlap and deadline rules as `booking_create`. The
    booking keeps its calendar UID; the employee gets the changed calendar entry (a higher
    SEQUENCE) by e-mail. Moved by the employee from their link, the new time counts as
    confirmed by them; moved by anyone else, it waits for their confirmation again."""
    by_link = _by_link(actor)
    staff = not by_link and _is_staff_booker(actor)
    # Lock order as in booking_create: the employee, then the appointments (by id, so two
    # moves between the same two appointments cannot deadlock), then the booking. Every move
    # of the booking holds its employee's lock, so its appointment is read after that lock.
    employee_id = Booking.objects.values_list("employee_id", flat=True).get(pk=booking.pk)
    employee = Employee.objects.select_for_update().get(pk=employee_id)
    source_id = Booking.objects.values_list("appointment_id", flat=True).get(pk=booking.pk)
    locked = {
        a.pk: a
        for a in Appointment.objects.select_for_update(of=("self",))
        .select_related("order__department")
        .filter(pk__in={source_id, appointment.pk})
        .order_by("pk")
    }
    booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    source, target = locked[booking.appointment_id], locked[appointment.pk]
    booking.appointment, booking.employee = source, employee
    if not by_link:
        _check_access(actor, target, employee)
    now = timezone.now()
    when = {"time": target.time_range, "location": target.location}
    if not booking.holds_a_seat:
        raise ValidationError(
            _("The booking is cancelled and cannot be moved."), code="already_cancelled"
        )
    if source.pk == target.pk:
        raise ValidationError(_("The booking is already on this time."), code="same")
    if target.order_id != source.order_id or target.location != source.location:
        raise ValidationError(
            _("A booking can only be moved to another time of the same order and place."),
            code="other_order_or_place",
        )
    if source.ends_at <= now or target.ends_at <= now or target.starts_at <= now:
        raise ValidationError(
            _("The appointment %(time)s has already taken place.") % when, code="past"
        )
    if target.is_cancelled:
        raise ValidationError(
            _("The appointment %(time)s is cancelled.") % when, code="appointment_cancelled"
        )
    if not staff:
        for closed in (source, target):
            if now >= closed.booking_deadline:
                raise ValidationError(
                    _("Booking for %(time)s closed %(deadline)s.")
                    % {
                        "time": closed.time_range,
                        "deadline": format_datetime(closed.booking_deadline),
                    },
                    code="deadline",
                )
    _check_seat(employee=employee, appointment=target, moving=booking)
    booking.appointment = target
    booking.calendar_sequence += 1
    booking.employee_confirmed_at = now if by_link else None
    booking.save(update_fields=["appointment", "calendar_sequence", "employee_confirmed_at"])
    booking_months_refresh(employee_ids=[booking.employee_id])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        obj=booking,
        changes={"appointment": [str(source), str(target)]},
    )
    booking_mail_schedule(booking=booking, kind=BookingMail.CHANGED)
    return booking


@transaction.atomic
def booking_confirm_by_employee(*, booking: Booking) -> Booking:
    """«Jeg kommer»: the employee confirms from their link; HR and staff see it on the
    booking. Confirming again changes nothing."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("appointment")
        .get(pk=booking.pk)
    )
    if not booking.holds_a_seat:
        raise ValidationError(_("The booking is cancelled."), code="cancelled")
    if booking.appointment.ends_at <= timezone.now():
        raise ValidationError(
            _("The appointment %(time)s has already taken place.")
            % {"time": booking.appointment.time_range},
            code="past",
        )
    if booking.employee_confirmed_at is None:
        booking.employee_confirmed_at = timezone.now()
        booking.save(update_fields=["employee_confirmed_at"])
        audit_record(
            actor=EMPLOYEE_VIA_LINK,
            action=AuditAction.CHANGED,
            obj=booking,
            changes={
                "employee_confirmed_at": [None, format_datetime(booking.employee_confirmed_at)]
            },
        )
    return booking


def booking_may_be_cancelled_by_employee(booking: Booking, now=None) -> bool:
    """Before the booking deadline only; after it the employee is asked to contact HR."""
    return booking.holds_a_seat and booking.appointment.is_open_for_customers(now)


@transaction.atomic
def booking_cancel_by_employee(*, booking: Booking) -> Booking:
    """«Jeg kan ikke komme» before the deadline: the seat is freed, the employee's calendar
    entry cancelled by e-mail, and whoever booked them told in the portal and by e-mail."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("appointment__order__department__customer", "employee", "booked_by")
        .get(pk=booking.pk)
    )
    appointment, employee = booking.appointment, booking.employee
    now = timezone.now()
    _check_cancellable(booking, now)
    if not booking_may_be_cancelled_by_employee(booking, now):
        raise ValidationError(
            _("Booking closed %(deadline)s: please contact the one who booked you.")
            % {"deadline": format_datetime(appointment.booking_deadline)},
            code="deadline",
        )
    bookings_cancel_locked([booking], actor=EMPLOYEE_VIA_LINK, now=now)
    booker = booking.booked_by
    if booker is not None and booker.is_active:
        notification_send(
            recipients=[booker],
            text=_("%(name)s cannot come on %(time)s: the booking is cancelled")
            % {
                "name": employee.full_name,
                "time": f"{appointment.time_range}, {appointment.location}",
            },
            link=appointment.get_absolute_url(),
            mail_template="portal/email/booking_cancelled_by_employee.txt",
            context={"name": employee.full_name, "appointment": appointment},
            reply_to=customer_reply_to(appointment.order.department.customer),
        )
    return booking


def bookings_cancel_future_for_employee(*, employee: Employee, actor) -> list[Booking]:
    """Cancel the employee's bookings on appointments still to come (the employee has left).

    For `employee_deactivate`, which has checked the actor's access and locked the employee;
    the deadline does not apply: the provider sees from `cancelled_at` whether it was late.
    Each employee is told by e-mail after commit. Returns the cancelled bookings."""
    now = timezone.now()
    with transaction.atomic():
        bookings = list(
            Booking.objects.holding_seats()
            .select_for_update(of=("self",))
            .filter(employee=employee, appointment__starts_at__gt=now)
            .select_related("appointment", "employee")
            .order_by("appointment__starts_at", "pk")
        )
        bookings_cancel_locked(bookings, actor=actor, now=now)
    return bookings


def booking_may_have_attendance_set_by(actor) -> bool:
    return is_staff_with(actor, SET_ATTENDANCE)


@transaction.atomic
def booking_attendance_set(*, booking: Booking, actor, attendance: str) -> Booking:
    """Staff record whether the employee came (attended / no-show), or undo it (booked)."""
    if not booking_may_have_attendance_set_by(actor):
        raise PermissionDenied(_("Only the provider's staff may record attendance."))
    attendance = Attendance(attendance)
    if attendance == Attendance.CANCELLED:
        raise ValidationError(_("Cancel the booking instead."), code="use_cancel")
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("appointment", "employee")
        .get(pk=booking.pk)
    )
    when = {"time": booking.appointment.time_range, "name": booking.employee.full_name}
    if not booking.holds_a_seat:
        raise ValidationError(
            _("The booking of %(name)s on %(time)s is cancelled.") % when, code="cancelled"
        )
    if attendance != Attendance.BOOKED and booking.appointment.starts_at > timezone.now():
        raise ValidationError(
            _("%(time)s has not started yet; attendance is recorded afterwards.") % when,
            code="not_started",
        )
    before = booking.attendance
    booking.attendance = attendance
    booking.save(update_fields=["attendance"])
    if Attendance.ATTENDED in (before, attendance) and attendance != before:
        exposures_recheck(employee_ids=[booking.employee_id])
    if attendance != before:
        booking_months_refresh(employee_ids=[booking.employee_id])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=booking,
            changes={"attendance": [before, attendance.value]},
        )
        emit("booking.attendance_set", booking_payload(booking))
    return booking


def booking_mail_resend(*, booking: Booking, actor) -> OutgoingMail:
    """Staff queue the employee's current e-mail again (after a failure)."""
    if not _is_staff_booker(actor):
        raise PermissionDenied(_("Only the provider's staff may resend e-mails."))
    kind = BookingMail.BOOKED if booking.holds_a_seat else BookingMail.CANCELLED
    return booking_mail_schedule(booking=booking, kind=kind)


# -- "Book på timeavtaler": many employees into an order's free appointments ----------------


@dataclass
class Placement:
    """What became of one employee: `booking` (new or earlier), or why there is none."""

    employee: Employee
    booking: Booking | None = None
    already: bool = False
    reason: str = ""


# Refusals that concern the appointment (no one else gets it either) or only this employee on
# it: either way, try the next appointment.
_APPOINTMENT_CLOSED = {"full", "deadline", "appointment_cancelled", "past"}
_TRY_NEXT = _APPOINTMENT_CLOSED | {"overlap", "already_booked"}


def _placements_summary_send(placements: list[Placement], *, actor) -> None:
    """Send a customer user one summary of what they booked and what was refused; staff
    booking on the customer's behalf get none (each employee is told all the same)."""
    if _is_staff_booker(actor):
        return
    bookings_summary_send(
        bookings=[p.booking for p in placements if p.booking is not None and not p.already],
        actor=actor,
        not_booked=[(p.employee.full_name, str(p.reason)) for p in placements if p.reason],
    )


def bookable_appointments(*, order: Order, actor, now=None):
    """The order's appointments still to come that `actor` may book into, earliest first,
    with `booked_count` annotated."""
    bookable = order.appointments.bookable(staff=_is_staff_booker(actor), now=now)
    return bookable.with_seats().order_by("starts_at", "pk")


def bookings_place(*, order: Order, employees, actor) -> list[Placement]:
    """Place each employee on the earliest free appointment of `order`, in name order.

    Each booking is its own transaction through `booking_create` (so its rules and locks
    hold); an employee already on one of the order's appointments keeps it. A customer user
    gets one summary mail of what they booked; staff booking on the customer's behalf get
    none (each employee is told all the same)."""
    if not order_may_be_booked_by(actor, order):
        raise PermissionDenied(_("You may not book employees on this order."))
    employees = sorted(employees, key=lambda e: (e.last_name, e.first_name, e.pk))
    existing = {
        b.employee_id: b
        for b in Booking.objects.holding_seats()
        .filter(appointment__order=order, employee__in=employees)
        .select_related("appointment")
    }
    candidates = [[a, a.free_seats()] for a in bookable_appointments(order=order, actor=actor)]
    placements = []
    for employee in employees:
        if employee.pk in existing:
            placements.append(Placement(employee, existing[employee.pk], already=True))
            continue
        placement = Placement(employee, reason=_("No free appointment left."))
        for candidate in candidates:
            appointment, free = candidate
            if free <= 0:
                continue
            try:
                placement.booking = booking_create(
                    appointment=appointment, employee=employee, actor=actor
                )
            except ValidationError as error:
                if error.code in _APPOINTMENT_CLOSED:
                    candidate[1] = 0
                if error.code in _TRY_NEXT:
                    continue
                placement.reason = " ".join(error.messages)
                break
            except PermissionDenied as error:
                placement.reason = str(error)
                break
            placement.reason = ""
            candidate[1] -= 1
            break
        placements.append(placement)
    _placements_summary_send(placements, actor=actor)
    return placements


# -- Booking by choice: HR chooses each employee's appointment in a grid ---------------------

_NOT_A_PLACE = {"as", "asa", "ans", "da", "sa", "avd", "avdeling", "test"}


def _place_words(department) -> set[str]:
    """The words that name where a department is: its city and postal code when they are
    filled in, else the words of its name (less company forms such as «AS»)."""
    words = {department.city.strip().lower(), department.postal_code.strip()} - {""}
    if not department.city.strip():
        words |= {w for w in re.findall(r"\w+", department.name.lower()) if len(w) > 1}
    return words - _NOT_A_PLACE


def booked_employee_ids(*, order: Order, employees) -> set[int]:
    """Which of `employees` hold a seat on one of the order's appointments, in one query."""
    return set(
        Booking.objects.holding_seats()
        .filter(appointment__order=order, employee__in=employees)
        .values_list("employee_id", flat=True)
    )


def appointment_is_near(appointment: Appointment, department) -> bool:
    """Is the appointment at the department's place? A simple heuristic: the location names
    the department's city or postal code (or, without a city, a word of its name)."""
    location = set(re.findall(r"\w+", appointment.location.lower()))
    return bool(location & _place_words(department))


def appointments_for(department, appointments) -> list[Appointment]:
    """`appointments` with those at the department's place first, each group by time."""
    return sorted(
        appointments,
        key=lambda a: (not appointment_is_near(a, department), a.starts_at, a.pk),
    )


def bookings_suggest(*, order: Order, employees, actor, appointments=None) -> dict:
    """A suggestion for the grid: employee pk → appointment (or None when nothing is free,
    or the employee is already on the order). Each employee, in name order, gets the earliest
    free appointment at their own department's place, else the earliest free one anywhere;
    the seats are counted down as they are handed out. Nothing is booked."""
    if appointments is None:
        appointments = list(bookable_appointments(order=order, actor=actor))
    free = {a.pk: a.free_seats() for a in appointments}
    already = booked_employee_ids(order=order, employees=employees)
    suggestion: dict[int, Appointment | None] = {}
    for employee in sorted(employees, key=lambda e: (e.last_name, e.first_name, e.pk)):
        choice = None
        if employee.pk not in already:
            for appointment in appointments_for(employee.department, appointments):
                if free[appointment.pk] > 0:
                    choice = appointment
                    free[appointment.pk] -= 1
                    break
        suggestion[employee.pk] = choice
    return suggestion


def bookings_book_chosen(*, order: Order, choices, actor) -> list[Placement]:
    """Book each (employee, appointment) HR chose in the grid; `appointment` None leaves the
    employee out. Each booking is its own transaction through `booking_create`, so its rules
    and locks hold; a refusal (full meanwhile, an overlap, …) is told for that employee and
    the others are booked all the same. A customer user gets one summary mail."""
    if not order_may_be_booked_by(actor, order):
        raise PermissionDenied(_("You may not book employees on this order."))
    choices = [(e, a) for e, a in choices if a is not None]
    existing = {
        b.employee_id: b
        for b in Booking.objects.holding_seats()
        .filter(appointment__order=order, employee__in=[e for e, _a in choices])
        .select_related("appointment")
    }
    placements = []
    for employee, appointment in choices:
        if employee.pk in existing:
            placements.append(Placement(employee, existing[employee.pk], already=True))
            continue
        placement = Placement(employee)
        if appointment.order_id != order.pk:
            placement.reason = _("The appointment is not one of order %(number)s.") % {
                "number": order.number
            }
        else:
            try:
                placement.booking = booking_create(
                    appointment=appointment, employee=employee, actor=actor
                )
            except ValidationError as error:
                placement.reason = " ".join(error.messages)
            except PermissionDenied as error:
                placement.reason = str(error)
        placements.append(placement)
    _placements_summary_send(placements, actor=actor)
    return placements
