"""The fixed cast of the permission tests, on the demo world.

Every permission test speaks of the same people: the superuser, a KA/KAM, Testbedriften AS's
administrator, one Testbedriften user per single role, a user limited to "Bergen TEST", the user
of the other customer, a user without grants, an inactive user and an anonymous visitor. The
customers and the single-role users are tests/conftest.py's, shared with the other tests.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from background.mail import mail_queue
from permissions.capabilities import Role
from permissions.models import Grant
from portal.models import Contract, Employee, Invoice, Order, ProductGroup
from tests.factories import (
    AppointmentFactory,
    BookingFactory,
    OrderFactory,
    UserFactory,
    customer_user,
)


@pytest.fixture
def superuser(demo):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def staff(demo):
    """The KA/KAM: staff, in the group "KA/KAM"."""
    return get_user_model().objects.get(username="kam")


@pytest.fixture
def customer_admin(demo):
    """testweb: Administrator of Testbedriften AS."""
    return get_user_model().objects.get(username="testweb")


@pytest.fixture
def other_customer(demo):
    """annen: Administrator of Eksempel Industri AS."""
    return get_user_model().objects.get(username="annen")


@pytest.fixture
def no_grant(demo):
    return UserFactory(username="utentilgang", first_name="Uten", last_name="Tilgang")


@pytest.fixture
def inactive(testbedriften):
    user = customer_user("inaktiv", testbedriften, Role.ADMIN)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@pytest.fixture
def cast(
    superuser,
    staff,
    customer_admin,
    orderer,
    hr,
    finance,
    department_user,
    other_customer,
    no_grant,
    inactive,
):
    """Every member of the cast by name; `anonymous` is None."""
    return {
        "superuser": superuser,
        "staff": staff,
        "customer_admin": customer_admin,
        "orderer": orderer,
        "hr": hr,
        "finance": finance,
        "department_user": department_user,
        "other_customer": other_customer,
        "no_grant": no_grant,
        "inactive": inactive,
        "anonymous": None,
    }


@pytest.fixture
def world(testbedriften, eksempel, customer_admin, other_customer):
    """The demo world's rows the tests point at, plus an order in Bergen TEST and an
    appointment with a booking for each customer (the demo has none)."""
    tb_main = testbedriften.departments.get(name="Testbedriften AS")
    tb_bergen = testbedriften.departments.get(name="Bergen TEST")
    ek_main = eksempel.departments.get(name="Eksempel Industri AS")
    ek_trondheim = eksempel.departments.get(name="Eksempel Industri Trondheim")
    health_check = ProductGroup.objects.get(name="Helsekontroll (HK)")
    bergen_order = OrderFactory(
        department=tb_bergen,
        product_group=health_check,
        description="Helsekontroll Bergen",
        contract=Contract.objects.get(customer=testbedriften),
    )
    tb_order = Order.objects.get(number=204334)
    ek_order = Order.objects.get(number=301122)
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    ola = Employee.objects.get(first_name="Ola", last_name="Nordmann")
    tb_appointment = AppointmentFactory(order=Order.objects.get(number=290467), location="Bergen")
    ek_appointment = AppointmentFactory(order=ek_order, location="Trondheim")
    return SimpleNamespace(
        testbedriften=testbedriften,
        eksempel=eksempel,
        tb_main=tb_main,
        tb_bergen=tb_bergen,
        ek_main=ek_main,
        ek_trondheim=ek_trondheim,
        tb_contract=Contract.objects.get(customer=testbedriften),
        ek_contract=Contract.objects.get(customer=eksempel),
        product_group=health_check,
        tb_order=tb_order,
        bergen_order=bergen_order,
        awaiting_customer_order=Order.objects.get(number=306990),
        approved_order=Order.objects.get(number=290467),
        ek_order=ek_order,
        donald=donald,
        anton=Employee.objects.get(first_name="Anton", last_name="Duck"),
        ola=ola,
        tb_invoice=Invoice.objects.get(number="2017-118350"),
        bergen_invoice=Invoice.objects.get(number="2017-118352"),
        ek_invoice=Invoice.objects.get(number="2021-119001"),
        tb_appointment=tb_appointment,
        ek_appointment=ek_appointment,
        tb_booking=BookingFactory(appointment=tb_appointment, employee=donald),
        ek_booking=BookingFactory(appointment=ek_appointment, employee=ola),
        tb_grant=Grant.objects.get(user=customer_admin),
        mail=mail_queue(
            to=["testweb@testikkeibruk.no"], subject="Ny bestilling 204334", body="Hei!"
        ),
        ek_grant=Grant.objects.get(user=other_customer),
        kam_group=Group.objects.get(name="KA/KAM"),
    )
