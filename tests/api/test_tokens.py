"""Who may call the API: a usable token (401 otherwise), with the endpoint's scope (403
otherwise), and not too often (429)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.sql import emit_post_migrate_signal
from django.forms import modelform_factory
from django.utils import timezone

from api.models import ApiToken
from api.scopes import Scope
from api.services import api_token_issue, api_token_revoke, token_digest
from api.throttling import TokenRateThrottle
from audit.models import AuditAction, AuditEvent
from portal.models import Customer

from .conftest import CUSTOMER_SCOPES

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_the_secret_is_kept_only_as_its_digest(staff_api):
    token = ApiToken.objects.get(pk=staff_api.token.pk)

    assert token.digest == token_digest(staff_api.secret)
    assert staff_api.secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert staff_api.secret.startswith(f"kp_{token.prefix}_")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer kp_00000000_unknown", "Bearer", "Basic dXNlcjpwYXNz", "Bearer a b"],
)
def test_no_usable_token_is_401(client, cast, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get("/api/v1/orders/", **extra)

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


def test_a_revoked_token_is_401_from_its_next_request(staff_api, cast):
    assert staff_api.get("/api/v1/orders/").status_code == 200

    api_token_revoke(token=staff_api.token, actor=cast.superuser)

    response = staff_api.get("/api/v1/orders/")
    assert response.status_code == 401
    assert response.json()["type"] == "urn:kundeportal:problem:unauthenticated"
    assert AuditEvent.objects.filter(
        action=AuditAction.REVOKED, object_id=str(staff_api.token.pk)
    ).exists()


def test_an_expired_token_is_401(token, frozen_clock):
    client = token(expires_at=timezone.now() + datetime.timedelta(days=30))
    assert client.get("/api/v1/orders/").status_code == 200

    frozen_clock.shift(datetime.timedelta(days=30, seconds=1))

    assert client.get("/api/v1/orders/").status_code == 401


def test_after_migrate_an_issued_token_holds_what_its_scopes_carry_now(token):
    """A release that widens a scope reaches the tokens already issued: `migrate` (its
    post_migrate) gives each the staff permissions its scopes carry in the new code."""
    client = token(scopes=[Scope.ORDERS_READ, Scope.ORDERS_WRITE], name="CRM")
    user = client.token.user
    granted = set(user.user_permissions.values_list("codename", flat=True))
    # as a token issued before `orders:write` carried the right to change orders
    user.user_permissions.remove(Permission.objects.get(codename="change_order"))
    user.user_permissions.add(Permission.objects.get(codename="delete_order"))

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert set(user.user_permissions.values_list("codename", flat=True)) == granted
    assert "change_order" in granted


def test_a_token_cannot_be_issued_already_expired(cast):
    with pytest.raises(ValidationError) as refused:
        api_token_issue(
            actor=cast.superuser,
            name="Gammel",
            scopes=[Scope.ORDERS_READ],
            expires_at=timezone.now() - datetime.timedelta(seconds=1),
        )
    assert list(refused.value.message_dict) == ["expires_at"]
    assert not ApiToken.objects.filter(name="Gammel").exists()


def test_only_staff_who_may_manage_tokens_issue_them(cast):
    for actor in (cast.kam, cast.testweb):
        with pytest.raises(PermissionDenied):
            api_token_issue(actor=actor, name="Uten lov", scopes=[Scope.ORDERS_READ])
    assert not ApiToken.objects.filter(name="Uten lov").exists()


@pytest.mark.parametrize(
    ("url", "method", "needs"),
    [
        ("/api/v1/customers/", "get", Scope.CUSTOMERS_READ),
        ("/api/v1/departments/", "get", Scope.CUSTOMERS_READ),
        ("/api/v1/orders/", "get", Scope.ORDERS_READ),
        ("/api/v1/orders/", "post", Scope.ORDERS_WRITE),
        ("/api/v1/employees/", "get", Scope.EMPLOYEES_READ),
        ("/api/v1/employees/", "post", Scope.EMPLOYEES_WRITE),
        ("/api/v1/appointments/", "get", Scope.APPOINTMENTS_READ),
        ("/api/v1/bookings/", "get", Scope.APPOINTMENTS_READ),
        ("/api/v1/appointments/", "post", Scope.APPOINTMENTS_WRITE),
        ("/api/v1/orders/{order}/confirm-seller/", "post", Scope.ORDERS_WRITE),
        ("/api/v1/orders/{order}/confirm/", "post", Scope.ORDERS_WRITE),
        ("/api/v1/orders/{order}/delivered/", "post", Scope.ORDERS_WRITE),
        ("/api/v1/orders/{order}/state/", "post", Scope.ORDERS_WRITE),
        ("/api/v1/orders/{order}/messages/", "get", Scope.ORDERS_READ),
        ("/api/v1/orders/{order}/messages/", "post", Scope.ORDERS_WRITE),
        ("/api/v1/bookings/{booking}/attendance/", "post", Scope.APPOINTMENTS_WRITE),
        ("/api/v1/audit-events/", "get", Scope.AUDIT_READ),
        ("/api/v1/invoices/", "get", Scope.INVOICES_READ),
        ("/api/v1/invoices/", "post", Scope.INVOICES_WRITE),
    ],
)
@pytest.mark.parametrize("restricted", [False, True])
def test_without_the_scope_403(token, cast, world, url, method, needs, restricted):
    others = [
        scope for scope in (CUSTOMER_SCOPES if restricted else Scope.values) if scope != needs
    ]
    url = url.format(order=world.tb_order.pk, booking=world.tb_booking.pk)
    client = token(others, customer=cast.testbedriften if restricted else None)

    response = getattr(client, method)(url, {}, format="json")

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert needs in response.json()["detail"]


def test_reading_scope_does_not_write(token, cast):
    client = token([Scope.EMPLOYEES_READ])

    response = client.post(f"/api/v1/employees/{cast.donald.pk}/deactivate/", {}, format="json")

    assert response.status_code == 403
    cast.donald.refresh_from_db()
    assert cast.donald.is_active


def test_a_request_notes_when_the_token_was_last_used(staff_api, frozen_clock):
    staff_api.get("/api/v1/orders/")

    staff_api.token.refresh_from_db()
    assert staff_api.token.last_used_at == timezone.now()


def test_too_many_requests_from_one_token_429_while_another_token_goes_on(token, monkeypatch):
    # DRF reads the rates when the throttle class is made: set them for this test.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    busy, other = token(name="Travel"), token(name="Rolig")

    answers = [busy.get("/api/v1/product-groups/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert other.get("/api/v1/product-groups/").status_code == 200
    refused = busy.get("/api/v1/product-groups/")
    assert refused["Content-Type"] == PROBLEM
    assert int(refused["Retry-After"]) > 0


def test_a_customer_token_acts_as_that_customers_administrator(tb_api, cast):
    user = tb_api.token.user

    assert not user.is_staff
    assert not user.has_usable_password()
    assert user.portal_grants.get().customer == cast.testbedriften


def test_a_token_without_customer_holds_only_its_scopes_permissions(token):
    client = token([Scope.ORDERS_READ])
    user = client.token.user

    assert user.is_staff
    assert user.has_perm("portal.view_order")
    assert not user.has_perm("portal.view_employee")
    assert not user.has_perm("portal.add_order")


def test_a_staff_tokens_service_user_is_never_offered_as_account_manager(staff_api, cast, login):
    """A token without a customer acts as a staff user, but it is a system, not a person who
    can look after a customer: the KA/KAM field neither offers it nor takes it."""
    service_user = staff_api.token.user
    client = login(cast.superuser)

    offered = client.get(
        "/autocomplete/?app_label=portal&model_name=customer&field_name=account_manager&term="
    ).json()["results"]
    field = modelform_factory(Customer, fields=["account_manager"])().fields["account_manager"]

    assert service_user.is_staff
    assert str(cast.kam.pk) in {choice["id"] for choice in offered}
    assert str(service_user.pk) not in {choice["id"] for choice in offered}
    assert cast.kam in field.queryset
    assert service_user not in field.queryset
