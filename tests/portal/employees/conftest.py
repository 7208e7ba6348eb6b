"""The demo world's people and employees, as the employee tests speak of them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from portal import services
from portal.models import Department, Employee

from .helpers import NUMBER


@pytest.fixture
def tb_main(demo):
    return Department.objects.get(name="Testbedriften AS")


@pytest.fixture
def tb_bergen(demo):
    return Department.objects.get(name="Bergen TEST")


@pytest.fixture
def ek_main(demo):
    return Department.objects.get(name="Eksempel Industri AS")


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def testweb(demo):
    """Administrator of Testbedriften AS (both departments)."""
    return _user("testweb")


@pytest.fixture
def annen(demo):
    """Administrator of Eksempel Industri AS."""
    return _user("annen")


@pytest.fixture
def kam(demo):
    """The KA/KAM: staff, unscoped, without the permission to reveal national ids."""
    return _user("kam")


@pytest.fixture
def reveal_permission(kam):
    """kam, now holding portal.reveal_national_id."""
    kam.user_permissions.add(
        Permission.objects.get(content_type__app_label="portal", codename="reveal_national_id")
    )
    return _user("kam")


@pytest.fixture
def donald(demo):
    return Employee.objects.get(first_name="Donald", last_name="Duck")


@pytest.fixture
def dolly(demo):
    return Employee.objects.get(first_name="Dolly", last_name="Duck")


@pytest.fixture
def anton(demo):
    """Anton Duck, in Testbedriften's department "Bergen TEST"."""
    return Employee.objects.get(first_name="Anton", last_name="Duck")


@pytest.fixture
def ola(demo):
    """Ola Nordmann, of the other customer (Eksempel Industri AS)."""
    return Employee.objects.get(first_name="Ola", last_name="Nordmann")


@pytest.fixture
def donald_with_number(donald, testweb):
    """Donald Duck with the national id NUMBER registered (through the service)."""
    services.employee_update(employee=donald, actor=testweb, national_id=NUMBER)
    donald.refresh_from_db()
    return donald
