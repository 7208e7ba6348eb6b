"""The fixtures every test folder shares: the clock (PORTAL_TEST_NOW), the demo world, logging
in, and the demo's customers and people as the tests speak of them."""

import datetime
import os
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import timezone

from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE, Capability, Role
from permissions.models import DepartmentUserObjectPermission
from portal.demo import demo_load
from portal.models import Contract, Customer, Department, ProductGroup
from tests.factories import OrderFactory, StaffFactory, UserFactory, customer_user

# -- the clock ----------------------------------------------------------------------------------

TEST_NOW_VARIABLE = "PORTAL_TEST_NOW"
TEST_NOW = pytest.StashKey[datetime.datetime | None]()


def portal_test_now_parse(value: str) -> datetime.datetime:
    """`2026-03-29T01:30` (Oslo's wall clock) or `2026-10-25T02:30+01:00` as an aware moment; a
    wall-clock time that the clocks skip is refused, one they repeat is its first occurrence."""
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        return moment
    zone = ZoneInfo(settings.TIME_ZONE)
    aware = moment.replace(tzinfo=zone)
    if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise ValueError(f"{value} does not exist in {settings.TIME_ZONE}: the clocks go forward")
    return aware


def pytest_configure(config):
    value = os.environ.get(TEST_NOW_VARIABLE, "").strip()
    try:
        config.stash[TEST_NOW] = portal_test_now_parse(value) if value else None
    except ValueError as error:
        raise pytest.UsageError(f"{TEST_NOW_VARIABLE}={value!r}: {error}") from None


def pytest_report_header(config):
    if moment := config.stash.get(TEST_NOW, None):
        local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
        return f"{TEST_NOW_VARIABLE}: the tests run as if now were {local:%Y-%m-%d %H:%M %Z (%z)}"
    return None


def _broader_than_function(item, name) -> bool:
    definitions = item._fixtureinfo.name2fixturedefs.get(name)
    return bool(definitions) and definitions[-1].scope != "function"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Set up the session's clock before every other fixture, pytest-django's database among
    them; a test's own travel (`@pytest.mark.time_machine`, which time-machine puts first of
    all) after the session's fixtures, so that it nests inside the session's travel and the
    database is not set up at the test's moment."""
    for item in items:
        names = item.fixturenames
        if item.get_closest_marker("time_machine"):
            if "time_machine" in names:
                names.remove("time_machine")
            broader = [i for i, name in enumerate(names) if _broader_than_function(item, name)]
            names.insert(max(broader, default=-1) + 1, "time_machine")
        if "portal_test_now" in names:
            names.remove("portal_test_now")
        names.insert(0, "portal_test_now")


@pytest.fixture(scope="session", autouse=True)
def portal_test_now(pytestconfig):
    """Run the whole session as if now were PORTAL_TEST_NOW, e.g. `PORTAL_TEST_NOW=2026-03-29T01:30
    pytest` (Oslo time, or with an offset). The clock ticks on from there, so a late start may
    cross midnight during the run: a test that needs a fixed moment travels there itself.
    Without the variable the real clock is used."""
    moment = pytestconfig.stash.get(TEST_NOW, None)
    if moment is None:
        yield None
        return
    with time_machine.travel(moment, tick=True):
        yield moment


@pytest.fixture
def frozen_clock():
    """Stop the clock for one test where it stands (the real time, or PORTAL_TEST_NOW's): what
    the test works out from today and now and what the pages work out agree on the day and the
    hour, even when midnight passes while the test runs. `frozen_clock.shift(timedelta)` moves
    it on."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


# -- the demo world -----------------------------------------------------------------------------


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
