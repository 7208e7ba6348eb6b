"""Reminders: the booked employee's e-mail and SMS the day before, HR's daily summary of the
next week's bookings not yet confirmed by the employee, and the employee's one reminder of a
health declaration not yet submitted three days before.

`reminders_run` does one pass: it finds what is due and queues it (mails through
`background.mail`, SMS through `background.sms`). Every worker runs it every
PORTAL_REMINDERS_EVERY seconds (`background.worker`), and `manage.py send_reminders` runs it
once (for cron). Each reminder is claimed by inserting its row (`BookingReminder`,
`HrSummarySent`) in the transaction that queues it: a second worker's insert fails on the
unique constraint and that worker moves on, so nothing goes out twice.
"""

import datetime
import logging
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from background.mail import mail_queue
from background.sms import sms_queue
from portal.models import Booking, BookingReminder, HrSummarySent, ReminderKind
from portal.selectors.reminders import (
    bookings_due_declaration_reminder,
    bookings_due_reminder,
    bookings_for_hr_summaries,
)

from .booking_mail import EMPLOYEE_LANGUAGE, appointment_times, employee_mail_context
from .notifications import customer_contact, customer_reply_to, mail_to_user

logger = logging.getLogger(__name__)

HR_SUMMARY_DAYS = 7


@dataclass
class ReminderPass:
    emails: int = 0
    sms: int = 0
    summaries: int = 0
    declarations: int = 0


def reminders_run(*, now: datetime.datetime | None = None) -> ReminderPass:
    """One pass: the employees' reminders that are due, then HR's summaries."""
    now = now or timezone.now()
    done = ReminderPass()
    done.emails, done.sms = booking_reminders_send(now=now)
    done.summaries = hr_summaries_send(now=now)
    done.declarations = declaration_reminders_send(now=now)
    if done.emails or done.sms or done.summaries or done.declarations:
        logger.info(
            "Reminders queued: %s e-mail(s), %s SMS, %s HR summary(ies), "
            "%s health declaration reminder(s)",
            done.emails,
            done.sms,
            done.summaries,
            done.declarations,
        )
    return done


def _claim(model, **fields) -> bool:
    """Insert the row that says it is sent; False when another worker has it already. Call it
    inside the transaction that queues the message."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def booking_reminders_send(*, now: datetime.datetime) -> tuple[int, int]:
    """Queue the e-mail and SMS reminders due at `now`; how many of each."""
    hours = settings.PORTAL_REMINDER_HOURS_BEFORE
    emails = sms = 0
    for booking in bookings_due_reminder(now=now, hours_before=hours, kind=ReminderKind.EMAIL):
        with transaction.atomic():
            if _claim(BookingReminder, booking=booking, kind=ReminderKind.EMAIL, sent_at=now):
                _reminder_mail_queue(booking)
                emails += 1
    for booking in bookings_due_reminder(now=now, hours_before=hours, kind=ReminderKind.SMS):
        with transaction.atomic():
            if _claim(BookingReminder, booking=booking, kind=ReminderKind.SMS, sent_at=now):
                sms_queue(to=booking.employee.mobile, text=reminder_sms_text(booking))
                sms += 1
    return emails, sms


def _reminder_mail_queue(booking: Booking) -> None:
    """The reminder by e-mail, in Norwegian; replies go to the customer's KA/KAM."""
    customer = booking.appointment.order.department.customer
    with translation.override(EMPLOYEE_LANGUAGE):
        context = employee_mail_context(booking)
        subject = _("Reminder: appointment %(when)s: %(summary)s") % {
            "when": context["when"],
            "summary": context["summary"],
        }
        body = render_to_string("portal/email/booking_reminder.txt", context)
    mail_queue(
        to=[booking.employee.email],
        subject=subject,
        body=body,
        reply_to=customer_reply_to(customer),
        about=booking,
    )


def declaration_reminders_send(*, now: datetime.datetime) -> int:
    """Queue one reminder of the health declaration to each employee who has not submitted
    it PORTAL_DECLARATION_REMINDER_DAYS_BEFORE days before the appointment; how many."""
    days = settings.PORTAL_DECLARATION_REMINDER_DAYS_BEFORE
    sent = 0
    for booking in bookings_due_declaration_reminder(now=now, days_before=days):
        with transaction.atomic():
            kind = ReminderKind.HEALTH_DECLARATION
            if _claim(BookingReminder, booking=booking, kind=kind, sent_at=now):
                declaration_reminder_queue(booking)
                sent += 1
    return sent


def declaration_reminder_queue(booking: Booking) -> None:
    """The link to the form and nothing of the answers (a draft's included). Also the one
    reminder the customer's HR may send (`health.reminders`)."""
    with translation.override(EMPLOYEE_LANGUAGE):
        context = employee_mail_context(booking)
        subject = _("Reminder: fill in the health declaration before %(when)s") % {
            "when": context["when"]
        }
        body = render_to_string("portal/email/declaration_reminder.txt", context)
    mail_queue(
        to=[booking.employee.email],
        subject=subject,
        body=body,
        reply_to=customer_reply_to(booking.appointment.order.department.customer),
        about=booking,
    )


def reminder_sms_text(booking: Booking) -> str:
    """Time, place, provider and a short instruction; nothing about the employee, and not the
    appointment's own instructions (free text, which could say more than an SMS should)."""
    appointment = booking.appointment
    start = timezone.localtime(appointment.starts_at)
    with translation.override(EMPLOYEE_LANGUAGE):
        return _(
            "Reminder: your appointment at %(provider)s is %(day)s at %(time)s, %(place)s. "
            "Bring valid photo ID. See the e-mail for details."
        ) % {
            "provider": settings.PORTAL_PROVIDER_NAME,
            "day": dateformat.format(start, "l d.m."),
            "time": dateformat.format(start, "H:i"),
            "place": appointment.location,
        }


def hr_summaries_send(*, now: datetime.datetime) -> int:
    """From PORTAL_HR_SUMMARY_HOUR (Oslo time) on, once a day: one mail to each HR user who
    booked someone in the next 7 days, listing those bookings; how many were queued."""
    local = timezone.localtime(now)
    if local.hour < settings.PORTAL_HR_SUMMARY_HOUR:
        return 0
    end = now + datetime.timedelta(days=HR_SUMMARY_DAYS)
    sent = 0
    bookings = bookings_for_hr_summaries(start=now, end=end, day=local.date())
    for booker, booked in groupby(bookings, key=attrgetter("booked_by")):
        with transaction.atomic():
            if _claim(HrSummarySent, recipient=booker, day=local.date(), sent_at=now):
                _hr_summary_queue(booker=booker, bookings=list(booked))
                sent += 1
    return sent


def _hr_summary_queue(*, booker, bookings: list[Booking]) -> None:
    lines = [
        {
            **appointment_times(booking.appointment),
            "location": booking.appointment.location,
            "employee": booking.employee.full_name,
        }
        for booking in bookings
    ]
    customers = {b.appointment.department.customer for b in bookings}
    customer = next(iter(customers)) if len(customers) == 1 else None
    count = len(bookings)
    mail_to_user(
        user=booker,
        subject=ngettext(
            "%(count)s booking in the next 7 days not yet confirmed by the employee",
            "%(count)s bookings in the next 7 days not yet confirmed by the employee",
            count,
        )
        % {"count": count},
        template="portal/email/hr_summary.txt",
        context={
            "bookings": lines,
            "contact": customer_contact(customer) if customer else _("our customer service"),
            "provider": settings.PORTAL_PROVIDER_NAME,
        },
        # the upcoming appointments, where customer users see their bookings
        link=reverse("admin:portal_appointment_changelist") + "?when=upcoming",
        reply_to=customer_reply_to(customer) if customer else (),
    )
