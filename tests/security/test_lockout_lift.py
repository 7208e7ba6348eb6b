"""Staff lift a lock-out from the user's page («Opphev sperring»): the button is there only
for whoever may change users and only while the user has failed logins; lifting is audited,
and the audit trail shows both the lock-out and its lifting (issue 19.13)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from accounts.lockout import LOCKED_OUT_STATUS, lockout_lift
from audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "10.0.3.1"


def _lock_out(login_with_password, username):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login_with_password(client, username, "feil-passord", REMOTE_ADDR=ADDRESS)
    assert login_with_password(client, username, REMOTE_ADDR=ADDRESS).status_code == (
        LOCKED_OUT_STATUS
    )


def _lift_url(user) -> str:
    return f"/auth/user/{user.pk}/lift-lockout/"


#: What the confirmation dialog posts.
DIALOG = {"_form_submitted": "True"}


@pytest.fixture
def user_admin(db):
    """Staff who may change users (not a superuser)."""
    user = UserFactory(username="brukerstotte", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="auth", codename__in=["view_user", "change_user"]
        )
    )
    return user


@pytest.mark.parametrize("lifter", ["admin", "user_admin"])
def test_staff_who_may_change_users_lift_a_lock_out(lifter, users, user_admin, login_with_password):
    # given testweb is locked out
    testweb = users["testweb"]
    _lock_out(login_with_password, "testweb")
    staff = Client()
    staff.force_login(users["admin"] if lifter == "admin" else user_admin)

    # when staff open testweb's page, see the button and lift the lock-out
    page = staff.get(f"/auth/user/{testweb.pk}/change/").content.decode()
    assert _lift_url(testweb) in page
    response = staff.post(_lift_url(testweb), DIALOG)

    # then testweb logs in at once, from the same address
    assert response.status_code == 302
    assert login_with_password(Client(), "testweb", REMOTE_ADDR=ADDRESS).status_code == 302
    assert not AccessAttempt.objects.filter(username="testweb").exists()
    # and the audit trail says who lifted it
    event = AuditEvent.objects.get(action=AuditAction.LOCKOUT_LIFTED, object_id=str(testweb.pk))
    assert event.actor.username == ("admin" if lifter == "admin" else "brukerstotte")
    assert event.changes == {"failed_logins": [settings.AXES_FAILURE_LIMIT, 0]}


@pytest.mark.parametrize("member", ["kam", "testweb", "annen"])
def test_who_may_not_change_users_cannot_lift_one(member, users, login_with_password):
    # given testweb is locked out
    _lock_out(login_with_password, "testweb")
    client = Client()
    client.force_login(users[member])

    # when staff without the permission, or a customer user, post the lifting
    response = client.post(_lift_url(users["testweb"]), DIALOG)

    # then it is refused, and the lock-out stays
    assert response.status_code == 403
    assert login_with_password(Client(), "testweb", REMOTE_ADDR=ADDRESS).status_code == (
        LOCKED_OUT_STATUS
    )
    assert not AuditEvent.objects.filter(action=AuditAction.LOCKOUT_LIFTED).exists()


def test_the_service_refuses_whoever_may_not_change_users(users, login_with_password):
    _lock_out(login_with_password, "testweb")

    for actor in (users["kam"], users["testweb"]):
        with pytest.raises(PermissionDenied):
            lockout_lift(user=users["testweb"], actor=actor)

    assert AccessAttempt.objects.filter(username="testweb").exists()


def test_no_button_without_failed_logins(users):
    staff = Client()
    staff.force_login(users["admin"])

    page = staff.get(f"/auth/user/{users['testweb'].pk}/change/").content.decode()

    assert _lift_url(users["testweb"]) not in page


def test_the_audit_trail_shows_the_lock_out_and_its_lifting(users, login_with_password):
    _lock_out(login_with_password, "testweb")
    lockout_lift(user=users["testweb"], actor=users["admin"])
    staff = Client()
    staff.force_login(users["kam"])

    page = staff.get("/revisjonslogg/?kind=accounts").content.decode()

    with translation.override(settings.LANGUAGE_CODE):
        assert str(AuditAction.LOCKED_OUT.label) in page
        assert str(AuditAction.LOCKOUT_LIFTED.label) in page
