"""«Book på timeavtaler»: select employees in the employee list, choose an order, then choose
each employee's appointment in a grid (pre-filled with a suggestion: the employee's own place,
then the earliest time); nothing is booked before «Bekreft booking». A result page says who
got which time and who got none, and why.

`BookOnAppointmentsMixin` gives the employee list its action; `BookingViewsMixin` gives the
appointment admin the three pages (choose the order, the grid, the result). The selection and
the result travel in the session, so the pages are plain GETs after a POST.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.widgets import UnfoldAdminRadioSelectWidget

from permissions.capabilities import Capability
from permissions.policies import BOOKINGS, EMPLOYEES, ORDERS
from portal import services
from portal.formatting import format_date
from portal.models import Appointment, Booking, Employee, Order
from portal.selectors.bookings import free_appointments, may_book_anywhere
from portal.services.booking_invitations import invitations_for
from portal.services.bookings import (
    appointment_is_near,
    bookable_appointments,
    bookings_suggest,
    order_may_be_booked_by,
)

SELECTION_KEY = "portal_booking_selection"
RESULT_KEY = "portal_booking_result"
MAX_SELECTION = 500


class BookOnAppointmentsMixin:
    """For the employee list: the action «Book på timeavtaler» on the selected employees."""

    def has_book_on_appointments_permission(self, request):
        return may_book_anywhere(request.user)

    @admin.action(description=_("Book on appointments"), permissions=["book_on_appointments"])
    def book_on_appointments(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True)[: MAX_SELECTION + 1])
        if len(ids) > MAX_SELECTION:
            messages.error(
                request,
                _("Select at most %(max)d employees at a time.") % {"max": MAX_SELECTION},
            )
            return None
        request.session[SELECTION_KEY] = ids
        return redirect("admin:portal_appointment_book")


# -- choosing the order ---------------------------------------------------------------------


class OrderChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, summaries, **kwargs):
        self.summaries = summaries
        super().__init__(*args, **kwargs)

    def label_from_instance(self, order):
        first, last, free = self.summaries[order.pk]
        group = order.product_group or "–"
        first, last = format_date(timezone.localtime(first)), format_date(timezone.localtime(last))
        dates = first if first == last else f"{first}–{last}"
        return ngettext(
            "%(number)s %(group)s: %(dates)s, %(free)d free seat",
            "%(number)s %(group)s: %(dates)s, %(free)d free seats",
            free,
        ) % {"number": order.number, "group": group, "dates": dates, "free": free}


class BookOnAppointmentsForm(forms.Form):
    def __init__(self, *args, user, customer_ids, **kwargs):
        super().__init__(*args, **kwargs)
        summaries = {}
        for order_id, starts_at, free in free_appointments(user, customer_ids).values_list(
            "order_id", "starts_at", F("capacity") - F("booked_count")
        ):
            first, last, total = summaries.get(order_id, (starts_at, starts_at, 0))
            summaries[order_id] = (min(first, starts_at), max(last, starts_at), total + free)
        self.fields["order"] = OrderChoiceField(
            label=_("Order number"),
            queryset=Order.objects.filter(pk__in=summaries)
            .select_related("product_group")
            .order_by("-order_date", "-number"),
            summaries=summaries,
            widget=UnfoldAdminRadioSelectWidget,
            empty_label=None,
            help_text=_(
                "Next you choose each employee's appointment. Nothing is booked before you confirm."
            ),
        )


class BookingViewsMixin:
    """For the appointment admin: the pages of «Book på timeavtaler»."""

    def booking_view_urls(self):
        return [
            path(
                "book/", self.admin_site.admin_view(self.book_view), name="portal_appointment_book"
            ),
            path(
                "book/<int:order_id>/",
                self.admin_site.admin_view(self.book_grid_view),
                name="portal_appointment_book_grid",
            ),
            path(
                "book/<int:order_id>/invitations/",
                self.admin_site.admin_view(self.book_invitations_view),
                name="portal_appointment_book_invitations",
            ),
            path(
                "book/result/",
                self.admin_site.admin_view(self.book_result_view),
                name="portal_appointment_book_result",
            ),
        ]

    def _selected_employees(self, request):
        ids = [pk for pk in request.session.get(SELECTION_KEY, []) if isinstance(pk, int)]
        queryset = Employee.objects.filter(pk__in=ids).select_related("department")
        return list(
            EMPLOYEES.narrow(queryset, request.user, Capability.BOOK_EMPLOYEES).order_by(
                "last_name", "first_name", "pk"
            )
        )

    def book_view(self, request):
        if not may_book_anywhere(request.user):
            raise PermissionDenied
        employees = self._selected_employees(request)
        if not employees:
            messages.info(request, _("Select the employees to book in the employee list first."))
            return redirect("admin:portal_employee_changelist")
        form = BookOnAppointmentsForm(
            request.POST or None,
            user=request.user,
            customer_ids={e.customer_id for e in employees},
        )
        if request.method == "POST" and form.is_valid():
            return redirect("admin:portal_appointment_book_grid", form.cleaned_data["order"].pk)
        return TemplateResponse(
            request,
            "portal/appointments/book_employees.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Book on appointments"),
                "form": form,
                "employees": employees,
                "opts": self.opts,
            },
        )

    def _bookable_order(self, request, order_id) -> Order:
        """The order the user may book on; one answer for an order that does not exist and
        one the user may not book on."""
        if not may_book_anywhere(request.user):
            raise PermissionDenied
        order = Order.objects.select_related("department").filter(pk=order_id).first()
        if order is None or not order_may_be_booked_by(request.user, order):
            raise PermissionDenied
        return order

    def book_grid_view(self, request, order_id):
        """One row per selected employee with a choice of the order's appointments, the
        employee's own place first, pre-filled with a suggestion; «Bekreft booking» books
        exactly what the rows say."""
        order = self._bookable_order(request, order_id)
        employees = [
            e
            for e in self._selected_employees(request)
            if e.customer_id == order.department.customer_id
        ]
        if not employees:
            messages.info(request, _("Select the employees to book in the employee list first."))
            return redirect("admin:portal_employee_changelist")
        if request.method == "POST" and "invite" in request.POST:
            return self._invite(request, order, employees)
        if request.method == "POST":
            return self._book_chosen(request, order, employees)
        appointments = list(bookable_appointments(order=order, actor=request.user))
        suggestion = bookings_suggest(
            order=order, employees=employees, actor=request.user, appointments=appointments
        )
        existing = {
            b.employee_id: b
            for b in Booking.objects.holding_seats()
            .filter(appointment__order=order, employee__in=employees)
            .select_related("appointment")
        }
        rows = []
        for employee in employees:
            # `appointments` come in time order, so each group keeps it.
            near = [a for a in appointments if appointment_is_near(a, employee.department)]
            rows.append(
                {
                    "employee": employee,
                    "existing": existing.get(employee.pk),
                    "suggested": suggestion.get(employee.pk),
                    "near": near,
                    "others": [a for a in appointments if a not in near],
                }
            )
        return TemplateResponse(
            request,
            "portal/appointments/book_grid.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Choose the appointments"),
                "order": order,
                "rows": rows,
                "appointments": appointments,
                "opts": self.opts,
            },
        )

    def _invite(self, request, order, employees):
        """«La de ansatte velge selv»: each employee gets a mail with a link to choose."""
        try:
            invited, skipped = services.bookings_invite(
                order=order, employees=employees, actor=request.user
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("admin:portal_appointment_book_grid", order.pk)
        if invited:
            messages.success(
                request,
                ngettext(
                    "%(count)d employee was sent a link to choose their appointment.",
                    "%(count)d employees were sent a link to choose their appointment.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
        for employee, reason in skipped:
            messages.warning(request, f"{employee.full_name}: {reason}")
        request.session.pop(SELECTION_KEY, None)
        return redirect("admin:portal_appointment_book_invitations", order.pk)

    def book_invitations_view(self, request, order_id):
        """Who of the invited employees has chosen and who has not; «Send påminnelse» sends
        the link again to those who have not."""
        order = self._bookable_order(request, order_id)
        if request.method == "POST":
            reminded = services.invitations_remind(order=order, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)d employee was reminded.",
                    "%(count)d employees were reminded.",
                    len(reminded),
                )
                % {"count": len(reminded)},
            )
            return redirect("admin:portal_appointment_book_invitations", order.pk)
        bookings = {
            b.employee_id: b
            for b in Booking.objects.holding_seats()
            .filter(appointment__order=order)
            .select_related("appointment")
        }
        rows = [
            {"invitation": invitation, "booking": bookings.get(invitation.employee_id)}
            for invitation in invitations_for(order, request.user)
        ]
        return TemplateResponse(
            request,
            "portal/appointments/book_invitations.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Employees choosing their appointment"),
                "order": order,
                "rows": rows,
                "waiting": sum(1 for row in rows if row["booking"] is None),
                "opts": self.opts,
            },
        )

    def _book_chosen(self, request, order, employees):
        wanted = {}
        for employee in employees:
            value = request.POST.get(f"appointment-{employee.pk}", "")
            wanted[employee.pk] = int(value) if value.isdigit() else None
        appointments = Appointment.objects.filter(
            order=order, pk__in=[pk for pk in wanted.values() if pk]
        ).in_bulk()
        choices = [(e, appointments.get(wanted[e.pk])) for e in employees]
        try:
            placements = services.bookings_book_chosen(
                order=order, choices=choices, actor=request.user
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("admin:portal_appointment_book_grid", order.pk)
        request.session[RESULT_KEY] = {
            "order": order.pk,
            "rows": [
                {
                    "employee": p.employee.pk,
                    "booking": p.booking.pk if p.booking else None,
                    "already": p.already,
                    "reason": str(p.reason),
                }
                for p in placements
            ],
        }
        request.session.pop(SELECTION_KEY, None)
        return redirect("admin:portal_appointment_book_result")

    def book_result_view(self, request):
        if not may_book_anywhere(request.user):
            raise PermissionDenied
        result = request.session.get(RESULT_KEY)
        if not result:
            return redirect("admin:portal_appointment_changelist")
        bookings = {
            b.pk: b
            for b in BOOKINGS.narrow(
                Booking.objects.filter(pk__in=[r["booking"] for r in result["rows"]]),
                request.user,
                Capability.VIEW_ORDERS,
            ).select_related("appointment")
        }
        employees = {
            e.pk: e
            for e in EMPLOYEES.narrow(
                Employee.objects.filter(pk__in=[r["employee"] for r in result["rows"]]),
                request.user,
                Capability.BOOK_EMPLOYEES,
            )
        }
        rows = [
            {**row, "employee": employees[row["employee"]], "booking": bookings.get(row["booking"])}
            for row in result["rows"]
            if row["employee"] in employees
        ]
        order = (
            ORDERS.instances_for(request.user, Capability.VIEW_ORDERS)
            .filter(pk=result["order"])
            .first()
        )
        placed = sum(1 for row in rows if row["booking"] and not row["already"])
        return TemplateResponse(
            request,
            "portal/appointments/book_result.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Booked on appointments"),
                "rows": rows,
                "order": order,
                "placed": placed,
                "unplaced": sum(1 for row in rows if not row["booking"]),
                "opts": self.opts,
            },
        )
