"""The audit trail for the provider's systems: read-only, tokens without a customer only, a
write through the API named by the token, never a national id number nor a health answer."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from api.models import ApiToken
from api.scopes import Scope
from api.services import api_token_issue, api_token_update
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
NATIONAL_ID = "13091850189"  # Donald's birth date, as in test_national_id.py


def _all(client, **query) -> list[dict]:
    rows, url = [], "/api/v1/audit-events/"
    params = {"page_size": 2, **query}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        url, params = body["next"], {}
    return rows


def test_an_api_write_names_the_token_as_actor(staff_api, cast):
    etag = staff_api.get(f"/api/v1/employees/{cast.donald.pk}/")["ETag"]
    staff_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/",
        {"mobile": "41111111"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    rows = _all(staff_api, object_type="portal.employee", object_id=str(cast.donald.pk))

    assert rows[-1]["actor_name"] == "CRM"
    assert rows[-1]["actor"] == staff_api.token.user.pk
    assert rows[-1]["action"] == AuditAction.CHANGED
    assert rows[-1]["changes"]["mobile"][1] == "41111111"


def test_a_national_id_never_shows(staff_api, cast):
    etag = staff_api.get(f"/api/v1/employees/{cast.donald.pk}/")["ETag"]
    changed = staff_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/",
        {"national_id": NATIONAL_ID},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200, changed.content
    # An event whose text holds a number, however it got there.
    audit_record(
        actor=cast.kam,
        action=AuditAction.CHANGED,
        obj=cast.donald,
        object_repr=f"Donald Duck {NATIONAL_ID}",
        changes={"note": [None, f"fnr {NATIONAL_ID[:6]} {NATIONAL_ID[6:]}"]},
    )

    response_text = json.dumps(_all(staff_api, object_type="portal.employee"))

    assert NATIONAL_ID not in response_text
    assert NATIONAL_ID[6:] not in response_text
    rows = _all(staff_api, object_id=str(cast.donald.pk), action="changed")
    assert any(row["changes"].get("national_id") == ["changed", "changed"] for row in rows)


def test_a_health_declaration_read_names_who_read_not_what(staff_api, cast):
    # Were an answer ever written into an event's changes, it still would not show.
    event = AuditEvent.objects.create(
        actor=cast.kam,
        action=AuditAction.HEALTH_DECLARATION_READ,
        content_type=ContentType.objects.get_by_natural_key("health", "questionnaireanswer"),
        object_id="1",
        object_repr="Egenerklæring for Anton Andersen",
        changes={"answers": ["ja, astma", "ja, astma"]},
    )

    rows = _all(staff_api, action=AuditAction.HEALTH_DECLARATION_READ)

    assert [row["id"] for row in rows] == [event.pk]
    assert rows[0]["actor_name"] == cast.kam.get_full_name()
    assert rows[0]["changes"] == {}
    assert "astma" not in json.dumps(rows)


def test_since_action_and_actor_filter(staff_api, cast, frozen_clock):
    before = timezone.now()
    frozen_clock.shift(datetime.timedelta(minutes=5))
    audit_record(actor=cast.kam, action=AuditAction.DEACTIVATED, obj=cast.donald)
    audit_record(actor=cast.superuser, action=AuditAction.DEACTIVATED, obj=cast.anton)

    since = _all(staff_api, since=(before + datetime.timedelta(minutes=1)).isoformat())
    by_kam = _all(staff_api, actor=cast.kam.pk, action=AuditAction.DEACTIVATED)

    assert [row["object_id"] for row in since] == [str(cast.donald.pk), str(cast.anton.pk)]
    assert [row["object_id"] for row in by_kam] == [str(cast.donald.pk)]


@pytest.mark.parametrize(
    "query", [{"since": "i går"}, {"action": "stolen"}, {"actor": "kam"}, {"cursor": "x"}]
)
def test_a_bad_filter_is_400_naming_it(staff_api, query):
    response = staff_api.get("/api/v1/audit-events/", query)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == list(query)


def test_a_customers_token_is_403_even_holding_the_scope(token, cast):
    client = token(customer=cast.testbedriften, name="Gammel kundenøkkel")
    # A row from before the rule (or written past the service): the scope is no key.
    ApiToken.objects.filter(pk=client.token.pk).update(
        scopes=[*client.token.scopes, Scope.AUDIT_READ]
    )

    response = client.get("/api/v1/audit-events/")

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_without_the_scope_403(token):
    client = token([Scope.ORDERS_READ], name="Uten revisjon")

    assert client.get("/api/v1/audit-events/").status_code == 403


def test_a_customers_token_cannot_be_issued_the_audit_scope(cast):
    with pytest.raises(ValidationError) as refused:
        api_token_issue(
            actor=cast.superuser,
            name="Kunde med logg",
            scopes=[Scope.ORDERS_READ, Scope.AUDIT_READ],
            customer=cast.testbedriften,
        )

    assert list(refused.value.message_dict) == ["scopes"]
    assert "audit:read" in refused.value.message_dict["scopes"][0]
    assert not ApiToken.objects.filter(name="Kunde med logg").exists()


def test_nor_given_it_later(token, cast):
    client = token([Scope.ORDERS_READ], customer=cast.testbedriften, name="Kunde")

    with pytest.raises(ValidationError):
        api_token_update(token=client.token, actor=cast.superuser, scopes=[Scope.AUDIT_READ])

    client.token.refresh_from_db()
    assert client.token.scopes == [Scope.ORDERS_READ]


def test_the_trail_cannot_be_written(staff_api):
    before = AuditEvent.objects.count()

    response = staff_api.post("/api/v1/audit-events/", {}, format="json")

    assert response.status_code in (403, 405)
    assert AuditEvent.objects.count() == before


def test_one_event_reads_by_its_id(staff_api, cast):
    event = audit_record(actor=cast.kam, action=AuditAction.DEACTIVATED, obj=cast.donald)

    response = staff_api.get(f"/api/v1/audit-events/{event.pk}/")

    assert response.status_code == 200
    assert response.json()["object_type"] == "portal.employee"


def test_a_page_costs_the_same_few_queries_however_many_actors(
    staff_api, cast, django_assert_max_num_queries
):
    for actor in (cast.kam, cast.superuser, cast.testweb, cast.annen):
        audit_record(actor=actor, action=AuditAction.DEACTIVATED, obj=cast.donald)

    with django_assert_max_num_queries(8):
        response = staff_api.get("/api/v1/audit-events/", {"page_size": 50})

    assert response.status_code == 200
