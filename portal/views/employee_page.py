"""The employee's page for one booking, from the personal link in the booking mail
(`/timeavtale/<token>/`): outside the admin, without an account, mobile first.

The token is the only authority (`portal.services.booking_links`); every answer goes through
the booking services with `EMPLOYEE_VIA_LINK` as the actor. The page shows the appointment
(when, where, what to bring, the deadline) and the answers — nothing else about the employee,
their company or anyone else, and never a national id.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.lockout import client_ip
from health.models import AnswerStatus
from health.selectors import declaration_of
from portal.calendar import booking_ics
from portal.formatting import format_date, format_datetime
from portal.models import Appointment, Booking
from portal.services import booking_cancel_by_employee, booking_confirm_by_employee, booking_move
from portal.services.booking_links import (
    EMPLOYEE_VIA_LINK,
    BookingLink,
    LinkState,
    booking_from_link,
    booking_link_allowed,
)
from portal.services.bookings import booking_may_be_cancelled_by_employee, move_targets

TEMPLATES = "portal/employee_page/"


def _when(value) -> dict:
    local = timezone.localtime(value)
    return {
        "day": dateformat.format(local, "l d.m.Y"),
        "time": dateformat.format(local, "H:i"),
    }


def _slot(appointment) -> dict:
    """The appointment's day and time span as the pages show them."""
    starts, ends = _when(appointment.starts_at), _when(appointment.ends_at)
    return {"day": starts["day"], "time": f"{starts['time']}–{ends['time']}"}


def _contact(user) -> dict:
    """Whom to contact: a user's name and e-mail only, none when they are gone or inactive."""
    if user is None or not user.is_active:
        return {}
    return {"name": user.get_full_name() or user.get_username(), "email": user.email}


def _posted_appointment(request, appointments) -> Appointment | None:
    """The appointment of `appointments` the form posted, or None."""
    value = request.POST.get("appointment", "")
    return appointments.filter(pk=value).first() if value.isdigit() else None


def _instructions(appointment) -> str:
    return appointment.instructions or _(
        "Valid photo ID. Please come five minutes before your appointment."
    )


def _summary(booking) -> str:
    group = booking.appointment.order.product_group
    return group.name if group else _("Appointment")


def page_render(request, template: str, context: dict, status: int = 200):
    """A page in the employee page's look: `template` of this folder, or a path of its own."""
    context = {
        **admin.site.each_context(request),
        "provider": settings.PORTAL_PROVIDER_NAME,
        **context,
    }
    name = template if "/" in template else TEMPLATES + template
    return render(request, name, context, status=status)


def link_refused(request, link: BookingLink | None):
    """The page for a link that opens nothing (tampered, unknown) or too many requests."""
    if link is None:
        return page_render(
            request, "refused.html", {"title": _("Please try again later"), "throttled": True}, 429
        )
    return page_render(request, "refused.html", {"title": _("The link is not valid")}, 404)


def link_open(request, token: str) -> BookingLink | None:
    if not booking_link_allowed(token, client_ip(request)):
        return None
    return booking_from_link(token)


def page_url(token: str) -> str:
    return reverse("booking_page", args=[token])


def _valid_booking(request, token: str) -> Booking | HttpResponse:
    """The booking a link still valid opens, else the answer instead: refused for a link
    that opens nothing, back to the booking page for one that may only be looked at."""
    link = link_open(request, token)
    if link is None or link.state == LinkState.INVALID:
        return link_refused(request, link)
    if not link.is_valid:
        return redirect(page_url(token))
    assert link.booking is not None
    return link.booking


def _appointment_context(booking) -> dict:
    appointment = booking.appointment
    return {
        **_slot(appointment),
        "location": appointment.location,
        "map_url": "https://www.google.com/maps/search/?api=1&query="
        + quote(appointment.location, safe=""),
        "instructions": _instructions(appointment),
        "deadline": format_datetime(appointment.booking_deadline),
    }


def _declaration(booking) -> dict:
    """The health declaration's state for the page: to fill in, or received (and when)."""
    declaration = declaration_of(booking)
    if declaration is None:
        return {}
    if declaration.status == AnswerStatus.SUBMITTED:
        return {"received": format_date(timezone.localtime(declaration.submitted_at))}
    return {"to_fill_in": True}


@never_cache
def booking_page(request, token: str):
    link = link_open(request, token)
    if link is None or link.state == LinkState.INVALID:
        return link_refused(request, link)
    booking = link.booking
    assert booking is not None
    context = {
        "title": _summary(booking),
        "token": token,
        "state": str(link.state),
        **_appointment_context(booking),
    }
    if link.is_valid:
        now = timezone.now()
        context.update(
            declaration=_declaration(booking),
            confirmed_at=format_datetime(booking.employee_confirmed_at),
            may_cancel=booking_may_be_cancelled_by_employee(booking, now),
            may_move=booking.appointment.is_open_for_customers(now),
        )
    return page_render(request, "booking.html", context)


@never_cache
@require_POST
def booking_page_confirm(request, token: str):
    link = link_open(request, token)
    if link is None or link.state == LinkState.INVALID:
        return link_refused(request, link)
    if link.is_valid:
        assert link.booking is not None
        try:
            booking_confirm_by_employee(booking=link.booking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you! We have noted that you are coming."))
    return redirect(page_url(token))


@never_cache
@require_http_methods(["GET", "POST"])
def booking_page_cancel(request, token: str):
    """«Jeg kan ikke komme»: asks first; after the deadline shows whom to contact instead."""
    booking = _valid_booking(request, token)
    if isinstance(booking, HttpResponse):
        return booking
    may_cancel = booking_may_be_cancelled_by_employee(booking)
    if request.method == "POST" and may_cancel:
        try:
            booking_cancel_by_employee(booking=booking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The appointment is cancelled. The one who booked you has been told.")
            )
            return redirect(page_url(token))
        may_cancel = False
    return page_render(
        request,
        "cancel.html",
        {
            "title": _("I cannot come"),
            "token": token,
            "may_cancel": may_cancel,
            "booker": {} if may_cancel else _contact(booking.booked_by),
            **_appointment_context(booking),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def booking_page_move(request, token: str):
    """«Bytt tid»: the other free times of the same order at the same place."""
    booking = _valid_booking(request, token)
    if isinstance(booking, HttpResponse):
        return booking
    error = ""
    if request.method == "POST":
        target = _posted_appointment(request, Appointment.objects.only("pk"))
        if target is None:
            error = _("Choose one of the times.")
        else:
            try:
                booking_move(booking=booking, appointment=target, actor=EMPLOYEE_VIA_LINK)
            except ValidationError as refusal:
                error = (
                    _("That time was just taken – please choose another time.")
                    if refusal.code == "full"
                    else " ".join(refusal.messages)
                )
            else:
                messages.success(
                    request,
                    _("Your appointment is changed. You will get an e-mail with the new time."),
                )
                return redirect(page_url(token))
    choices = (
        [{"pk": a.pk, **_slot(a)} for a in move_targets(booking=booking)]
        if booking.appointment.is_open_for_customers()
        else []
    )
    return page_render(
        request,
        "move.html",
        {
            "title": _("Change time"),
            "token": token,
            "choices": choices,
            "error": error,
            **_appointment_context(booking),
        },
        status=400 if error else 200,
    )


@never_cache
def booking_page_calendar(request, token: str):
    """«Legg i kalender»: this booking's calendar entry (the same UID as the mails')."""
    booking = _valid_booking(request, token)
    if isinstance(booking, HttpResponse):
        return booking
    summary = f"{_summary(booking)} – {settings.PORTAL_PROVIDER_NAME}"
    instructions = _instructions(booking.appointment)
    ics = booking_ics(
        booking=booking, summary=summary, description=_("Bring: %(b)s") % {"b": instructions}
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="timeavtale.ics"'
    return response
