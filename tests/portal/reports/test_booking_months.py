"""Health check coverage counted from the monthly figures (`BookingMonth`) says exactly what a
direct count of the bookings says: over a generated world, and after each kind of write
through the services that changes what is counted."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from devtools.world import (
    CUSTOMER_NUMBER_PREFIX,
    LARGEST_CUSTOMER_NUMBER,
    WORLD_CUSTOMER_USER,
    WORLD_SUPERUSER,
)
from portal import services
from portal.models import (
    Appointment,
    Booking,
    BookingMonth,
    Customer,
    Department,
    Employee,
    ProductGroup,
)
from portal.models.appointments import Attendance
from portal.reports import REPORTS, Period
from portal.reports.health_checks import coverage
from portal.selectors.periods import month_start, months_add
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def direct_coverage(groups, period: Period, *, key: str) -> list[dict]:
    """The coverage counted row by row from the employees and their bookings."""
    rows = {
        group.pk: {
            "pk": group.pk,
            "name": group.name,
            "active": Employee.objects.filter(is_active=True, **{key: group}).count(),
            "booked": set(),
            "attended": set(),
            "no_show": set(),
        }
        for group in groups
    }
    bookings = Booking.objects.select_related("employee", "appointment__order__product_group")
    for booking in bookings:
        group = booking.appointment.order.product_group
        employee = booking.employee
        row = rows.get(getattr(employee, f"{key}_id"))
        if row is None or not employee.is_active or not (group and group.is_health_check):
            continue
        if not period.start <= booking.appointment.starts_at < period.end:
            continue
        if booking.attendance != Attendance.CANCELLED:
            row["booked"].add(employee.pk)
        if booking.attendance == Attendance.ATTENDED:
            row["attended"].add(employee.pk)
        if booking.attendance == Attendance.NO_SHOW:
            row["no_show"].add(employee.pk)
    counted = [
        {**row, **{name: len(row[name]) for name in ("booked", "attended", "no_show")}}
        for row in rows.values()
    ]
    return sorted(counted, key=lambda row: (row["name"], row["pk"]))


def periods(today: datetime.date) -> list[Period]:
    this_month, last_year = month_start(today), today.year - 1
    return [
        Period.default(today),
        Period(first=months_add(this_month, -119), last=this_month),  # ten years
        Period(
            first=datetime.date(today.year - 1, 1, 1), last=datetime.date(today.year - 1, 12, 1)
        ),
        Period(first=datetime.date(last_year, 3, 1), last=datetime.date(last_year, 3, 1)),
        Period(first=this_month, last=months_add(this_month, 3)),
        # each of the months the writes below move bookings between
        *(
            Period(first=months_add(this_month, n), last=months_add(this_month, n))
            for n in range(4)
        ),
    ]


def assert_counted_alike():
    today = timezone.localdate()
    customers = Customer.objects.all()
    departments = Department.objects.all()
    for period in periods(today):
        assert coverage(customers, period, key="customer") == direct_coverage(
            customers, period, key="customer"
        ), period
        assert coverage(departments, period, key="department") == direct_coverage(
            departments, period, key="department"
        ), period


@pytest.fixture
def world(cast):
    with override_settings(DEBUG=True):
        call_command("generate_world", scale=0.002, stdout=io.StringIO())
    return Customer.objects.filter(customer_number__startswith=CUSTOMER_NUMBER_PREFIX)


def test_the_figures_of_a_generated_world_count_as_its_bookings(world):
    assert BookingMonth.objects.exists()
    assert_counted_alike()


def test_the_report_of_a_customer_and_of_staff_counts_as_the_bookings(world):
    users = get_user_model().objects
    report = next(report for report in REPORTS if report.slug == "helsekontroll")
    period = periods(timezone.localdate())[1]
    customer_user = users.get(username=WORLD_CUSTOMER_USER)
    mine = Department.objects.filter(customer__customer_number=LARGEST_CUSTOMER_NUMBER)

    for user, groups, key in (
        (customer_user, mine, "department"),
        (users.get(username=WORLD_SUPERUSER), Customer.objects.all(), "customer"),
    ):
        shown = report.build(user=user, period=period).table.rows
        expected = direct_coverage(groups, period, key=key)
        assert [row[:5] for row in shown] == [
            [row["name"], row["active"], row["booked"], row["attended"], row["no_show"]]
            for row in expected
        ]


def test_the_figures_follow_every_write_through_the_services(world):
    staff = get_user_model().objects.get(username=WORLD_SUPERUSER)
    now = timezone.now()
    customer = Customer.objects.get(customer_number=LARGEST_CUSTOMER_NUMBER)
    health_check = ProductGroup.objects.filter(is_health_check=True).first()
    order = (
        customer.departments.first()
        .orders.filter(product_group=health_check)
        .order_by("-order_date")
        .first()
    )
    people = list(Employee.objects.filter(customer=customer, is_active=True)[:3])
    soon = [
        AppointmentFactory(
            order=order,
            starts_at=now + datetime.timedelta(days=days, hours=hour),
            ends_at=now + datetime.timedelta(days=days, hours=hour, minutes=20),
            booking_deadline=now + datetime.timedelta(days=1),
            capacity=5,
        )
        for days, hour in ((20, 0), (20, 1), (50, 0))
    ]

    # booked, a second time in another month, and moved to yet another month
    booked = [
        services.booking_create(appointment=soon[0], employee=person, actor=staff)
        for person in people
    ]
    services.booking_create(appointment=soon[2], employee=people[0], actor=staff)
    assert_counted_alike()
    services.booking_move(booking=booked[1], appointment=soon[2], actor=staff)
    assert_counted_alike()

    # cancelled
    services.booking_cancel(booking=booked[2], actor=staff)
    assert_counted_alike()

    # the appointment moved to another month
    moved = Appointment.objects.get(pk=soon[0].pk)
    services.appointment_update(
        appointment=moved,
        actor=staff,
        starts_at=now + datetime.timedelta(days=80),
        ends_at=now + datetime.timedelta(days=80, minutes=20),
        booking_deadline=now + datetime.timedelta(days=79),
    )
    assert_counted_alike()

    # attendance recorded on a past booking
    past = Booking.objects.filter(
        employee__customer=customer,
        appointment__ends_at__lt=now,
        attendance=Attendance.ATTENDED,
        appointment__order__product_group=health_check,
    ).first()
    services.booking_attendance_set(booking=past, actor=staff, attendance=Attendance.NO_SHOW)
    assert_counted_alike()

    # the order is no health check any more, and an employee leaves
    other = ProductGroup.objects.filter(is_health_check=False).first()
    services.order_update(order=order, actor=staff, product_group=other)
    assert_counted_alike()
    services.employee_deactivate(employee=people[0], actor=staff)
    assert_counted_alike()

    # and comes back, in another department
    services.employee_reactivate(employee=people[0], actor=staff)
    assert_counted_alike()
    elsewhere = customer.departments.exclude(pk=people[0].department_id).first()
    services.employee_update(employee=people[0], actor=staff, department=elsewhere)
    assert_counted_alike()
