"""Reads of an appointment's page: the appointment itself, who may still be booked on it and
whose bookings the user may take off. Scoped through `permissions.scoping`."""

from permissions.capabilities import Capability
from permissions.policies import APPOINTMENTS, EMPLOYEES
from portal.models import Appointment, Booking, Employee
from portal.services.bookings import booking_may_be_cancelled_by


def appointment_for(user, object_id) -> Appointment | None:
    """The appointment with its seat counts, or None when `user` may not see it (or no such
    id): the same answer either way."""
    if object_id is None or not str(object_id).isdigit():
        return None
    return (
        APPOINTMENTS.narrow(
            Appointment.objects.select_related("order__department", "order__product_group"),
            user,
            Capability.VIEW_ORDERS,
        )
        .with_seats()
        .filter(pk=object_id)
        .first()
    )


def bookable_employees(user, appointment: Appointment):
    """Active employees of the appointment's customer that `user` may book and who are not
    on it already."""
    queryset = EMPLOYEES.narrow(
        Employee.objects.active().filter(customer_id=appointment.order.department.customer_id),
        user,
        Capability.BOOK_EMPLOYEES,
    )
    on_it = appointment.bookings.holding_seats().values("employee_id")
    return (
        queryset.exclude(pk__in=on_it)
        .select_related("department")
        .order_by("last_name", "first_name", "pk")
    )


def cancellable_bookings(user, appointment: Appointment) -> list[Booking]:
    bookings = appointment.bookings.holding_seats().select_related(
        "employee", "appointment__order__department"
    )
    return [b for b in bookings if booking_may_be_cancelled_by(user, b)]
