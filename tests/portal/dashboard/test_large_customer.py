"""A customer with 20,000 employees: the "never booked on a health check" figure is one query,
a NOT EXISTS that PostgreSQL answers with an anti-join, not a probe per employee."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from permissions.capabilities import Role
from permissions.services import grant_create
from portal.models import Appointment, Booking, Employee
from portal.models.appointments import Attendance
from portal.selectors.info import employees_summary, employees_without_health_check
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
    return user


def test_the_never_booked_figure_counts_right_for_twenty_thousand(large_customer):
    # Booked within 24 months: the first half, n % 3 != 2 (800 days ago), n % 4 != 3
    # (cancelled). Everyone else is without.
    booked = sum(1 for n in range(EMPLOYEES // 2) if n % 3 != 2 and n % 4 != 3)

    summary = employees_summary(large_customer, now=timezone.now())

    assert summary.active == EMPLOYEES
    assert summary.without_health_check == EMPLOYEES - booked


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_postgresql_answers_it_with_one_anti_join(large_customer):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    employees = employees_without_health_check(
        Employee.objects.filter(customer__name="Stor AS", is_active=True),
        since=timezone.now() - datetime.timedelta(days=730),
    )
    sql, params = employees.order_by().values("pk").query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) AS employees", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Anti Join" in plan, plan
    assert "SubPlan" not in plan, plan
