"""A change is saved onto the version it was read at: the row's ETag in If-Match. Two
systems that read the same version and both change it: one is saved, the other answered 412
and nothing of it written; the first's change stays."""

import pytest

from api import versions
from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_the_row_carries_its_version_as_etag(tb_api, cast):
    response = tb_api.get(f"/api/v1/employees/{cast.donald.pk}/")

    assert response["ETag"] == f'"{cast.donald.version}"'


def test_two_updates_with_the_same_etag_one_is_saved_one_412(tb_api, staff_api, cast):
    etag = tb_api.get(f"/api/v1/employees/{cast.donald.pk}/")["ETag"]

    first = tb_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/",
        {"mobile": "41111111"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    second = staff_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/",
        {"mobile": "42222222", "first_name": "Donaldo"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert first.status_code == 200, first.content
    assert second.status_code == 412
    assert second["Content-Type"] == PROBLEM
    assert second.json()["type"] == "urn:kundeportal:problem:stale"
    cast.donald.refresh_from_db()
    assert (cast.donald.mobile, cast.donald.first_name) == ("41111111", "Donald")
    assert first["ETag"] == f'"{cast.donald.version}"' != etag
    # The second, given the new ETag, is saved on top of the first.
    third = staff_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/",
        {"first_name": "Donaldo"},
        format="json",
        HTTP_IF_MATCH=first["ETag"],
    )
    assert third.status_code == 200
    cast.donald.refresh_from_db()
    assert (cast.donald.mobile, cast.donald.first_name) == ("41111111", "Donaldo")


def test_the_service_refuses_a_version_claimed_in_between(tb_api, cast, monkeypatch):
    """The If-Match check and the save are not one step: the service's claim of the version
    is what decides, so a change saved between them is not overwritten either."""
    etag = f'"{cast.donald.version}"'
    real = versions.if_match_version

    def slow_check(request, instance):
        version = real(request, instance)
        type(instance).objects.filter(pk=instance.pk).update(version=version + 1)
        return version

    monkeypatch.setattr("api.views.resources.if_match_version", slow_check)

    response = tb_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/",
        {"mobile": "41111111"},
        format="json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 412
    cast.donald.refresh_from_db()
    assert cast.donald.mobile != "41111111"


def test_an_update_without_if_match_is_428(tb_api, cast):
    response = tb_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/", {"mobile": "41111111"}, format="json"
    )

    assert response.status_code == 428
    assert response["Content-Type"] == PROBLEM
    cast.donald.refresh_from_db()
    assert cast.donald.mobile != "41111111"


def test_an_update_is_audited_with_the_tokens_name(tb_api, cast):
    response = tb_api.patch(
        f"/api/v1/employees/{cast.donald.pk}/",
        {"mobile": "41111111"},
        format="json",
        HTTP_IF_MATCH=f'"{cast.donald.version}"',
    )

    assert response.status_code == 200
    event = AuditEvent.objects.filter(object_id=str(cast.donald.pk)).latest("pk")
    assert event.action == AuditAction.CHANGED
    assert event.actor == tb_api.token.user
    assert tb_api.token.name in event.actor.get_full_name()


def test_deactivating_goes_through_the_service(tb_api, cast):
    response = tb_api.post(f"/api/v1/employees/{cast.donald.pk}/deactivate/", format="json")

    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    cast.donald.refresh_from_db()
    assert cast.donald.deactivated_by == tb_api.token.user
    again = tb_api.post(f"/api/v1/employees/{cast.donald.pk}/deactivate/", format="json")
    assert again.status_code == 400
    assert "Donald" in again.json()["detail"]
