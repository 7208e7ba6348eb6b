"""Forms of the appointment pages: the series, the staff's appointment form and the dialogs
that book, take off and record attendance. Choices come from `permissions.scoping`."""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminSingleTimeWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from health.selectors import bookings_to_remind
from permissions.capabilities import Capability
from permissions.policies import ORDERS
from permissions.scoping import is_unscoped
from portal.admin.actions import fetched_once
from portal.admin.bookings import seats_text
from portal.admin.versions import VersionedFormMixin
from portal.formatting import format_date, order_label
from portal.models import Appointment, Booking, Employee
from portal.models.appointments import Attendance
from portal.selectors.appointments import (
    appointment_for,
    bookable_employees,
    cancellable_bookings,
)
from portal.text import TextGuardFormMixin

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M"]


class DateInput(UnfoldAdminSingleDateWidget):
    """The browser's own date picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(UnfoldAdminSingleTimeWidget):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _date_field(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput,
        help_text=help_text,
    )


def _time_field(label, required=True):
    return forms.TimeField(
        label=label, required=required, input_formats=TIME_INPUT_FORMATS, widget=TimeInput
    )


def _number_field(label, *, initial, min_value, max_value, help_text=""):
    return forms.IntegerField(
        label=label,
        initial=initial,
        min_value=min_value,
        max_value=max_value,
        help_text=help_text,
        widget=UnfoldAdminIntegerFieldWidget,
    )


class AppointmentSeriesForm(TextGuardFormMixin, forms.Form):
    """«Lag timeserie»: every N minutes from … to … on a day (or every weekday to a last day),
    skipping the lunch break."""

    order = forms.IntegerField(
        label=_("Order number"),
        widget=UnfoldAdminIntegerFieldWidget,
        help_text=_("The health check order the appointments belong to."),
    )
    first_date = _date_field(_("Date"))
    last_date = _date_field(
        _("Last date"),
        required=False,
        help_text=_("Optional: the same times on every weekday up to this date."),
    )
    start = _time_field(_("From"))
    end = _time_field(_("To"))
    every_minutes = _number_field(
        _("Every (minutes)"),
        initial=20,
        min_value=5,
        max_value=480,
        help_text=_("Each appointment lasts this long; the next starts when it ends."),
    )
    lunch_start = _time_field(_("Lunch break from"), required=False)
    lunch_end = _time_field(_("Lunch break to"), required=False)
    location = forms.CharField(
        label=_("Location"), max_length=200, widget=UnfoldAdminTextInputWidget
    )
    capacity = _number_field(_("Seats per appointment"), initial=1, min_value=1, max_value=500)
    closes_hours_before = _number_field(
        _("Booking closes (hours before)"),
        initial=24,
        min_value=0,
        max_value=24 * 60,
        help_text=_("Customers cannot book or cancel after that; late cancellations are charged."),
    )
    instructions = forms.CharField(
        label=_("What to bring"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=_("Told to the booked employee in the e-mail. Never any health information."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_order(self):
        number = self.cleaned_data["order"]
        order = (
            ORDERS.instances_for(self.user, Capability.VIEW_ORDERS).filter(number=number).first()
        )
        if order is None:
            raise ValidationError(_("There is no order %(number)s.") % {"number": number})
        return order

    def clean_first_date(self):
        first_date = self.cleaned_data["first_date"]
        if first_date < timezone.localdate():
            raise ValidationError(_("The date has passed."))
        return first_date


class AppointmentForm(VersionedFormMixin, TextGuardFormMixin, forms.ModelForm):
    """The staff's form for one appointment; the service checks the same rules again."""

    class Meta:
        model = Appointment
        fields = (
            "order",
            "starts_at",
            "ends_at",
            "location",
            "capacity",
            "booking_deadline",
            "instructions",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = self.fields.get("order")
        if isinstance(order, forms.ModelChoiceField):  # the chosen one as the picker names it
            order.queryset = order.queryset.select_related("department__customer", "product_group")
            order.label_from_instance = order_label
        if "booking_deadline" in self.fields:
            self.fields["booking_deadline"].required = False
            self.fields["booking_deadline"].help_text = _(
                "Customers cannot book or cancel after this. Empty: when the appointment starts."
            )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and not cleaned.get("booking_deadline"):
            cleaned["booking_deadline"] = starts
        deadline = cleaned.get("booking_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The appointment must end after it starts."))
        if starts and deadline and deadline > starts:
            self.add_error(
                "booking_deadline", _("Booking must close before the appointment starts.")
            )
        moved = self.instance.pk is None or starts != self.instance.starts_at
        if starts and moved and starts <= timezone.now():
            self.add_error("starts_at", _("The appointment must start in the future."))
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            booked = self.instance.bookings.holding_seats().count()
            if capacity < booked:
                self.add_error(
                    "capacity",
                    ngettext(
                        "%(count)d employee is booked; take them off before lowering the seats.",
                        "%(count)d employees are booked; take some off before lowering the seats.",
                        booked,
                    )
                    % {"count": booked},
                )
        return cleaned


# -- the dialogs on an appointment's page ---------------------------------------------------


class _AppointmentDialogForm(BaseDialogForm):
    """A dialog about one appointment, fetched through the user's scope."""

    form_before_template = "portal/appointments/dialog_appointment.html"

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        self.appointment = fetched_once(request, appointment_for_dialog, object_id)

    def get_before_template_context(self, request, object_id=None):
        appointment = self.appointment
        return {
            "appointment": appointment,
            "seats": seats_text(appointment) if appointment is not None else "",
            "is_staff": is_unscoped(request.user, Capability.BOOK_EMPLOYEES),
            "deadline_passed": appointment is not None
            and timezone.now() >= appointment.booking_deadline,
        }


def appointment_for_dialog(request, object_id) -> Appointment | None:
    return appointment_for(request.user, object_id)


def employee_choice_label(employee) -> str:
    """'Donald Duck – Bergen TEST': namesakes among thousands told apart by department."""
    return f"{employee.full_name} – {employee.department.name}"


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return employee_choice_label(obj)


class BookableEmployeeAutocomplete(AutocompleteSelect):
    """The employee found by typing (a customer may have 25,000), asked of the appointment's
    own list of bookable employees; the admin's select2, started in the dialog as it opens
    (portal/dialog_autocomplete.js). Only the chosen employee is rendered."""

    def __init__(self, url: str):
        super().__init__(
            Booking._meta.get_field("employee"),
            admin.site,
            attrs={"class": "unfold-filter-autocomplete", "data-dropdown-parent": "#dialog"},
        )
        self.url = url

    def get_url(self):
        return self.url


class BookingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.employee.full_name


class BookEmployeeForm(_AppointmentDialogForm):
    employee = EmployeeChoiceField(
        label=_("Employee"), queryset=Employee.objects.none(), widget=UnfoldAdminSelectWidget
    )

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        if self.appointment is not None:
            url = reverse("admin:portal_appointment_bookable_employees", args=[self.appointment.pk])
            self.fields["employee"] = EmployeeChoiceField(
                label=_("Employee"),
                queryset=bookable_employees(request.user, self.appointment),
                widget=BookableEmployeeAutocomplete(url),
            )


class UnbookEmployeeForm(_AppointmentDialogForm):
    booking = BookingChoiceField(
        label=_("Employee"), queryset=Booking.objects.none(), widget=UnfoldAdminSelectWidget
    )

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        if self.appointment is not None:
            allowed = [b.pk for b in cancellable_bookings(request.user, self.appointment)]
            self.fields["booking"].queryset = (
                Booking.objects.filter(pk__in=allowed)
                .select_related("employee")
                .order_by("employee__last_name", "employee__first_name")
            )


class AttendanceForm(_AppointmentDialogForm):
    booking = BookingChoiceField(
        label=_("Employee"), queryset=Booking.objects.none(), widget=UnfoldAdminSelectWidget
    )
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=[
            (Attendance.ATTENDED, Attendance.ATTENDED.label),
            (Attendance.NO_SHOW, Attendance.NO_SHOW.label),
            (Attendance.BOOKED, _("Not recorded")),
        ],
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        if self.appointment is not None:
            self.fields["booking"].queryset = (
                self.appointment.bookings.holding_seats()
                .select_related("employee")
                .order_by("employee__last_name", "employee__first_name")
            )


class CancelAppointmentForm(_AppointmentDialogForm):
    pass


class ReminderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        reminded = obj.health_declaration.customer_reminded_at
        if reminded is None:
            return obj.employee.full_name
        return _("%(name)s (reminder sent %(date)s)") % {
            "name": obj.employee.full_name,
            "date": format_date(timezone.localtime(reminded)),
        }


class DeclarationReminderForm(_AppointmentDialogForm):
    booking = ReminderChoiceField(
        label=_("Employee"), queryset=Booking.objects.none(), widget=UnfoldAdminSelectWidget
    )

    def get_before_template_context(self, request, object_id=None):
        """The appointment, without what booking and taking off are about."""
        context = super().get_before_template_context(request, object_id)
        return {**context, "without_booking_note": True}

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        if self.appointment is not None:
            allowed = [b.pk for b in bookings_to_remind(request.user, self.appointment)]
            self.fields["booking"].queryset = (
                Booking.objects.filter(pk__in=allowed)
                .select_related("employee", "health_declaration")
                .defer("health_declaration__answers_encrypted")
                .order_by("employee__last_name", "employee__first_name")
            )


def series_initial(request) -> dict:
    """The series form's first values: the order from ?order=<id>, tomorrow's date."""
    initial = {"first_date": timezone.localdate() + datetime.timedelta(days=1)}
    order_id = request.GET.get("order", "")
    if order_id.isdigit():
        order = (
            ORDERS.instances_for(request.user, Capability.VIEW_ORDERS).filter(pk=order_id).first()
        )
        if order is not None:
            initial["order"] = order.number
    return initial
