"""The employee's page for choosing their own appointment («La de ansatte velge selv»), from
the personal link in the invitation mail (`/velg-time/<token>/`): outside the admin, without
an account, mobile first, in the look of the booking page.

The token is the only authority (`portal.services.booking_invitations`). The page lists the
order's free times, the employee's own department's place first, and nothing else: not the
employee's or anyone else's details, not the company's, never a national id.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.lockout import client_ip
from portal.models import Appointment
from portal.services.booking_invitations import (
    ChoiceState,
    booking_choose_by_employee,
    choice_appointments,
    invitation_booking,
    invitation_from_link,
)
from portal.services.booking_links import booking_link_allowed, booking_link_path
from portal.services.bookings import appointments_for

from .employee_page import _contact, _posted_appointment, _slot, link_refused, page_render


def _choices(invitation) -> list[dict]:
    department = invitation.employee.department
    choices = []
    for appointment in appointments_for(department, choice_appointments(invitation)):
        free = appointment.free_seats()
        if free <= 0:
            continue
        choices.append(
            {
                "pk": appointment.pk,
                **_slot(appointment),
                "location": appointment.location,
                "free": free,
            }
        )
    return choices


@never_cache
@require_http_methods(["GET", "POST"])
def choice_page(request, token: str):
    if not booking_link_allowed(token, client_ip(request)):
        return link_refused(request, None)
    link = invitation_from_link(token)
    if link.state == ChoiceState.INVALID:
        return page_render(request, "refused.html", {"title": _("The link is not valid")}, 404)
    invitation = link.invitation
    assert invitation is not None
    group = invitation.order.product_group
    context: dict = {
        "title": _("Choose your appointment"),
        "summary": group.name if group else _("Appointment"),
        "token": token,
        "state": str(link.state),
    }
    booking = invitation_booking(invitation)
    if booking is not None:
        context["booking"] = {
            **_slot(booking.appointment),
            "location": booking.appointment.location,
            "url": booking_link_path(booking),
        }
        return page_render(request, "choose.html", context)
    if not link.is_valid:
        context["booker"] = _contact(invitation.invited_by)
        return page_render(request, "choose.html", context)
    error, status = "", 200
    if request.method == "POST":
        target = _posted_appointment(request, Appointment.objects.filter(order=invitation.order))
        if target is None:
            error, status = _("Choose one of the times."), 400
        else:
            try:
                booking = booking_choose_by_employee(invitation=invitation, appointment=target)
            except ValidationError as refusal:
                if refusal.code == "already_chosen":
                    return redirect(reverse("choice_page", args=[token]))
                error = (
                    _("Full – please choose another time.")
                    if refusal.code == "full"
                    else " ".join(refusal.messages)
                )
                status = 409
            else:
                messages.success(
                    request,
                    _("Your appointment is booked. You will get an e-mail with the time."),
                )
                return redirect(booking_link_path(booking))
    context.update(choices=_choices(invitation), error=error)
    return page_render(request, "choose.html", context, status=status)
