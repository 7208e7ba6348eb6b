"""The fixtures every test folder shares: the demo world, logging in, and the demo's customers
and people as the tests speak of them."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection

from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE, Capability, Role
from permissions.models import DepartmentUserObjectPermission
from portal.demo import demo_load
from portal.models import Contract, Customer, Department, ProductGroup
from tests.factories import OrderFactory, StaffFactory, UserFactory, customer_user


@pytest.fixture
def demo(db):
    """The demo world of the seed documents."""
    demo_load()


@pytest.fixture
def login(client):
    """Log the test client in as a user: `login(user)` or `login("testweb")`."""

    def _login(user):
        if isinstance(user, str):
            user = get_user_model().objects.get(username=user)
        client.force_login(user)
        return client

    return _login


# -- the demo's customers and the people the tests add to them ---------------------------------


@pytest.fixture
def testbedriften(demo):
    return Customer.objects.get(name="Testbedriften AS")


@pytest.fixture
def eksempel(demo):
    return Customer.objects.get(name="Eksempel Industri AS")


@pytest.fixture
def department(demo):
    """A demo department by name: `department("Bergen TEST")`."""
    return lambda name: Department.objects.get(name=name)


@pytest.fixture
def orderer(testbedriften):
    return customer_user("bestiller", testbedriften, Role.ORDERER)


@pytest.fixture
def hr(testbedriften):
    return customer_user("hrbruker", testbedriften, Role.HR)


@pytest.fixture
def finance(testbedriften):
    """An Økonomi (finance) user of the whole of Testbedriften AS."""
    return customer_user("okonomi", testbedriften, Role.FINANCE)


@pytest.fixture
def department_user(testbedriften):
    """Administrator of Testbedriften AS, for the department "Bergen TEST" only."""
    bergen = testbedriften.departments.get(name="Bergen TEST")
    return customer_user("bergen", testbedriften, Role.ADMIN, departments=[bergen])


@pytest.fixture
def viewer(testbedriften):
    """An HR user of Testbedriften who may see employees (view_employees on both of its
    departments) but not manage them: one capability, which no role gives alone."""
    user = UserFactory(username="hrleser", first_name="Hilde", last_name="Leser")
    permission = Permission.objects.get(
        content_type__app_label="portal",
        content_type__model="department",
        codename=str(Capability.VIEW_EMPLOYEES),
    )
    for department in testbedriften.departments.all():
        DepartmentUserObjectPermission.objects.create(
            user=user, permission=permission, content_object=department
        )
    return user


@pytest.fixture
def customer_service(demo):
    """Staff in the group "Kundeservice": every customer, no exports, no imports."""
    user = StaffFactory(username="kundeservice", first_name="Kurt", last_name="Kundeservice")
    user.groups.add(Group.objects.get(name=STAFF_GROUP_CUSTOMER_SERVICE))
    return user


@pytest.fixture
def order_cast(testbedriften, eksempel, orderer, hr, finance, department_user, customer_service):
    """The people and rows of the order workflow, on the demo world.

    Testbedriften AS: `customer_admin` (testweb, Administrator), `orderer`, `hr`, `finance`
    (one role each on the whole customer) and `bergen_admin` (Administrator of "Bergen TEST"
    only). Eksempel Industri AS: `other_customer` (annen). The provider: `kam` (KA/KAM of both
    customers), `superuser` (admin) and `customer_service` (staff in the group "Kundeservice").
    """
    users = get_user_model().objects
    return SimpleNamespace(
        testbedriften=testbedriften,
        eksempel=eksempel,
        tb_main=testbedriften.departments.get(name="Testbedriften AS"),
        tb_bergen=testbedriften.departments.get(name="Bergen TEST"),
        ek_main=eksempel.departments.get(name="Eksempel Industri AS"),
        tb_contract=Contract.objects.get(customer=testbedriften),
        ek_contract=Contract.objects.get(customer=eksempel),
        product_group=ProductGroup.objects.get(name="Helsekontroll (HK)"),
        customer_admin=users.get(username="testweb"),
        orderer=orderer,
        hr=hr,
        finance=finance,
        bergen_admin=department_user,
        other_customer=users.get(username="annen"),
        kam=users.get(username="kam"),
        superuser=users.get(username="admin"),
        customer_service=customer_service,
    )


@pytest.fixture
def make_order(order_cast):
    """`make_order(status)`: a Testbedriften AS order (department "Testbedriften AS", its
    contract, Helsekontroll) with the given status; other fields as keywords."""

    def _make(status="awaiting_seller", **fields):
        fields.setdefault("department", order_cast.tb_main)
        fields.setdefault("contract", order_cast.tb_contract)
        fields.setdefault("product_group", order_cast.product_group)
        return OrderFactory(status=status, **fields)

    return _make


def pytest_runtest_setup(item):
    """A test marked `postgres` is skipped on any other database."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
