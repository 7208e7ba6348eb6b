"""A customer's list pages cost the same number of queries with 10 rows as with 500, and at
most a dozen: scoping is a handful of department ids, and no row fetches its relations."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from permissions.capabilities import Role
from permissions.services import grant_create
from portal.models import Appointment, Booking, Employee, Exposure, ExposureType, Invoice, Order
from portal.models.appointments import Attendance
from portal.services.surveillance import exposures_recheck
from tests.factories import (
    ContractFactory,
    CustomerFactory,
    DepartmentFactory,
    ProductGroupFactory,
    UserFactory,
)

MAX_QUERIES = 12


@pytest.fixture
def customer_world(db):
    """A customer with two departments and its administrator (a customer user)."""
    customer = CustomerFactory(name="Mengde AS")
    departments = [
        DepartmentFactory(customer=customer, name="Mengde Oslo"),
        DepartmentFactory(customer=customer, name="Mengde Bergen"),
    ]
    user = UserFactory(username="mengde", first_name="Mengde", last_name="Admin")
    grant_create(user=user, customer=customer, role=Role.ADMIN)
    return {
        "customer": customer,
        "departments": departments,
        "user": user,
        "contract": ContractFactory(customer=customer, name="Abonnement Mengde"),
        "product_group": ProductGroupFactory(name="Helsekontroll (HK)"),
        "made": 0,
    }


def make_orders(world, count):
    start = world["made"]
    Order.objects.bulk_create(
        Order(
            number=500000 + n,
            department=world["departments"][n % 2],
            contract=world["contract"],
            product_group=world["product_group"],
            description=f"Bestilling {n}",
            order_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(start, start + count)
    )
    world["made"] += count


def make_employees(world, count):
    start = world["made"]
    Employee.objects.bulk_create(
        Employee(
            customer=world["customer"],
            department=world["departments"][n % 2],
            first_name=f"Ansatt{n}",
            last_name="Mengde",
            email=f"ansatt{n}@mengde.no",
        )
        for n in range(start, start + count)
    )
    world["made"] += count


def make_invoices(world, count):
    start = world["made"]
    Invoice.objects.bulk_create(
        Invoice(
            number=f"2024-{700000 + n}",
            payer=world["departments"][n % 2],
            invoice_date=datetime.date(2024, 1, 31),
            due_date=datetime.date(2024, 2, 20),
            total=Decimal("1500.00"),
            outstanding=Decimal("1500.00") if n % 3 else Decimal("0"),
        )
        for n in range(start, start + count)
    )
    world["made"] += count


def make_exposures(world, count):
    """Employees exposed to noise, with attended and booked checks for some of them."""
    make_employees(world, count)
    employees = list(Employee.objects.filter(customer=world["customer"]).order_by("-pk")[:count])
    noise = ExposureType.objects.get_or_create(
        name="Støy over 80 dB",
        defaults={"product_group": world["product_group"], "first_check_months": 6,
                  "interval_months": 36},
    )[0]  # fmt: skip
    Exposure.objects.bulk_create(
        Exposure(
            employee=e,
            department_id=e.department_id,
            exposure_type=noise,
            starts_on=datetime.date(2023, 1, 1),
        )
        for e in employees
    )
    order = Order.objects.create(
        number=600000 + world["made"], department=world["departments"][0],
        contract=world["contract"], product_group=world["product_group"],
        order_date=datetime.date(2024, 1, 1),
    )  # fmt: skip
    start = timezone.now() - datetime.timedelta(days=30)
    appointment = Appointment.objects.create(
        order=order, starts_at=start, ends_at=start + datetime.timedelta(minutes=20),
        booking_deadline=start, capacity=count, location="Oslo",
    )  # fmt: skip
    Booking.objects.bulk_create(
        Booking(appointment=appointment, employee=e, attendance=Attendance.ATTENDED)
        for e in employees[::3]
    )
    exposures_recheck(employee_ids=[e.pk for e in employees])


def _queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    ("url", "make_rows"),
    [
        ("/portal/order/", make_orders),
        ("/portal/employee/", make_employees),
        ("/portal/invoice/", make_invoices),
        ("/portal/surveillancedue/", make_exposures),
    ],
    ids=["orders", "employees", "invoices", "due list"],
)
def test_a_customer_list_costs_the_same_queries_for_10_and_500_rows(
    url, make_rows, customer_world, client
):
    """Given a customer user with 10 rows, then with 500, when they open the list, then the
    number of queries is the same, and at most a dozen."""
    client.force_login(customer_world["user"])
    make_rows(customer_world, 10)
    client.get(url)  # warm the caches a first request fills

    ten, with_ten = _queries_of(client, url)
    make_rows(customer_world, 490)
    five_hundred, with_five_hundred = _queries_of(client, url)

    assert ten.context["cl"].result_count == 10
    assert five_hundred.context["cl"].result_count == 500
    assert len(with_five_hundred) == len(with_ten), "\n".join(with_five_hundred)
    # The due list reads the exposure types twice: for the status thresholds and the filter.
    most = MAX_QUERIES + 1 if "surveillancedue" in url else MAX_QUERIES
    assert len(with_ten) <= most, "\n".join(with_ten)


def _colleagues(world, count, *, actor):
    """`count` colleagues, each with a role on one department, granted by the administrator
    (each grant with its line in the access changelog)."""
    start = world["made"]
    for n in range(start, start + count):
        user = UserFactory(username=f"kollega{n}", first_name=f"Kollega{n}", last_name="Mengde")
        grant_create(
            user=user,
            customer=world["customer"],
            role=[Role.HR, Role.ORDERER, Role.FINANCE][n % 3],
            departments=[world["departments"][n % 2]],
            actor=actor,
        )
    world["made"] += count


def test_users_and_access_costs_the_same_queries_for_3_and_30_colleagues(customer_world, client):
    """«Brukere og tilganger» lists the grants with their departments and the changelog
    without a query per row."""
    admin = customer_world["user"]
    client.force_login(admin)
    _colleagues(customer_world, 3, actor=admin)
    client.get("/tilganger/")

    three, with_three = _queries_of(client, "/tilganger/")
    _colleagues(customer_world, 27, actor=admin)
    thirty, with_thirty = _queries_of(client, "/tilganger/")

    assert len(three.context["rows"]) == 4
    assert len(thirty.context["rows"]) == 31
    assert len(with_thirty) == len(with_three), "\n".join(with_thirty)
    assert len(with_three) <= MAX_QUERIES, "\n".join(with_three)
