import pytest
from django.urls import reverse

from portal.models import ProductGroup


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
