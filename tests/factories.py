"""Factories for every model, in one place."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from permissions.services import grant_create
from portal.models import (
    Appointment,
    Booking,
    Contract,
    Customer,
    Department,
    Employee,
    Invoice,
    InvoiceLine,
    Notification,
    Order,
    ProductGroup,
)
from portal.models.appointments import Attendance
from portal.services.booking_months import booking_months_refresh

ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def valid_org_number(n: int) -> str:
    """The n-th valid 9-digit organisation number above 900000000."""
    base = 90000000 + n
    while True:
        digits = str(base)
        remainder = sum(int(d) * w for d, w in zip(digits, ORG_WEIGHTS, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return digits + str(check)
        base += 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.no")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


def customer_user(username, customer, role, departments=None):
    """A user of `customer` with one role, on the whole customer or on some of its
    departments, granted through the service as the admin grants it."""
    user = UserFactory(username=username, first_name=username.capitalize(), last_name="Testbruker")
    grant_create(user=user, customer=customer, role=role, departments=departments)
    return user


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Kunde {n} AS")
    org_number = factory.Sequence(lambda n: valid_org_number(n * 20))
    customer_number = factory.Sequence(lambda n: f"C{n:05d}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Avdeling {n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Abonnement {n}")
    default_customer_reference = "ref-123"
    valid_from = datetime.date(2020, 1, 1)


class ProductGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Produktgruppe {n}")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    department = factory.SubFactory(DepartmentFactory)
    product_group = factory.SubFactory(ProductGroupFactory)
    description = factory.Sequence(lambda n: f"Bestilling {n}")
    order_date = datetime.date(2024, 1, 15)


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    department = factory.SubFactory(DepartmentFactory)
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    email = factory.Sequence(lambda n: f"ansatt{n}@example.no")


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    order = factory.SubFactory(OrderFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + datetime.timedelta(minutes=20))
    location = "Bergen"
    capacity = 1
    booking_deadline = factory.LazyAttribute(lambda a: a.starts_at - datetime.timedelta(days=1))


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking
        skip_postgeneration_save = True

    appointment = factory.SubFactory(AppointmentFactory)
    employee = factory.SubFactory(EmployeeFactory)

    @factory.post_generation
    def booking_months(booking, create, extracted, **kwargs):
        """The reports' monthly figures, as the booking service keeps them."""
        if create:
            booking_months_refresh(employee_ids=[booking.employee_id])


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    payer = factory.SubFactory(DepartmentFactory)
    invoice_date = datetime.date(2024, 1, 31)
    due_date = datetime.date(2024, 2, 20)
    total = Decimal("1500.00")
    outstanding = Decimal("1500.00")


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    description = "Helsekontroll"
    unit_price = Decimal("1500.00")
    amount = Decimal("1500.00")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    text = "Ny bestilling"


def booking_held(
    employee, product_group, starts_at: datetime.datetime, attendance=Attendance.ATTENDED
):
    """A booking of `employee` on an appointment of its own at `starts_at`, of an order of the
    product group in the employee's department, marked `attendance` (a check held, by default)."""
    appointment = AppointmentFactory(
        order=OrderFactory(department=employee.department, product_group=product_group),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=20),
        booking_deadline=starts_at - datetime.timedelta(days=1),
        capacity=5,
    )
    return BookingFactory(appointment=appointment, employee=employee, attendance=attendance)
