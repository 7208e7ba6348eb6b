"""The fixtures every test folder shares: the clock (PORTAL_TEST_NOW), the demo world, logging
in, the cast (the demo's customers, departments and people as the tests speak of them) and
Norwegian for the tests that read the pages' words."""

import datetime
import os
from functools import cached_property
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from permissions.capabilities import STAFF_GROUP_CUSTOMER_SERVICE, Capability, Role
from permissions.models import DepartmentUserObjectPermission
from portal.demo import demo_load
from portal.models import Contract, Customer, Department, Employee, ProductGroup
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


# -- the cast: the demo's customers, departments and people, and the people the tests add ------


class Cast:
    """Every customer, department and person the tests speak of, by one name each.

    The demo world's rows are read when the cast is made: the customers `testbedriften`
    (Testbedriften AS) and `eksempel` (Eksempel Industri AS), their departments `tb_main`
    ("Testbedriften AS"), `tb_bergen` ("Bergen TEST"), `ek_main` ("Eksempel Industri AS") and
    `ek_trondheim` ("Eksempel Industri Trondheim"), their contracts `tb_contract` and
    `ek_contract`, the product group `product_group` ("Helsekontroll (HK)"); the demo's users
    `superuser` (admin), `kam` (staff, KA/KAM of both customers), `health` (helse, staff in the
    group "Helsepersonell": the one who reads health declarations), `testweb` (Administrator of
    Testbedriften AS) and `annen` (Administrator of Eksempel Industri AS); the demo's employees
    `donald`, `dolly` (Testbedriften AS), `anton`, `skrue` ("Bergen TEST") and `ola` (Eksempel
    Industri AS). `anonymous` is the visitor who has not logged in: None.

    The people the tests add to the demo are made the first time a test speaks of them, so
    that a test has only the users it names: `orderer` (bestiller), `hr` (hrbruker) and
    `finance` (okonomi), one role each on the whole of Testbedriften AS; `bergen`,
    Administrator of "Bergen TEST" only; `bergen_hr`, HR of "Bergen TEST" only; `viewer`
    (hrleser), who may see Testbedriften's employees but not manage them; `customer_service`,
    staff in the group "Kundeservice"; `no_grant` (utentilgang), a user without grants; and
    `inactive` (inaktiv), a deactivated Administrator of Testbedriften AS.
    """

    anonymous = None

    def __init__(self):
        users = get_user_model().objects
        self.testbedriften = Customer.objects.get(name="Testbedriften AS")
        self.eksempel = Customer.objects.get(name="Eksempel Industri AS")
        self.tb_main = Department.objects.get(name="Testbedriften AS")
        self.tb_bergen = Department.objects.get(name="Bergen TEST")
        self.ek_main = Department.objects.get(name="Eksempel Industri AS")
        self.ek_trondheim = Department.objects.get(name="Eksempel Industri Trondheim")
        self.tb_contract = Contract.objects.get(customer=self.testbedriften)
        self.ek_contract = Contract.objects.get(customer=self.eksempel)
        self.product_group = ProductGroup.objects.get(name="Helsekontroll (HK)")
        self.superuser = users.get(username="admin")
        self.kam = users.get(username="kam")
        self.health = users.get(username="helse")
        self.testweb = users.get(username="testweb")
        self.annen = users.get(username="annen")
        self.donald = Employee.objects.get(first_name="Donald", last_name="Duck")
        self.dolly = Employee.objects.get(first_name="Dolly", last_name="Duck")
        self.anton = Employee.objects.get(first_name="Anton", last_name="Duck")
        self.skrue = Employee.objects.get(first_name="Skrue", last_name="McDuck")
        self.ola = Employee.objects.get(first_name="Ola", last_name="Nordmann")

    @cached_property
    def orderer(self):
        return customer_user("bestiller", self.testbedriften, Role.ORDERER)

    @cached_property
    def hr(self):
        return customer_user("hrbruker", self.testbedriften, Role.HR)

    @cached_property
    def finance(self):
        """An Økonomi (finance) user of the whole of Testbedriften AS."""
        return customer_user("okonomi", self.testbedriften, Role.FINANCE)

    @cached_property
    def bergen(self):
        """Administrator of Testbedriften AS, for the department "Bergen TEST" only."""
        return customer_user("bergen", self.testbedriften, Role.ADMIN, departments=[self.tb_bergen])

    @cached_property
    def bergen_hr(self):
        """HR of Testbedriften AS, for the department "Bergen TEST" only."""
        return customer_user("bergenhr", self.testbedriften, Role.HR, departments=[self.tb_bergen])

    @cached_property
    def viewer(self):
        """An HR user of Testbedriften who may see employees (view_employees on both of its
        departments) but not manage them: one capability, which no role gives alone."""
        user = UserFactory(username="hrleser", first_name="Hilde", last_name="Leser")
        permission = Permission.objects.get(
            content_type__app_label="portal",
            content_type__model="department",
            codename=str(Capability.VIEW_EMPLOYEES),
        )
        for department in self.testbedriften.departments.all():
            DepartmentUserObjectPermission.objects.create(
                user=user, permission=permission, content_object=department
            )
        return user

    @cached_property
    def customer_service(self):
        """Staff in the group "Kundeservice": every customer, no exports, no imports."""
        user = StaffFactory(username="kundeservice", first_name="Kurt", last_name="Kundeservice")
        user.groups.add(Group.objects.get(name=STAFF_GROUP_CUSTOMER_SERVICE))
        return user

    @cached_property
    def no_grant(self):
        return UserFactory(username="utentilgang", first_name="Uten", last_name="Tilgang")

    @cached_property
    def inactive(self):
        user = customer_user("inaktiv", self.testbedriften, Role.ADMIN)
        user.is_active = False
        user.save(update_fields=["is_active"])
        return user

    def make(self, *names):
        """Make these added people now, for a test that counts who is told, listed or audited
        before it acts: `cast.make("orderer", "hr")`."""
        return [getattr(self, name) for name in names]


@pytest.fixture
def cast(demo):
    """The demo's customers, departments and people, and the people the tests add: `Cast`."""
    return Cast()


@pytest.fixture
def make_order(cast):
    """`make_order(status)`: a Testbedriften AS order (department "Testbedriften AS", its
    contract, Helsekontroll) with the given status; other fields as keywords."""

    def _make(status="awaiting_seller", **fields):
        fields.setdefault("department", cast.tb_main)
        fields.setdefault("contract", cast.tb_contract)
        fields.setdefault("product_group", cast.product_group)
        return OrderFactory(status=status, **fields)

    return _make


@pytest.fixture
def fresh_rate_limit():
    """An empty cache before and after: the employee's pages count requests in it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def norwegian():
    """The test reads the pages' words as a Norwegian user does: messages, headings and labels
    in Norwegian (`@pytest.mark.usefixtures("norwegian")`, or `pytestmark` for a module)."""
    with translation.override("nb"):
        yield


def pytest_runtest_setup(item):
    """A test marked `postgres` is skipped on any other database."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
