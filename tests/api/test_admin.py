"""Staff issue a token in the admin, see its secret once, and revoke it there."""

import re

import pytest

from api.models import ApiToken
from api.scopes import Scope
from api.services import token_digest
from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

ADD = "/api/apitoken/add/"


def test_issuing_shows_the_secret_once_and_keeps_only_its_digest(login, cast):
    client = login(cast.superuser)

    response = client.post(
        ADD,
        {
            "name": "CRM",
            "customer": cast.testbedriften.pk,
            "scopes": [Scope.ORDERS_READ, Scope.ORDERS_WRITE],
            "expires_at_0": "",
            "expires_at_1": "",
        },
    )

    assert response.status_code == 200, response.content[:2000]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    secret = re.search(r'value="(kp_[^"]+)"', page).group(1)
    token = ApiToken.objects.get(name="CRM")
    assert token.digest == token_digest(secret)
    assert token.scopes == ["orders:read", "orders:write"]
    assert token.customer == cast.testbedriften
    assert token.created_by == cast.superuser
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, object_id=str(token.pk)).exists()
    change = client.get(f"/api/apitoken/{token.pk}/change/").content.decode()
    assert secret not in change
    assert token.prefix in change
    # The secret works.
    api = client.__class__()
    orders = api.get("/api/v1/orders/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert orders.status_code == 200


def test_a_customers_token_with_the_audit_scope_is_refused_on_the_form(login, cast):
    client = login(cast.superuser)

    response = client.post(
        ADD,
        {
            "name": "Kunde med logg",
            "customer": cast.testbedriften.pk,
            "scopes": [Scope.ORDERS_READ, Scope.AUDIT_READ],
            "expires_at_0": "",
            "expires_at_1": "",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["scopes"] == [
        "En nøkkel for én kunde kan ikke ha tilgangen audit:read."
    ]
    assert not ApiToken.objects.filter(name="Kunde med logg").exists()


def test_revoking_in_the_admin(login, cast, staff_api):
    client = login(cast.superuser)
    token = staff_api.token

    response = client.post(f"/api/apitoken/{token.pk}/revoke/", {"_form_submitted": "1"})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == cast.superuser
    assert staff_api.get("/api/v1/orders/").status_code == 401


@pytest.mark.parametrize("who", ["kam", "testweb"])
def test_others_do_not_reach_the_tokens(login, cast, staff_api, who):
    client = login(getattr(cast, who))

    assert client.get("/api/apitoken/").status_code in (302, 403)
    assert client.get(f"/api/apitoken/{staff_api.token.pk}/change/").status_code in (302, 403)
    client.post(f"/api/apitoken/{staff_api.token.pk}/revoke/", {"_form_submitted": "1"})
    staff_api.token.refresh_from_db()
    assert staff_api.token.revoked_at is None
