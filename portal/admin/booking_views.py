"""«Book på timeavtaler»: select employees in the employee list, choose an order, and they
are placed into the order's free appointments in time order; a result page says who got
which time and who got none.

`BookOnAppointmentsMixin` gives the employee list its action; `BookingViewsMixin` gives the
appointment admin the two pages (choose the order, see the result). The selection and the
result travel in the session, so the pages are plain GETs after a POST.
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
from portal.models import Booking, Employee, Order
from portal.selectors.bookings import free_appointments, may_book_anywhere

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
                "The employees are placed into the order's free appointments, earliest first."
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
            order = form.cleaned_data["order"]
            try:
                placements = services.bookings_place(
                    order=order, employees=employees, actor=request.user
                )
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
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
