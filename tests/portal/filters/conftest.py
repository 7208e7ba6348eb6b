import pytest
from django.urls import reverse

from portal.models import Customer, Department, ProductGroup


@pytest.fixture
def testbedriften(demo):
    return Customer.objects.get(name="Testbedriften AS")


@pytest.fixture
def eksempel(demo):
    return Customer.objects.get(name="Eksempel Industri AS")


@pytest.fixture
def department(demo):
    """A demo department by name."""
    return lambda name: Department.objects.get(name=name)


@pytest.fixture
def product_group(demo):
    return lambda name: ProductGroup.objects.get(name=name)


@pytest.fixture
def changelist(demo, client, login):
    """GET a changelist as a user: `changelist("testweb", "order", status="approved")`."""

    def _get(username, model, **params):
        login(username)
        response = client.get(reverse(f"admin:portal_{model}_changelist"), params)
        assert response.status_code == 200, response
        return response

    return _get
