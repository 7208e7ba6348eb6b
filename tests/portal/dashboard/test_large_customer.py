"""A customer with 20,000 employees: the "never booked on a health check" figure counts right
from the monthly figures, in the same two queries as for a customer with twenty."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from permissions.capabilities import Role
from permissions.services import grant_create
from portal.models import Appointment, Booking, Employee
from portal.models.appointments import Attendance
from portal.selectors.info import employees_summary
from portal.services.booking_months import booking_months_rebuild
from tests.factories import (
    CustomerFactory,
    DepartmentFactory,
    OrderFactory,
    ProductGroupFactory,
    UserFactory,
)

EMPLOYEES = 20_000


@pytest.fixture
def large_customer(db):
    customer = CustomerFactory(name="Stor AS")
    departments = [DepartmentFactory(customer=customer, name=f"Stor {n}") for n in range(4)]
    user = UserFactory(username="stor")
    grant_create(user=user, customer=customer, role=Role.ADMIN)
    Employee.objects.bulk_create(
        (
            Employee(
                customer=customer,
                department=departments[n % 4],
                first_name=f"Ansatt{n}",
                last_name="Stor",
                email=f"ansatt{n}@stor.no",
            )
            for n in range(EMPLOYEES)
        ),
        batch_size=5000,
    )
    order = OrderFactory(
        department=departments[0],
        product_group=ProductGroupFactory(name="Helsekontroll (HK)", is_health_check=True),
    )
    now = timezone.now()
    appointments = Appointment.objects.bulk_create(
        Appointment(
            order=order,
            starts_at=now - datetime.timedelta(days=days),
            ends_at=now - datetime.timedelta(days=days) + datetime.timedelta(minutes=20),
            booking_deadline=now - datetime.timedelta(days=days + 1),
            location="Stor",
            capacity=EMPLOYEES,
        )
        for days in (10, 400, 800)  # the last one more than 24 months ago
    )
    employees = list(Employee.objects.filter(customer=customer).values_list("pk", flat=True))
    attendances = [Attendance.ATTENDED, Attendance.NO_SHOW, Attendance.BOOKED, Attendance.CANCELLED]
    Booking.objects.bulk_create(
        (
            Booking(
                appointment=appointments[n % 3],
                employee_id=pk,
                attendance=attendances[n % 4],
            )
            for n, pk in enumerate(employees[: EMPLOYEES // 2])
        ),
        batch_size=5000,
    )
    booking_months_rebuild()  # the bookings were written around the services
    return user


def test_the_never_booked_figure_counts_right_for_twenty_thousand(large_customer):
    # Booked within 24 months: the first half, n % 3 != 2 (800 days ago), n % 4 != 3
    # (cancelled). Everyone else is without.
    booked = sum(1 for n in range(EMPLOYEES // 2) if n % 3 != 2 and n % 4 != 3)

    employees_summary(large_customer, now=timezone.now())  # the user's grants, read once
    with CaptureQueriesContext(connection) as queries:
        summary = employees_summary(large_customer, now=timezone.now())

    assert len(queries) == 2  # the active employees, and those booked
    assert summary.active == EMPLOYEES
    assert summary.without_health_check == EMPLOYEES - booked
