"""«La de ansatte velge selv»: HR invites the selected employees to choose their own
appointment of an order; each gets a mail with a personal link.

The link's token is the invitation's id signed with the site's secret key and a salt of its
own (not the booking page's): it cannot be guessed, nor turned into another employee's or
another order's link. It is valid until the last booking deadline among the order's
appointments (checked at each request). Holding it gives nothing but the order's free times
and the choice of one of them for that one employee.

The choice goes through `booking_create` with `EMPLOYEE_VIA_LINK` as the actor, under its
locks: first come, first served; a full appointment is refused with code "full".
"""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from background.mail import mail_queue
from permissions.capabilities import Capability
from permissions.policies import EMPLOYEES
from portal.formatting import format_datetime
from portal.links import absolute_url
from portal.models import Appointment, Booking, BookingInvitation, Employee, Order

from .booking_links import EMPLOYEE_VIA_LINK
from .booking_mail import EMPLOYEE_LANGUAGE
from .bookings import (
    _is_staff_booker,
    booked_employee_ids,
    booking_create,
    order_may_be_booked_by,
)
from .notifications import customer_reply_to

SALT = "portal.booking-choice"


class ChoiceState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"  # the order's last booking deadline has passed
    INVALID = "invalid"  # tampered, truncated, or the invitation is gone


@dataclass
class ChoiceLink:
    state: ChoiceState
    invitation: BookingInvitation | None = None

    @property
    def is_valid(self) -> bool:
        return self.state == ChoiceState.VALID


def invitation_token(invitation: BookingInvitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=SALT)


def invitation_link_path(invitation: BookingInvitation) -> str:
    return reverse("choice_page", args=[invitation_token(invitation)])


def invitation_last_deadline(order: Order):
    """Until when the order's links are valid: its appointments' last booking deadline."""
    return order.appointments.filter(is_cancelled=False).aggregate(last=Max("booking_deadline"))[
        "last"
    ]


def invitation_from_link(token: str, now=None) -> ChoiceLink:
    try:
        pk = int(signing.loads(token, salt=SALT)["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return ChoiceLink(ChoiceState.INVALID)
    invitation = (
        BookingInvitation.objects.select_related(
            "employee", "order__product_group", "order__department", "invited_by"
        )
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        return ChoiceLink(ChoiceState.INVALID)
    last = invitation_last_deadline(invitation.order)
    if last is None or last <= (now or timezone.now()):
        return ChoiceLink(ChoiceState.EXPIRED, invitation)
    return ChoiceLink(ChoiceState.VALID, invitation)


def invitation_booking(invitation: BookingInvitation) -> Booking | None:
    """The employee's booking on the invitation's order, however it was made."""
    return (
        Booking.objects.holding_seats()
        .filter(employee=invitation.employee, appointment__order=invitation.order)
        .select_related("appointment")
        .first()
    )


def choice_appointments(invitation: BookingInvitation, now=None):
    """The order's appointments the employee may still choose: open for customers, with a
    free seat, `booked_count` annotated, earliest first."""
    return (
        invitation.order.appointments.bookable(staff=False, now=now)
        .with_seats()
        .order_by("starts_at", "pk")
    )


def _order_mail(order: Order) -> dict:
    """What every invitation mail of the order shares, worked out once per sending."""
    customer = order.department.customer
    return {
        "customer": customer.name,
        "product_group": order.product_group,
        "deadline": invitation_last_deadline(order),
        "reply_to": customer_reply_to(customer),
    }


def _invitation_mail(invitation: BookingInvitation, *, reminder: bool, shared: dict) -> None:
    """One invitation's mail; `shared` is its order's `_order_mail`."""
    employee = invitation.employee
    with translation.override(EMPLOYEE_LANGUAGE):
        product_group = shared["product_group"]
        group = product_group.name if product_group else _("Appointment")
        context = {
            "name": employee.first_name,
            "customer": shared["customer"],
            "summary": group,
            "provider": settings.PORTAL_PROVIDER_NAME,
            "link": absolute_url(invitation_link_path(invitation)),
            "deadline": format_datetime(shared["deadline"]),
            "reminder": reminder,
        }
        subject = (
            _("Reminder: choose your appointment: %(summary)s")
            if reminder
            else _("Choose your appointment: %(summary)s")
        ) % {"summary": f"{group} – {settings.PORTAL_PROVIDER_NAME}"}
        body = render_to_string("portal/email/booking_invitation.txt", context)
    mail_queue(
        to=[employee.email],
        subject=subject,
        body=body,
        reply_to=shared["reply_to"],
        about=invitation,
    )


def _may_invite(actor, employee: Employee) -> bool:
    return _is_staff_booker(actor) or EMPLOYEES.allows(actor, employee, Capability.BOOK_EMPLOYEES)


@transaction.atomic
def bookings_invite(*, order: Order, employees, actor) -> tuple[list, list]:
    """Invite each employee to choose their own appointment of `order`: one mail each with a
    personal link. Returns (invited, skipped as (employee, reason)). An employee already
    invited to the order is sent the link again; one already booked on it is skipped."""
    if not order_may_be_booked_by(actor, order):
        raise PermissionDenied(_("You may not book employees on this order."))
    invited, skipped = [], []
    booked = booked_employee_ids(order=order, employees=employees)
    shared = _order_mail(order)
    for employee in sorted(employees, key=lambda e: (e.last_name, e.first_name, e.pk)):
        if not _may_invite(actor, employee):
            continue
        if employee.customer_id != order.department.customer_id or not employee.is_active:
            skipped.append((employee, _("Not an active employee of the order's customer.")))
            continue
        if not employee.email:
            skipped.append((employee, _("Has no e-mail address.")))
            continue
        if employee.pk in booked:
            skipped.append((employee, _("Already booked on this order.")))
            continue
        invitation, created = BookingInvitation.objects.get_or_create(
            order=order,
            employee=employee,
            defaults={"invited_by": actor if actor.pk else None},
        )
        if not created:
            invitation.sent_at = timezone.now()
            invitation.save(update_fields=["sent_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATED if created else AuditAction.CHANGED,
            obj=invitation,
            changes={"employee": [None, employee.full_name], "order": [None, str(order.number)]},
        )
        _invitation_mail(invitation, reminder=False, shared=shared)
        invited.append(invitation)
    return invited, skipped


def invitations_for(order: Order, actor):
    """The order's invitations of employees `actor` may book."""
    invitations = BookingInvitation.objects.filter(order=order).select_related("employee")
    if not _is_staff_booker(actor):
        employees = EMPLOYEES.narrow(
            Employee.objects.filter(pk__in=invitations.values("employee_id")),
            actor,
            Capability.BOOK_EMPLOYEES,
        )
        invitations = invitations.filter(employee__in=employees)
    return invitations


def invitations_waiting(order: Order, actor):
    """The invitations of `invitations_for` whose employee holds no seat on the order yet."""
    return invitations_for(order, actor).exclude(
        employee__in=Booking.objects.holding_seats()
        .filter(appointment__order=order)
        .values("employee_id")
    )


@transaction.atomic
def invitations_remind(*, order: Order, actor) -> list[BookingInvitation]:
    """Send the link again to each invited employee (that `actor` may book) who holds no seat
    on the order: the ones HR sees as not chosen yet, also one who chose and then cancelled
    (their link lets them choose again)."""
    if not order_may_be_booked_by(actor, order):
        raise PermissionDenied(_("You may not book employees on this order."))
    reminded = []
    invitations = list(invitations_for(order, actor))
    booked = booked_employee_ids(order=order, employees=[i.employee_id for i in invitations])
    shared = _order_mail(order)
    for invitation in invitations:
        if invitation.employee_id in booked:
            continue
        if not invitation.employee.is_active or not invitation.employee.email:
            continue
        invitation.reminded_at = timezone.now()
        invitation.save(update_fields=["reminded_at"])
        _invitation_mail(invitation, reminder=True, shared=shared)
        reminded.append(invitation)
    return reminded


def booking_choose_by_employee(
    *, invitation: BookingInvitation, appointment: Appointment
) -> Booking:
    """The employee chooses `appointment` from their invitation link. Refused with code
    "already_chosen" when they already hold a seat on the order, "full" when the seats ran out
    meanwhile (first come, first served under `booking_create`'s locks)."""
    if appointment.order_id != invitation.order_id:
        raise ValidationError(_("Choose one of the times."), code="other_order")
    with transaction.atomic():
        # The employee's lock first (as booking_create takes it), so two choices of the same
        # employee at once cannot both book.
        Employee.objects.select_for_update().get(pk=invitation.employee_id)
        if invitation_booking(invitation) is not None:
            raise ValidationError(
                _("You have already chosen an appointment."), code="already_chosen"
            )
        booking = booking_create(
            appointment=appointment,
            employee=invitation.employee,
            actor=EMPLOYEE_VIA_LINK,
            invited_by=invitation.invited_by,
        )
        BookingInvitation.objects.filter(pk=invitation.pk).update(booking=booking)
    return booking
