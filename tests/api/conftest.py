"""The API's callers: tokens issued by the demo's superuser, and a client that sends one.

`token(scopes, customer=None)` issues a token through `api_token_issue` (as staff do in the
admin) and answers the client that calls with it; `.token` is the row, `.secret` the secret.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.scopes import STAFF_ONLY_SCOPES, Scope
from api.services import api_token_issue

ALL_SCOPES = list(Scope.values)
#: Every scope a token for one customer may hold.
CUSTOMER_SCOPES = [scope for scope in ALL_SCOPES if scope not in STAFF_ONLY_SCOPES]


class TokenClient(APIClient):
    token = None
    secret = ""


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The counts of the rate limit live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token(cast):
    def _issue(scopes=None, customer=None, name=None, **fields):
        if scopes is None:
            scopes = ALL_SCOPES if customer is None else CUSTOMER_SCOPES
        issued = api_token_issue(
            actor=cast.superuser,
            name=name or f"System {customer or 'alle'} {len(scopes)}",
            scopes=scopes,
            customer=customer,
            **fields,
        )
        client = TokenClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
        client.token, client.secret = issued.token, issued.secret
        return client

    return _issue


@pytest.fixture
def staff_api(token):
    """A token without a customer, every scope: what staff see."""
    return token(name="CRM")


@pytest.fixture
def tb_api(token, cast):
    """A token restricted to Testbedriften AS, every scope."""
    return token(customer=cast.testbedriften, name="Testbedriften HR-system")


# The permission tests' rows (an order in Bergen, an appointment with a booking per customer).
from tests.permissions.conftest import world  # noqa: E402,F401

LISTS = [
    "/api/v1/customers/",
    "/api/v1/departments/",
    "/api/v1/contracts/",
    "/api/v1/product-groups/",
    "/api/v1/orders/",
    "/api/v1/employees/",
    "/api/v1/appointments/",
    "/api/v1/bookings/",
    "/api/v1/invoices/",
]


def crawl(client, *, page_size=2) -> list:
    """Every answer a GET crawl gives: each list followed page by page to its end, and the
    page of each row it lists. Small pages, so the cursors are crawled too."""
    answers = []
    for url in LISTS:
        next_url = f"{url}?page_size={page_size}"
        while next_url:
            response = client.get(next_url)
            assert response.status_code == 200, (next_url, response.content)
            answers.append(response)
            body = response.json()
            for row in body["results"]:
                detail = client.get(f"{url}{row['id']}/")
                assert detail.status_code == 200, detail.content
                answers.append(detail)
            next_url = body["next"]
    return answers
