"""The buttons of the appointment pages: «Lag timeserie» on the list, and on an appointment
book an employee, take one off, record attendance, cancel it. Each is shown only when the
step is allowed for this user and this appointment, opens a form or a dialog that posts,
and calls a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import action
from unfold.enums import ActionVariant

from health.reminders import declaration_remind
from health.selectors import bookings_to_remind
from permissions.capabilities import Capability
from permissions.scoping import is_unscoped
from portal import services
from portal.admin.actions import (
    action_dialog,
    fetched_once,
    redirect_back,
    run_service,
    show_refusal,
)
from portal.admin.appointment_forms import (
    AppointmentSeriesForm,
    AttendanceForm,
    BookEmployeeForm,
    CancelAppointmentForm,
    DeclarationReminderForm,
    UnbookEmployeeForm,
    appointment_for_dialog,
    employee_choice_label,
    series_initial,
)
from portal.admin.bookings import attendance_record
from portal.filters.employees import EmployeeFilterSet
from portal.models.appointments import Attendance
from portal.selectors.appointments import bookable_employees, cancellable_bookings
from portal.services.appointments import (
    appointments_may_be_changed_by,
    appointments_may_be_created_by,
)
from portal.services.bookings import (
    appointment_may_be_booked_by,
    booking_may_have_attendance_set_by,
)

BOOKABLE_PER_PAGE = 20  # employees per page of the «Book employee» autocomplete


def _bookings_to_remind(request, object_id):
    appointment = fetched_once(request, appointment_for_dialog, object_id)
    return bookings_to_remind(request.user, appointment) if appointment is not None else []


class AppointmentActionsMixin:
    """For the appointment admin: `actions_list = ["create_series"]` and `actions_detail =
    ["book_employee", "unbook_employee", "record_attendance", "remind_declaration",
    "cancel_appointment"]`."""

    # -- «Lag timeserie» ---------------------------------------------------------------------

    def has_create_series_permission(self, request, object_id=None):
        return appointments_may_be_created_by(request.user)

    @action(
        description=_("Create series"),
        url_path="series",
        icon="calendar_add_on",
        variant=ActionVariant.PRIMARY,
        permissions=["create_series"],
    )
    def create_series(self, request):
        form = AppointmentSeriesForm(
            request.POST or None, user=request.user, initial=series_initial(request)
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            order = data.pop("order")
            try:
                created = services.appointment_series_create(
                    order=order, actor=request.user, **data
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                first, last = created[0], created[-1]
                messages.success(
                    request,
                    ngettext(
                        "%(count)d appointment created for order %(number)s: %(first)s.",
                        "%(count)d appointments created for order %(number)s: "
                        "%(first)s to %(last)s.",
                        len(created),
                    )
                    % {
                        "count": len(created),
                        "number": order.number,
                        "first": first.time_range,
                        "last": last.time_range,
                    },
                )
                return redirect(reverse("admin:portal_order_change", args=[order.pk]))
        return TemplateResponse(
            request,
            "portal/appointments/series.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Create a series of appointments"),
                "form": form,
                "opts": self.opts,
            },
        )

    # -- the buttons on an appointment's page ------------------------------------------------

    def _appointment(self, request, object_id):
        return fetched_once(request, appointment_for_dialog, object_id)

    def has_book_employee_permission(self, request, object_id=None):
        appointment = self._appointment(request, object_id)
        if appointment is None or not appointment_may_be_booked_by(request.user, appointment):
            return False
        staff = is_unscoped(request.user, Capability.BOOK_EMPLOYEES)
        open_now = (
            appointment.ends_at > timezone.now() if staff else appointment.is_open_for_customers()
        )
        return (
            open_now
            and not appointment.is_cancelled
            and appointment.free_seats() > 0
            and bookable_employees(request.user, appointment).exists()
        )

    def has_unbook_employee_permission(self, request, object_id=None):
        appointment = self._appointment(request, object_id)
        return appointment is not None and bool(cancellable_bookings(request.user, appointment))

    def has_record_attendance_permission(self, request, object_id=None):
        appointment = self._appointment(request, object_id)
        return (
            appointment is not None
            and booking_may_have_attendance_set_by(request.user)
            and appointment.starts_at <= timezone.now()
            and appointment.bookings.holding_seats().exists()
        )

    def has_cancel_appointment_permission(self, request, object_id=None):
        appointment = self._appointment(request, object_id)
        return (
            appointment is not None
            and appointments_may_be_changed_by(request.user)
            and not appointment.is_cancelled
            and appointment.ends_at > timezone.now()
        )

    def _to_remind(self, request, object_id):
        """The bookings the user may remind of the declaration: asked once per request."""
        return fetched_once(request, _bookings_to_remind, object_id) or []

    def has_remind_declaration_permission(self, request, object_id=None):
        return bool(self._to_remind(request, object_id))

    def _back(self, request, object_id):
        return redirect_back(request, reverse("admin:portal_appointment_change", args=[object_id]))

    def bookable_employees_view(self, request, object_id):
        """«Book employee»: the employees still to book on the appointment that match what
        is typed, word by word, 20 at a time, for the dialog's autocomplete."""
        if not self.has_book_employee_permission(request, object_id):
            raise PermissionDenied
        employees = bookable_employees(request.user, self._appointment(request, object_id))
        term = request.GET.get("term", "")
        if term.strip():
            employees = EmployeeFilterSet().filter_text(employees, "text", term)
        page = Paginator(employees, BOOKABLE_PER_PAGE).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "results": [{"id": str(e.pk), "text": employee_choice_label(e)} for e in page],
                "pagination": {"more": page.has_next()},
            }
        )

    @action(
        description=_("Book employee"),
        url_path="book-employee",
        icon="person_add",
        variant=ActionVariant.PRIMARY,
        permissions=["book_employee"],
        dialog=action_dialog(
            _("Book employee"),
            _("The employee gets an e-mail with the time, place and a calendar entry."),
            submit=_("Book"),
            form_class=BookEmployeeForm,
        ),
    )
    def book_employee(self, request, form, object_id):
        employee = form.cleaned_data["employee"]
        run_service(
            request,
            services.booking_create,
            success=_("%(name)s is booked on %(time)s.")
            % {"name": employee.full_name, "time": form.appointment.time_range},
            appointment=form.appointment,
            employee=employee,
            actor=request.user,
            tell_booker=True,
        )
        return self._back(request, object_id)

    @action(
        description=_("Take employee off"),
        url_path="unbook-employee",
        icon="person_remove",
        permissions=["unbook_employee"],
        dialog=action_dialog(
            _("Take employee off"),
            _("The employee gets an e-mail that the appointment is cancelled."),
            submit=_("Take off"),
            form_class=UnbookEmployeeForm,
        ),
    )
    def unbook_employee(self, request, form, object_id):
        booking = form.cleaned_data["booking"]
        run_service(
            request,
            services.booking_cancel,
            success=_("%(name)s is taken off %(time)s.")
            % {"name": booking.employee.full_name, "time": form.appointment.time_range},
            booking=booking,
            actor=request.user,
        )
        return self._back(request, object_id)

    @action(
        description=_("Record attendance"),
        url_path="attendance",
        icon="how_to_reg",
        permissions=["record_attendance"],
        dialog=action_dialog(
            _("Record attendance"),
            _("Whether the employee came. Nothing else is recorded here."),
            submit=_("Save"),
            form_class=AttendanceForm,
        ),
    )
    def record_attendance(self, request, form, object_id):
        attendance_record(
            request, form.cleaned_data["booking"], Attendance(form.cleaned_data["attendance"])
        )
        return self._back(request, object_id)

    @action(
        description=_("Remind of health declaration"),
        url_path="declaration-reminder",
        icon="forward_to_inbox",
        permissions=["remind_declaration"],
        dialog=action_dialog(
            _("Remind of health declaration"),
            _(
                "The employee gets an e-mail with the link to the health declaration. One "
                "reminder can be sent per booking; you never see the answers."
            ),
            submit=_("Send reminder"),
            form_class=DeclarationReminderForm,
        ),
    )
    def remind_declaration(self, request, form, object_id):
        booking = form.cleaned_data["booking"]
        run_service(
            request,
            declaration_remind,
            success=_("A reminder of the health declaration is sent to %(name)s.")
            % {"name": booking.employee.full_name},
            booking=booking,
            actor=request.user,
        )
        return self._back(request, object_id)

    @action(
        description=_("Cancel appointment"),
        url_path="cancel",
        icon="event_busy",
        variant=ActionVariant.DANGER,
        permissions=["cancel_appointment"],
        dialog=action_dialog(
            _("Cancel appointment"),
            _("Everyone booked on it is taken off and told by e-mail. This cannot be undone."),
            form_class=CancelAppointmentForm,
        ),
    )
    def cancel_appointment(self, request, form, object_id):
        try:
            cancelled = services.appointment_cancel(
                appointment=form.appointment, actor=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The appointment is cancelled; %(count)d employee is told.",
                    "The appointment is cancelled; %(count)d employees are told.",
                    len(cancelled),
                )
                % {"count": len(cancelled)},
            )
        return self._back(request, object_id)
