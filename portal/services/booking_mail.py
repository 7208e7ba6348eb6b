"""Telling the booked employee: an e-mail in Norwegian with an iCalendar attachment, queued
with the booking and sent by a worker. A mail that fails for good is marked on the booking for
staff; it never undoes the booking. The customer user who booked gets one summary of all they
booked at once (`bookings_summary_send`). Replies to either go to the customer's KA/KAM."""

from collections.abc import Iterable
from email.mime.text import MIMEText
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMessage
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from background.mail import about_label, mail_delivered, mail_failed, mail_queue_written_later
from background.models import OutgoingMail
from health.models import AnswerStatus
from health.selectors import declaration_of
from portal.calendar import METHOD_CANCEL, METHOD_REQUEST, booking_ics
from portal.formatting import format_datetime
from portal.links import absolute_url
from portal.models import Booking

from .booking_links import booking_link_make, booking_link_token
from .notifications import customer_contact, customer_reply_to, mail_to_user

EMPLOYEE_LANGUAGE = "nb"


class BookingMail(StrEnum):
    BOOKED = "booked"
    CHANGED = "changed"
    CANCELLED = "cancelled"


TEMPLATES = {
    BookingMail.BOOKED: "portal/email/booking_confirmed.txt",
    BookingMail.CHANGED: "portal/email/booking_changed.txt",
    BookingMail.CANCELLED: "portal/email/booking_cancelled.txt",
}


def booking_mail_schedule(*, booking: Booking, kind: BookingMail) -> OutgoingMail:
    """Queue the mail with the booking: a rolled-back booking is never announced. The worker
    writes it (`booking_mail_write`) when it sends it."""
    return mail_queue_written_later(
        writer="portal.services.booking_mail.booking_mail_write",
        about=booking,
        booking_id=booking.pk,
        kind=str(kind),
    )


def booking_mail_write(*, booking_id: int, kind: str) -> EmailMessage:
    booking = (
        Booking.objects.select_related(
            "employee",
            "appointment__order__product_group",
            "appointment__order__department__customer__account_manager",
            "health_declaration",
        )
        .defer("health_declaration__answers_encrypted")
        .get(pk=booking_id)
    )
    return booking_mail_render(booking=booking, kind=BookingMail(kind))


def _summary(booking: Booking) -> str:
    group = booking.appointment.order.product_group
    what = group.name if group else _("Appointment")
    return f"{what} – {settings.PORTAL_PROVIDER_NAME}"


def _when(value) -> str:
    """'tirsdag 12.05.2026 kl. 08:00' (with Norwegian active)."""
    local = timezone.localtime(value)
    return _("%(day)s at %(time)s") % {
        "day": dateformat.format(local, "l d.m.Y"),
        "time": dateformat.format(local, "H:i"),
    }


def appointment_times(appointment) -> dict[str, str]:
    """The appointment's «when» (day and start) and «ends» (the end's time), as mails write
    them."""
    return {
        "when": _when(appointment.starts_at),
        "ends": dateformat.format(timezone.localtime(appointment.ends_at), "H:i"),
    }


def employee_mail_context(booking: Booking) -> dict:
    """What every mail to the booked employee says of the appointment, in the active
    language, with the link to their own page for the booking («Jeg kommer», «Bytt tid», …)."""
    appointment = booking.appointment
    return {
        "employee": booking.employee,
        "appointment": appointment,
        "provider": settings.PORTAL_PROVIDER_NAME,
        "summary": _summary(booking),
        **appointment_times(appointment),
        "instructions": appointment.instructions
        or _("Valid photo ID. Please come five minutes before your appointment."),
        "link": booking_link_make(booking),
        "declaration_link": _declaration_link(booking),
    }


def _declaration_link(booking: Booking) -> str:
    """The link to the health declaration's form while it waits for the employee's answers
    (fetch the booking with `select_related("health_declaration")`); never an answer."""
    declaration = declaration_of(booking)
    if declaration is None or declaration.status == AnswerStatus.SUBMITTED:
        return ""
    return absolute_url(reverse("health_declaration_form", args=[booking_link_token(booking)]))


def booking_mail_render(*, booking: Booking, kind: BookingMail) -> EmailMessage:
    """The message for the employee, in Norwegian whatever the sender's language."""
    appointment, employee = booking.appointment, booking.employee
    with translation.override(EMPLOYEE_LANGUAGE):
        context = {
            **employee_mail_context(booking),
            "booking": booking,
            "customer": appointment.order.department.customer.name,
            "deadline": format_datetime(appointment.booking_deadline),
        }
        if kind == BookingMail.CANCELLED:
            context["link"] = context["declaration_link"] = ""  # nothing left to answer
        subject = {
            BookingMail.BOOKED: _("Appointment %(when)s: %(summary)s"),
            BookingMail.CHANGED: _("Changed appointment %(when)s: %(summary)s"),
            BookingMail.CANCELLED: _("Cancelled appointment %(when)s: %(summary)s"),
        }[kind] % {"when": context["when"], "summary": context["summary"]}
        body = render_to_string(TEMPLATES[kind], context)
        description = _("%(summary)s for %(customer)s. Bring: %(instructions)s") % context
    method = METHOD_CANCEL if kind == BookingMail.CANCELLED else METHOD_REQUEST
    ics = booking_ics(
        booking=booking, summary=context["summary"], description=description, method=method
    )
    # The employee's questions go to the customer's KA/KAM (or customer service).
    reply_to = customer_reply_to(appointment.order.department.customer)
    message = EmailMessage(subject=subject, body=body, to=[employee.email], reply_to=reply_to)
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="timeavtale.ics")
    message.attach(part)
    return message


def bookings_summary_send(
    *, bookings: list[Booking], actor, not_booked: Iterable[tuple[str, str]] = ()
) -> None:
    """One mail to the customer user who booked `bookings` (of one order): who is on which
    appointment, when and where, and whom they could not book and why. Nothing about the
    employees but their names."""
    if not bookings:
        return
    order = bookings[0].appointment.order
    customer = order.department.customer
    appointments: dict[int, dict] = {}
    for booking in sorted(
        bookings,
        key=lambda b: (b.appointment.starts_at, b.appointment.pk, b.employee.last_name),
    ):
        appointment = booking.appointment
        entry = appointments.setdefault(
            appointment.pk,
            {
                **appointment_times(appointment),
                "location": appointment.location,
                "employees": [],
            },
        )
        entry["employees"].append(booking.employee.full_name)
    count = len(bookings)
    mail_to_user(
        user=actor,
        subject=ngettext(
            "%(count)s employee booked on order %(number)s",
            "%(count)s employees booked on order %(number)s",
            count,
        )
        % {"count": count, "number": order.number},
        template="portal/email/bookings_summary.txt",
        context={
            "count": count,
            "number": order.number,
            "summary": _summary(bookings[0]),
            "appointments": list(appointments.values()),
            "not_booked": list(not_booked),
            "contact": customer_contact(customer),
            "provider": settings.PORTAL_PROVIDER_NAME,
        },
        link=order.get_absolute_url(),
        reply_to=customer_reply_to(customer),
    )


@receiver(mail_failed, sender=OutgoingMail)
def _booking_mail_failed(sender, mail: OutgoingMail, **kwargs):
    if mail.about_type == about_label(Booking) and mail.about_id is not None:
        Booking.objects.filter(pk=mail.about_id).update(mail_failed_at=timezone.now())


@receiver(mail_delivered, sender=OutgoingMail)
def _booking_mail_delivered(sender, mail: OutgoingMail, **kwargs):
    if mail.about_type == about_label(Booking) and mail.about_id is not None:
        Booking.objects.filter(pk=mail.about_id, mail_failed_at__isnull=False).update(
            mail_failed_at=None
        )
