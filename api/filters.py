"""`updated_since`: what a synchronising system asks for, on every row with a time of change."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.filters.fields import MAX_BIGINT
from portal.models import Appointment, Booking, Employee, Order


class UpdatedSinceFilterSet(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Changed at or after this time (ISO 8601, e.g. 2026-12-01T00:00:00+01:00)"),
    )


class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number the database can hold, or 400 naming the parameter."""

    field_class = forms.IntegerField


def _id_filter(field: str) -> IdFilter:
    """A plain id: an id the caller may not see filters to nothing, as one that does not
    exist (a choice filter would answer 400 for one and not for the other)."""
    return IdFilter(field_name=f"{field}_id", min_value=1, max_value=MAX_BIGINT)


class OrderFilterSet(UpdatedSinceFilterSet):
    department = _id_filter("department")

    class Meta:
        model = Order
        fields = ("department", "status", "state")


class EmployeeFilterSet(UpdatedSinceFilterSet):
    department = _id_filter("department")

    class Meta:
        model = Employee
        fields = ("department", "is_active")


class AppointmentFilterSet(UpdatedSinceFilterSet):
    order = _id_filter("order")
    department = _id_filter("department")

    class Meta:
        model = Appointment
        fields = ("order", "department")


class BookingFilterSet(UpdatedSinceFilterSet):
    appointment = _id_filter("appointment")
    employee = _id_filter("employee")

    class Meta:
        model = Booking
        fields = ("appointment", "employee", "attendance")
