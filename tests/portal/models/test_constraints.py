"""The database refuses what the domain forbids, and lets through what it allows.

Every write goes straight to the database (no `full_clean`), so these tests pin the
constraints themselves; they run on SQLite and on PostgreSQL alike.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from portal.models import Appointment, Booking, Contract, Department, Employee, Invoice, Order
from tests.factories import (
    AppointmentFactory,
    ContractFactory,
    CustomerFactory,
    DepartmentFactory,
    EmployeeFactory,
    InvoiceFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db

# Valid national id numbers (mod-11, see test_validators.py).
NATIONAL_ID = "31129956715"
OTHER_NATIONAL_ID = "02013299997"


def refused(make):
    """True when the database refuses the write; the test goes on either way."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


# --- Order number -----------------------------------------------------------------------


def test_order_number_is_unique():
    # given an order numbered 500100
    first = OrderFactory(number=500100)

    # when another order is saved with the same number
    # then the database refuses it, and the first order is untouched
    assert refused(lambda: OrderFactory(number=500100, department=first.department))
    assert list(Order.objects.filter(number=500100)) == [first]


def test_orders_with_different_numbers_are_accepted():
    OrderFactory(number=500100)
    OrderFactory(number=500101)

    assert Order.objects.filter(number__in=[500100, 500101]).count() == 2


# --- Invoice number ---------------------------------------------------------------------


def test_invoice_number_is_unique():
    first = InvoiceFactory(number="2024-500100")

    assert refused(lambda: InvoiceFactory(number="2024-500100", payer=first.payer))
    assert Invoice.objects.filter(number="2024-500100").count() == 1


def test_invoices_with_different_numbers_are_accepted():
    InvoiceFactory(number="2024-500100")
    InvoiceFactory(number="2024-500101")

    assert Invoice.objects.filter(number__startswith="2024-5001").count() == 2


# --- Employee e-mail: unique among the active employees of one customer ---------------------


def test_employee_email_is_refused_for_a_second_active_employee_of_the_customer():
    # given an active employee Duck@x.no
    department = DepartmentFactory()
    EmployeeFactory(department=department, email="Duck@x.no")

    # when another active employee of the same customer gets the same address
    # then the database refuses it
    assert refused(lambda: EmployeeFactory(department=department, email="Duck@x.no"))
    assert Employee.objects.filter(customer=department.customer).count() == 1


def test_employee_email_uniqueness_ignores_case():
    department = DepartmentFactory()
    EmployeeFactory(department=department, email="Duck@x.no")

    assert refused(lambda: EmployeeFactory(department=department, email="duck@x.no"))
    assert refused(lambda: EmployeeFactory(department=department, email="DUCK@X.NO"))


def test_employee_email_uniqueness_spans_the_customers_departments():
    # given Duck@x.no in one department of a customer
    customer = CustomerFactory()
    oslo = DepartmentFactory(customer=customer, name="Oslo")
    bergen = DepartmentFactory(customer=customer, name="Bergen")
    EmployeeFactory(department=oslo, email="Duck@x.no")

    # then the same address in another department of the same customer is refused
    assert refused(lambda: EmployeeFactory(department=bergen, email="duck@x.no"))


def test_employee_email_is_allowed_again_once_the_first_is_deactivated():
    # given Duck@x.no, deactivated
    department = DepartmentFactory()
    gone = EmployeeFactory(department=department, email="Duck@x.no")
    gone.is_active = False
    gone.save()

    # when a new active employee gets duck@x.no
    newcomer = EmployeeFactory(department=department, email="duck@x.no")

    # then both exist, only the newcomer active
    active = Employee.objects.filter(customer=department.customer).active()
    assert list(active) == [newcomer]
    assert Employee.objects.filter(customer=department.customer).count() == 2


def test_reactivating_an_employee_whose_email_is_taken_is_refused():
    department = DepartmentFactory()
    gone = EmployeeFactory(department=department, email="Duck@x.no", is_active=False)
    EmployeeFactory(department=department, email="duck@x.no")

    def reactivate():
        gone.is_active = True
        gone.save()

    assert refused(reactivate)
    gone.refresh_from_db()
    assert gone.is_active is False


def test_employee_email_is_allowed_for_another_customer():
    EmployeeFactory(department=DepartmentFactory(), email="Duck@x.no")

    other = EmployeeFactory(department=DepartmentFactory(), email="duck@x.no")

    assert Employee.objects.filter(email__iexact="duck@x.no").count() == 2
    assert other.is_active


def test_employee_email_clash_shows_its_message_on_validation():
    # given an active Duck@x.no
    department = DepartmentFactory()
    EmployeeFactory(department=department, email="Duck@x.no")
    clash = Employee(department=department, email="duck@x.no", first_name="D", last_name="D")
    clash.customer_id = department.customer_id

    # when the model is validated as a form would
    with override("en"), pytest.raises(ValidationError) as error:
        clash.validate_constraints()

    # then the user is told why
    assert "An active employee of this customer already has this e-mail address." in str(
        error.value
    )


# --- Employee national id: one digest per customer ------------------------------------------


def with_national_id(employee, number):
    employee.set_national_id(number)
    employee.save()
    return employee


def test_national_id_is_refused_twice_for_one_customer():
    # given an employee with a national id
    department = DepartmentFactory()
    with_national_id(EmployeeFactory(department=department), NATIONAL_ID)

    # when a second employee of the same customer gets the same number
    second = EmployeeFactory(department=department)

    # then the database refuses it and the second employee keeps no number
    assert refused(lambda: with_national_id(second, NATIONAL_ID))
    second.refresh_from_db()
    assert not second.has_national_id


def test_national_id_is_refused_twice_even_when_the_first_is_inactive():
    department = DepartmentFactory()
    with_national_id(EmployeeFactory(department=department, is_active=False), NATIONAL_ID)

    assert refused(lambda: with_national_id(EmployeeFactory(department=department), NATIONAL_ID))


def test_different_national_ids_are_accepted_for_one_customer():
    department = DepartmentFactory()
    with_national_id(EmployeeFactory(department=department), NATIONAL_ID)
    with_national_id(EmployeeFactory(department=department), OTHER_NATIONAL_ID)

    assert Employee.objects.exclude(national_id_digest="").count() == 2


def test_the_same_national_id_is_accepted_for_another_customer():
    with_national_id(EmployeeFactory(department=DepartmentFactory()), NATIONAL_ID)
    with_national_id(EmployeeFactory(department=DepartmentFactory()), NATIONAL_ID)

    assert Employee.objects.exclude(national_id_digest="").count() == 2


def test_many_employees_without_a_national_id_are_accepted():
    department = DepartmentFactory()
    for _ in range(3):
        EmployeeFactory(department=department)

    assert Employee.objects.filter(customer=department.customer, national_id_digest="").count() == 3


# --- Booking: one per employee per appointment ----------------------------------------------


def test_an_employee_is_booked_once_per_appointment():
    # given an employee on an appointment
    appointment = AppointmentFactory(capacity=5)
    donald = EmployeeFactory(department=appointment.order.department)
    Booking.objects.create(appointment=appointment, employee=donald)

    # when booked again on the same appointment
    # then the database refuses it
    assert refused(lambda: Booking.objects.create(appointment=appointment, employee=donald))
    assert appointment.bookings.count() == 1


def test_an_employee_may_be_booked_on_two_appointments_and_two_employees_on_one():
    appointment = AppointmentFactory(capacity=5)
    other_appointment = AppointmentFactory(order=appointment.order)
    department = appointment.order.department
    ole = EmployeeFactory(department=department, first_name="Ole")
    dole = EmployeeFactory(department=department, first_name="Dole")

    Booking.objects.create(appointment=appointment, employee=ole)
    Booking.objects.create(appointment=appointment, employee=dole)
    Booking.objects.create(appointment=other_appointment, employee=ole)

    assert appointment.bookings.count() == 2
    assert ole.bookings.count() == 2


# --- Appointment: capacity and times --------------------------------------------------------


def test_appointment_capacity_zero_is_refused():
    order = OrderFactory()

    assert refused(lambda: AppointmentFactory(order=order, capacity=0))
    assert not Appointment.objects.filter(order=order).exists()


def test_appointment_capacity_one_is_accepted():
    assert AppointmentFactory(capacity=1).capacity == 1


def test_appointment_ending_before_it_starts_is_refused():
    starts = timezone.now() + datetime.timedelta(days=3)
    order = OrderFactory()

    assert refused(
        lambda: AppointmentFactory(
            order=order, starts_at=starts, ends_at=starts - datetime.timedelta(minutes=1)
        )
    )
    assert not Appointment.objects.filter(order=order).exists()


def test_appointment_ending_as_it_starts_is_refused():
    starts = timezone.now() + datetime.timedelta(days=3)

    assert refused(lambda: AppointmentFactory(starts_at=starts, ends_at=starts))


def test_appointment_ending_after_it_starts_is_accepted():
    starts = timezone.now() + datetime.timedelta(days=3)

    appointment = AppointmentFactory(
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=1)
    )

    assert Appointment.objects.filter(pk=appointment.pk).exists()


# --- Invoice dates ------------------------------------------------------------------------


def test_invoice_due_before_its_date_is_refused():
    payer = DepartmentFactory()

    assert refused(
        lambda: InvoiceFactory(
            payer=payer,
            invoice_date=datetime.date(2024, 1, 31),
            due_date=datetime.date(2024, 1, 30),
        )
    )
    assert not Invoice.objects.filter(payer=payer).exists()


def test_invoice_due_on_its_date_is_accepted():
    invoice = InvoiceFactory(
        invoice_date=datetime.date(2024, 1, 31),
        due_date=datetime.date(2024, 1, 31),
        total=Decimal("5"),
    )

    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_invoice_due_date_message_is_shown_on_validation():
    invoice = Invoice(
        number="2024-1",
        payer=DepartmentFactory(),
        invoice_date=datetime.date(2024, 1, 31),
        due_date=datetime.date(2024, 1, 1),
        total=Decimal("5"),
    )

    with override("en"), pytest.raises(ValidationError) as error:
        invoice.validate_constraints()

    assert "The due date cannot be before the invoice date." in str(error.value)


# --- Contract validity --------------------------------------------------------------------


def test_contract_ending_before_it_begins_is_refused():
    customer = CustomerFactory()

    assert refused(
        lambda: ContractFactory(
            customer=customer,
            valid_from=datetime.date(2024, 1, 1),
            valid_to=datetime.date(2023, 12, 31),
        )
    )
    assert not Contract.objects.filter(customer=customer).exists()


@pytest.mark.parametrize(
    "valid_to", [None, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)], ids=str
)
def test_contract_open_ended_or_ending_on_or_after_its_start_is_accepted(valid_to):
    contract = ContractFactory(valid_from=datetime.date(2024, 1, 1), valid_to=valid_to)

    assert Contract.objects.get(pk=contract.pk).valid_to == valid_to


# --- Department name ----------------------------------------------------------------------


def test_department_name_is_unique_per_customer():
    # given a customer with department "Bergen TEST"
    customer = CustomerFactory()
    DepartmentFactory(customer=customer, name="Bergen TEST")

    # then a second "Bergen TEST" for the same customer is refused
    assert refused(lambda: DepartmentFactory(customer=customer, name="Bergen TEST"))
    assert customer.departments.count() == 1


def test_department_name_may_repeat_for_another_customer():
    DepartmentFactory(customer=CustomerFactory(), name="Bergen TEST")
    DepartmentFactory(customer=CustomerFactory(), name="Bergen TEST")

    assert Department.objects.filter(name="Bergen TEST").count() == 2
