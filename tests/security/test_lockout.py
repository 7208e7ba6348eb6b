"""Lock-out after repeated failed logins (django-axes): per account and per address, released
after the cool-off, and told in words that do not reveal whether the account exists."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.lockout import LOCKED_OUT_STATUS, client_ip, lockout_message
from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def _fail(client, login_with_password, username, times, **extra):
    responses = [login_with_password(client, username, WRONG, **extra) for _attempt in range(times)]
    return responses[-1]


def _page_text(response) -> str:
    """The page without what differs per request (CSRF token, the typed user name)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'name="username"[^>]*>', 'name="username">', text)


def _message() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return lockout_message()


def test_a_wrong_password_below_the_limit_is_just_a_wrong_password(
    users, client, login_with_password
):
    response = _fail(client, login_with_password, "kam", settings.AXES_FAILURE_LIMIT - 1)

    assert response.status_code == 200
    assert _message() not in response.content.decode()
    assert login_with_password(client, "kam").status_code == 302  # the right one still works


def test_the_account_is_locked_after_the_set_number_of_failures(users, client, login_with_password):
    # given kam mistypes the password as often as the limit allows
    response = _fail(client, login_with_password, "kam", settings.AXES_FAILURE_LIMIT)

    # then the login page says so, and even the right password is refused now
    assert response.status_code == LOCKED_OUT_STATUS
    assert _message() in response.content.decode()
    locked = login_with_password(client, "kam")
    assert locked.status_code == LOCKED_OUT_STATUS
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_name_and_address(users, client, login_with_password):
    # given kam's name is locked by failures from one address
    _fail(client, login_with_password, "kam", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="10.0.0.1")
    assert login_with_password(client, "kam", REMOTE_ADDR="10.0.0.1").status_code == (
        LOCKED_OUT_STATUS
    )

    # then a colleague at the same address logs in
    assert login_with_password(Client(), "testweb", REMOTE_ADDR="10.0.0.1").status_code == 302
    # and kam from another address too
    assert login_with_password(Client(), "kam", REMOTE_ADDR="10.0.0.2").status_code == 302


def test_five_wrong_passwords_for_a_made_up_name_do_not_shut_out_the_office(
    users, client, login_with_password
):
    """What the outside test did: a made-up name mistyped at testweb's office address."""
    _fail(
        client,
        login_with_password,
        "ikke-en-bruker",
        settings.AXES_FAILURE_LIMIT,
        REMOTE_ADDR="10.0.0.5",
    )

    assert login_with_password(Client(), "testweb", REMOTE_ADDR="10.0.0.5").status_code == 302


def test_fifty_failures_from_one_address_lock_the_address(users, login_with_password):
    assert settings.PORTAL_LOCKOUT_ADDRESS_LIMIT == 50
    # given one address tries made-up names, a few each, one short of the address's limit
    client = Client()
    names = [f"gjetning{n}" for n in range(settings.PORTAL_LOCKOUT_ADDRESS_LIMIT)]
    for name in names[:-1]:
        login_with_password(client, name, WRONG, REMOTE_ADDR="10.0.0.9")
    assert login_with_password(Client(), "testweb", REMOTE_ADDR="10.0.0.9").status_code == 302

    # when the fiftieth fails
    login_with_password(client, names[-1], WRONG, REMOTE_ADDR="10.0.0.9")

    # then nobody logs in from that address, with the right password either
    for username in ("testweb", "kam"):
        response = login_with_password(Client(), username, REMOTE_ADDR="10.0.0.9")
        assert response.status_code == LOCKED_OUT_STATUS
    # while the same people from another address do
    assert login_with_password(Client(), "testweb", REMOTE_ADDR="10.0.0.10").status_code == 302


def test_a_wrong_password_reads_the_same_for_a_known_and_an_unknown_name(
    users, client, login_with_password
):
    known = login_with_password(Client(), "kam", WRONG, REMOTE_ADDR="10.0.2.1")
    unknown = login_with_password(Client(), "ingen-slik-bruker", WRONG, REMOTE_ADDR="10.0.2.1")

    assert known.status_code == unknown.status_code == 200
    assert _page_text(known) == _page_text(unknown)


def test_the_lock_is_released_after_the_set_time(users, client, login_with_password):
    # given kam is locked out
    _fail(client, login_with_password, "kam", settings.AXES_FAILURE_LIMIT)
    assert login_with_password(client, "kam").status_code == LOCKED_OUT_STATUS

    # when the cool-off has passed (the attempts are that much older), minus a second: still
    cool_off = settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - cool_off + datetime.timedelta(seconds=5)
    )
    assert login_with_password(client, "kam").status_code == LOCKED_OUT_STATUS

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - cool_off - datetime.timedelta(seconds=1)
    )

    # then the right password works again
    response = login_with_password(client, "kam")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["kam"].pk)


def test_the_lock_out_reads_the_same_for_an_account_that_does_not_exist(
    users, client, login_with_password
):
    existing = _fail(
        client, login_with_password, "kam", settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="10.0.1.1"
    )
    missing = _fail(
        client,
        login_with_password,
        "ingen-slik-bruker",
        settings.AXES_FAILURE_LIMIT,
        REMOTE_ADDR="10.0.1.2",
    )

    assert existing.status_code == missing.status_code == LOCKED_OUT_STATUS
    assert _page_text(existing) == _page_text(missing)


def test_a_right_password_without_portal_access_counts_as_a_failure(
    users, client, login_with_password
):
    """It gets the wrong password's answer (portal.forms), so it must lock the same way, or
    the difference would tell the password was right."""

    UserFactory(username="utentilgang")  # password "demo", no grant
    response = _fail(client, login_with_password, "utentilgang", 1)
    assert response.status_code == 200
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login_with_password(client, "utentilgang")

    assert response.status_code == LOCKED_OUT_STATUS


def test_the_lock_out_is_in_the_audit_trail_once(users, client, login_with_password):
    _fail(client, login_with_password, "kam", settings.AXES_FAILURE_LIMIT + 2)

    events = AuditEvent.objects.filter(action="locked_out", object_id=str(users["kam"].pk))
    assert events.count() == 1


def test_the_lock_out_message_is_norwegian_and_names_the_time(settings):
    with translation.override("nb"):
        message = lockout_message()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"Innlogging er sperret i {minutes} minutt" in message


def test_behind_the_load_balancer_the_address_is_the_one_it_saw(rf, settings):
    settings.PORTAL_TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert client_ip(request) == "192.0.2.7"  # what the visitor wrote in front is ignored

    settings.PORTAL_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.1.1.1"


def test_an_address_locked_for_every_name_is_in_the_audit_trail_once(users, login_with_password):
    # given one address fails with made-up names up to its limit, and goes on
    client = Client()
    for n in range(settings.PORTAL_LOCKOUT_ADDRESS_LIMIT + 3):
        login_with_password(client, f"gjetning{n}", WRONG, REMOTE_ADDR="10.0.8.1")

    # then the lock-out of the address is recorded once, though no user has those names
    events = AuditEvent.objects.filter(action="locked_out", object_repr="10.0.8.1")
    assert events.count() == 1
    # and staff read it on the audit trail
    staff = Client()
    staff.force_login(users["kam"])
    page = staff.get("/revisjonslogg/?kind=accounts").content.decode()
    assert "10.0.8.1" in page
