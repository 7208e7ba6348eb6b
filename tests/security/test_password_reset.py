"""Password reset by e-mail: Django's views in the portal's look; the link works once and
expires after PASSWORD_RESET_TIMEOUT; nothing tells whether an address is known."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from permissions.invitations import INVITATION_VALID_FOR, invitation_tokens

# Real commits: the reset mail is queued with its request and goes out once that commits.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Fjelltur-med-kaffe-77"


def _ask_for_link(client, email):
    return client.post("/passord/glemt/", {"email": email})


def _link_in_last_mail() -> str:
    link = re.search(r"https?://\S+/passord/ny/\S+/", str(mail.outbox[-1].body))
    assert link is not None, mail.outbox[-1].body
    return link.group(0)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_login_page_links_to_the_reset(client, db):
    text = client.get("/login/").content.decode()
    assert 'href="/passord/glemt/"' in text


def test_the_reset_link_works_once(users, client):
    # given testweb asks for a link
    response = _ask_for_link(client, "testweb@testikkeibruk.no")
    assert response["Location"] == "/passord/glemt/sendt/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["testweb@testikkeibruk.no"]
    link = _link_in_last_mail()
    assert link.startswith(settings.PORTAL_BASE_URL)
    assert "gyldig i 60 minutter" in mail.outbox[0].body

    # when they follow it and choose a new password
    form_page = client.get(_path(link), follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # then the password is set, and the same link is dead
    assert done["Location"] == "/passord/ny/ferdig/"
    users["testweb"].refresh_from_db()
    assert users["testweb"].check_password(NEW_PASSWORD)
    again = Client().get(_path(link), follow=True)
    assert again.context["validlink"] is False
    assert 'data-testid="reset-link-invalid"' in again.content.decode()
    assert AuditEvent.objects.filter(
        action="password_reset", object_id=str(users["testweb"].pk)
    ).exists()


@pytest.mark.parametrize(("seconds_later", "valid"), [(60 * 60 - 1, True), (60 * 60 + 1, False)])
def test_the_reset_link_expires_after_an_hour(users, client, seconds_later, valid):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _ask_for_link(client, "testweb@testikkeibruk.no")
        link = _link_in_last_mail()

        clock.shift(datetime.timedelta(seconds=seconds_later))
        response = client.get(_path(link), follow=True)

    assert response.context["validlink"] is valid


@pytest.mark.parametrize(
    ("asked", "followed", "valid"),
    [
        # 01:50 winter time, then 03:20 summer time: 30 minutes later, though the clock says 90
        ("2026-03-29T01:50+01:00", "2026-03-29T03:20+02:00", True),
        # 02:50 summer time, then 03:10 winter time: 80 minutes later, though the clock says 20
        ("2026-10-25T02:50+02:00", "2026-10-25T03:10+01:00", False),
    ],
)
def test_the_reset_link_lasts_an_hour_of_real_time_across_the_clock_change(
    users, client, asked, followed, valid
):
    """The hour is counted in real time, not on Oslo's wall clock, on the nights the clocks
    go forward and back."""
    with time_machine.travel(datetime.datetime.fromisoformat(asked), tick=False):
        _ask_for_link(client, "testweb@testikkeibruk.no")
    link = _link_in_last_mail()

    with time_machine.travel(datetime.datetime.fromisoformat(followed), tick=False):
        response = client.get(_path(link), follow=True)

    assert response.context["validlink"] is valid


def test_the_invitation_keeps_its_own_seven_days(users):
    """An invitation link (a set-password token of its own) is not cut to the reset's hour."""
    user = users["testweb"]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = invitation_tokens.make_token(user)
        clock.shift(datetime.timedelta(days=6))
        assert invitation_tokens.check_token(user, token)
    assert datetime.timedelta(days=7) == INVITATION_VALID_FOR


def test_an_unknown_address_gets_the_same_answer_and_no_mail(users, client):
    known = _ask_for_link(client, "testweb@testikkeibruk.no")
    unknown = _ask_for_link(client, "finnes.ikke@example.no")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_a_reset_ends_every_session_and_lifts_a_lock_out(users, client, login_with_password):
    # given testweb is logged in elsewhere, and locked out here
    elsewhere = Client()
    elsewhere.force_login(users["testweb"])
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login_with_password(client, "testweb", "feil-passord", REMOTE_ADDR="10.9.9.9")

    # when they reset the password by the e-mailed link
    _ask_for_link(Client(), "testweb@testikkeibruk.no")
    page = client.get(_path(_link_in_last_mail()), follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    # then the old session has ended, and the new password logs in (from another address)
    assert elsewhere.get("/portal/order/").status_code == 302
    response = login_with_password(Client(), "testweb", NEW_PASSWORD, REMOTE_ADDR="10.9.9.8")
    assert response.status_code == 302


def test_a_weak_new_password_is_refused(users, client):
    _ask_for_link(client, "testweb@testikkeibruk.no")
    page = client.get(_path(_link_in_last_mail()), follow=True)

    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    users["testweb"].refresh_from_db()
    assert users["testweb"].check_password("demo")
