"""Sessions end after 30 minutes without a request, and everywhere when the password changes."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.models import UserSession
from accounts.sessions import LAST_ACTIVITY

pytestmark = pytest.mark.django_db


def _age_session(client, seconds):
    session = client.session
    session[LAST_ACTIVITY] = int(time.time() - seconds)
    session.save()


def test_the_idle_limit_is_30_minutes():
    assert settings.PORTAL_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_idle_for_more_than_30_minutes_ends(cast, client):
    # given testweb logged in and then did nothing for 31 minutes
    client.force_login(cast.testweb)
    _age_session(client, 31 * 60)

    # when they click again
    response = client.get("/portal/order/")

    # then they are at the login page, logged out, with the reason
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    minutes = settings.PORTAL_SESSION_IDLE_SECONDS // 60
    assert f"Du ble logget ut etter {minutes} minutter uten aktivitet." in login_page


def test_a_session_in_use_goes_on(cast, client):
    client.force_login(cast.testweb)
    _age_session(client, 29 * 60)

    assert client.get("/portal/order/").status_code == 200
    # and its clock started again
    assert time.time() - client.session[LAST_ACTIVITY] < 5


def test_the_clock_is_not_written_on_every_request(cast, client):
    """A session is saved at most once a minute for its clock, not on every click."""
    client.force_login(cast.testweb)
    before = Session.objects.get().expire_date

    client.get("/portal/order/")
    client.get("/portal/invoice/")

    assert Session.objects.get().expire_date == before


def test_the_session_expires_on_the_server_too(cast, client):
    client.force_login(cast.testweb)
    session = Session.objects.get()

    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert remaining <= settings.PORTAL_SESSION_IDLE_SECONDS + 5


def test_a_password_change_ends_every_other_session(cast, client):
    # given testweb is logged in on two machines
    testweb = cast.testweb
    other_machine = Client()
    other_machine.force_login(testweb)
    client.force_login(testweb)
    assert other_machine.get("/portal/order/").status_code == 200

    # when they change the password on this one
    response = client.post(
        "/password_change/",
        {
            "old_password": "demo",
            "new_password1": "Et-helt-nytt-passord-2024",
            "new_password2": "Et-helt-nytt-passord-2024",
        },
    )
    assert response.status_code == 302, response.context["form"].errors

    # then this session goes on, and the other one has ended
    assert client.get("/portal/order/").status_code == 200
    ended = other_machine.get("/portal/order/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/login/")


def test_each_sign_in_is_filed_under_its_user_and_ended_sessions_are_forgotten(cast):
    """Sessions are filed to end them when access is revoked; one that ended (expired, cleared)
    is forgotten at the user's next sign-in, so the rows do not pile up."""
    first, second = Client(), Client()
    first.force_login(cast.testweb)
    ended = first.session.session_key
    Session.objects.filter(session_key=ended).delete()  # expired and cleared

    second.force_login(cast.testweb)

    filed = UserSession.objects.filter(user=cast.testweb).values_list("session_key", flat=True)
    assert list(filed) == [second.session.session_key]
    second.post("/logout/")
    assert not UserSession.objects.filter(user=cast.testweb).exists()
