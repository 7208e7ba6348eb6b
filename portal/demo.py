"""The demo world of the seed documents, created or brought back to its seed state."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from permissions.capabilities import (
    STAFF_GROUP_ACCOUNT_MANAGERS,
    STAFF_GROUP_HEALTH_PERSONNEL,
    Role,
)
from permissions.services import grant_create, staff_groups_ensure
from portal.models import (
    Contract,
    Customer,
    Department,
    Employee,
    Invoice,
    InvoiceLine,
    Order,
    ProductGroup,
    StaffProfile,
)
from portal.models.employees import Gender
from portal.models.orders import OrderState, OrderStatus
from portal.models.sequences import sequence_advance_to
from portal.validators import kid_make

PASSWORD = "demo"
KAM_PHONE = "23456789"  # shown to the KA/KAM's customers on Info
HK = "Helsekontroll (HK)"
GENERAL = "Allmennhelse"
HK_2021 = "HELSEKONTROLL 2021 - HK arbeidshelse"
SALES_SUPPORT = (
    "TIL SALGSSTØTTE Overskrift; Psykologsamtaler Beskrivelse; Annen/ Ytterligere "
    "beskrivelse av oppdrag er aktuelt ved andre RHT-oppdrag."
)

PRODUCT_GROUPS = [
    (HK, True),
    (GENERAL, False),
    ("Arbeidsmiljø", False),
    ("Kurs og opplæring", False),
]

# number, order date, product group, description, department, state, status
TESTBEDRIFTEN_ORDERS = [
    (204334, "2019-07-04", GENERAL, "", "Testbedriften AS", "active", "awaiting_seller"),
    (200400, "2019-06-12", HK, "", "Testbedriften AS", "started", "awaiting_seller"),
    (
        198279,
        "2019-05-29",
        GENERAL,
        SALES_SUPPORT,
        "Testbedriften AS",
        "started",
        "awaiting_seller",
    ),
    (306990, "2021-04-07", HK, HK_2021, "Testbedriften AS", "started", "awaiting_customer"),
    (290467, "2021-01-05", HK, HK_2021, "Testbedriften AS", "active", "approved"),
    (282207, "2020-10-22", HK, HK_2021, "Testbedriften AS", "active", "delivered"),
    (277341, "2020-09-14", None, "", "Testbedriften AS", "closed", "awaiting_seller"),
]
EKSEMPEL_ORDERS = [
    (
        301122,
        "2021-02-15",
        HK,
        "Helsekontroll 2021 - skiftarbeid",
        "Eksempel Industri AS",
        "active",
        "approved",
    ),
    (
        301188,
        "2021-03-02",
        GENERAL,
        "Vernerunde verksted",
        "Eksempel Industri Trondheim",
        "started",
        "awaiting_seller",
    ),
]

# number, invoice date, due date, payer, total (= outstanding)
TESTBEDRIFTEN_INVOICES = [
    ("2017-118350", "2017-12-31", "2018-01-20", "Testbedriften AS", "1500"),
    ("2017-118352", "2017-12-19", "2018-01-08", "Bergen TEST", "3000"),
    ("2017-118359", "2017-12-31", "2018-01-20", "Bergen TEST", "3000"),
    ("2018-118371", "2018-02-28", "2018-03-20", "Bergen TEST", "1000"),
    ("2018-118376", "2018-03-06", "2018-03-26", "Testbedriften AS", "5"),
]
EKSEMPEL_INVOICES = [
    ("2021-119001", "2021-03-31", "2021-04-20", "Eksempel Industri AS", "24500"),
    ("2021-119007", "2021-04-30", "2021-05-20", "Eksempel Industri Trondheim", "7800"),
]

# first, last, e-mail, mobile, birth date, gender, department
TESTBEDRIFTEN_EMPLOYEES = [
    (
        "Donald",
        "Duck",
        "Duck@testikkeibruk.no",
        "12345678",
        "2018-09-13",
        Gender.MALE,
        "Testbedriften AS",
    ),
    (
        "Dolly",
        "Duck",
        "dolly@testikkeibruk.no",
        "23456789",
        "1985-04-02",
        Gender.FEMALE,
        "Testbedriften AS",
    ),
    (
        "Anton",
        "Duck",
        "anton@testikkeibruk.no",
        "34567890",
        "1979-11-20",
        Gender.MALE,
        "Bergen TEST",
    ),
    (
        "Skrue",
        "McDuck",
        "skrue@testikkeibruk.no",
        "45678901",
        "1950-01-05",
        Gender.MALE,
        "Bergen TEST",
    ),
]
EKSEMPEL_EMPLOYEES = [
    (
        "Ola",
        "Nordmann",
        "ola.nordmann@eksempel-industri.no",
        "98765432",
        "1980-05-17",
        Gender.MALE,
        "Eksempel Industri AS",
    ),
    (
        "Kari",
        "Nordmann",
        "kari.nordmann@eksempel-industri.no",
        "97654321",
        "1982-08-24",
        Gender.FEMALE,
        "Eksempel Industri Trondheim",
    ),
]


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _user(username, *, first_name, last_name, email, is_staff=False, is_superuser=False):
    user, _created = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "is_staff": is_staff or is_superuser,
            "is_superuser": is_superuser,
            "is_active": True,
        },
    )
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _customer(name, *, org_number, customer_number, account_manager, departments):
    customer, _created = Customer.objects.update_or_create(
        org_number=org_number,
        defaults={
            "name": name,
            "customer_number": customer_number,
            "account_manager": account_manager,
            "is_active": True,
        },
    )
    by_name = {}
    for department_name, department_org in departments:
        by_name[department_name], _created = Department.objects.update_or_create(
            customer=customer, name=department_name, defaults={"org_number": department_org}
        )
    return customer, by_name


def _orders(rows, *, departments, contract, product_groups, submitted_by):
    for number, date, group, description, department, state, status in rows:
        Order.objects.update_or_create(
            number=number,
            defaults={
                "order_date": _date(date),
                "product_group": product_groups.get(group),
                "description": description,
                "department": departments[department],
                "contract": contract,
                "customer_reference": contract.default_customer_reference,
                "state": OrderState(state),
                "status": OrderStatus(status),
                "submitted_by": submitted_by,
            },
        )


def _invoices(rows, *, departments):
    for number, invoice_date, due_date, payer, total in rows:
        invoice, _created = Invoice.objects.update_or_create(
            number=number,
            defaults={
                "payer": departments[payer],
                "invoice_date": _date(invoice_date),
                "due_date": _date(due_date),
                "total": Decimal(total),
                "outstanding": Decimal(total),
                "kid": kid_make(reference=number.replace("-", "")),
            },
        )
        invoice.lines.all().delete()
        InvoiceLine.objects.create(
            invoice=invoice,
            description="Abonnement bedriftshelsetjeneste",
            quantity=Decimal("1"),
            unit_price=Decimal(total),
            amount=Decimal(total),
        )


def _employees(rows, *, departments):
    for first, last, email, mobile, birth_date, gender, department in rows:
        department = departments[department]
        # An active holder of the address first: reactivating another would clash with it.
        existing = (
            Employee.objects.filter(customer=department.customer, email__iexact=email)
            .order_by("-is_active", "pk")
            .first()
        )
        employee = existing or Employee(department=department)
        employee.department = department
        employee.first_name, employee.last_name, employee.email = first, last, email
        employee.mobile, employee.gender = mobile, gender
        employee.birth_date = _date(birth_date)
        employee.is_active = True
        employee.deactivated_by = employee.deactivated_at = None
        employee.save()


@transaction.atomic
def demo_load() -> None:
    groups = staff_groups_ensure()
    _user("admin", first_name="Admin", last_name="", email="admin@example.no", is_superuser=True)
    kam = _user(
        "kam", first_name="Kari", last_name="Kundeansvarlig", email="kam@example.no", is_staff=True
    )
    kam.groups.set([groups[STAFF_GROUP_ACCOUNT_MANAGERS]])
    StaffProfile.objects.update_or_create(user=kam, defaults={"phone": KAM_PHONE})
    # The provider's health personnel: the only demo user who reads health declarations.
    health = _user(
        "helse", first_name="Helle", last_name="Helse", email="helse@example.no", is_staff=True
    )
    health.groups.set([groups[STAFF_GROUP_HEALTH_PERSONNEL]])
    testweb = _user(
        "testweb", first_name="TESTWEB", last_name="WEB", email="testweb@testikkeibruk.no"
    )
    annen = _user("annen", first_name="Anne", last_name="Annen", email="annen@eksempel-industri.no")

    product_groups = {}
    for name, is_health_check in PRODUCT_GROUPS:
        product_groups[name], _created = ProductGroup.objects.update_or_create(
            name=name, defaults={"is_health_check": is_health_check}
        )

    testbedriften, test_departments = _customer(
        "Testbedriften AS",
        org_number="998877660",
        customer_number="10001",
        account_manager=kam,
        departments=[("Testbedriften AS", "998877660"), ("Bergen TEST", "987654325")],
    )
    eksempel, eksempel_departments = _customer(
        "Eksempel Industri AS",
        org_number="975312461",
        customer_number="10002",
        account_manager=kam,
        departments=[
            ("Eksempel Industri AS", "975312461"),
            ("Eksempel Industri Trondheim", "924681357"),
        ],
    )
    test_contract, _created = Contract.objects.update_or_create(
        customer=testbedriften,
        name="Abonnement Testbedriften",
        defaults={
            "default_customer_reference": "abonnement123",
            "valid_from": _date("2017-01-01"),
            "valid_to": None,
        },
    )
    eksempel_contract, _created = Contract.objects.update_or_create(
        customer=eksempel,
        name="Rammeavtale Eksempel Industri",
        defaults={
            "default_customer_reference": "EI-2021",
            "valid_from": _date("2020-01-01"),
            "valid_to": None,
        },
    )

    _orders(
        TESTBEDRIFTEN_ORDERS,
        departments=test_departments,
        contract=test_contract,
        product_groups=product_groups,
        submitted_by=testweb,
    )
    _orders(
        EKSEMPEL_ORDERS,
        departments=eksempel_departments,
        contract=eksempel_contract,
        product_groups=product_groups,
        submitted_by=annen,
    )
    _invoices(TESTBEDRIFTEN_INVOICES, departments=test_departments)
    _invoices(EKSEMPEL_INVOICES, departments=eksempel_departments)
    _employees(TESTBEDRIFTEN_EMPLOYEES, departments=test_departments)
    _employees(EKSEMPEL_EMPLOYEES, departments=eksempel_departments)

    grant_create(user=testweb, customer=testbedriften, role=Role.ADMIN)
    grant_create(user=annen, customer=eksempel, role=Role.ADMIN)

    sequence_advance_to(
        name="order", value=max(r[0] for r in TESTBEDRIFTEN_ORDERS + EKSEMPEL_ORDERS)
    )
    sequence_advance_to(
        name="invoice",
        value=max(int(r[0].split("-")[1]) for r in TESTBEDRIFTEN_INVOICES + EKSEMPEL_INVOICES),
    )
