"""Two-factor sign-in: staff must have it (with PORTAL_REQUIRE_STAFF_2FA on) and reach no page
but the set-up until they do; customers may turn it on; recovery codes work once."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import SECOND_FACTOR_PENDING, SETUP_SECRET
from audit.models import AuditEvent

from .conftest import Phone

pytestmark = pytest.mark.django_db

SETUP = "/konto/tofaktor/oppsett/"
VERIFY = "/konto/tofaktor/bekreft/"
OVERVIEW = "/konto/tofaktor/"

# Every kind of page a staff user could try: lists, forms, actions, reports, the audit trail.
STAFF_PAGES = [
    "/",
    "/portal/order/",
    "/portal/order/add/",
    "/portal/employee/",
    "/portal/invoice/",
    "/portal/customer/",
    "/permissions/grant/",
    "/auth/user/",
    "/rapporter/",
    "/revisjonslogg/",
    "/password_change/",
    OVERVIEW,
    "/konto/tofaktor/reservekoder/",
    "/accounts/twofactordevice/",
    "/autocomplete/?app_label=portal&model_name=order&field_name=department&term=",
]


def _throttle_passed(user):
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def _redirect_target(response) -> str:
    return response["Location"].split("?")[0] if response.status_code == 302 else ""


@pytest.mark.parametrize("username", ["kam", "superuser"])
def test_staff_without_a_second_factor_reach_only_the_set_up(
    username, cast, client, staff_2fa_required
):
    client.force_login(getattr(cast, username))

    for url in STAFF_PAGES:
        for method in (client.get, client.post):
            response = method(url)
            assert _redirect_target(response) == SETUP, f"{method.__name__.upper()} {url}"

    assert client.get(SETUP).status_code == 200
    assert client.post("/logout/").status_code == 200  # logging out is always possible


def test_staff_are_sent_back_to_where_they_were_going(cast, client, staff_2fa_required):
    client.force_login(cast.kam)

    response = client.get("/portal/order/?status=approved")

    assert response["Location"] == f"{SETUP}?next=%2Fportal%2Forder%2F%3Fstatus%3Dapproved"


def test_without_the_setting_staff_need_no_second_factor(cast, client, settings):
    settings.PORTAL_REQUIRE_STAFF_2FA = False
    client.force_login(cast.kam)

    assert client.get("/portal/order/").status_code == 200


def test_customers_need_no_second_factor_even_with_the_setting_on(cast, client, staff_2fa_required):
    client.force_login(cast.testweb)

    assert client.get("/portal/order/").status_code == 200


def test_the_set_up_shows_a_qr_code_and_the_secret_and_a_code_confirms_it(
    cast, client, staff_2fa_required
):
    kam = cast.kam
    client.force_login(kam)

    # given kam opens the set-up page
    page = client.get(SETUP + "?next=/portal/order/")
    text = page.content.decode()
    assert "<svg" in text
    assert 'data-testid="qr-code"' in text
    secret = client.session[SETUP_SECRET]
    shown = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', text).group(1)
    assert shown.replace(" ", "")
    assert len(shown.replace(" ", "")) == 32
    assert not TOTPDevice.objects.filter(user=kam).exists()  # a GET saves nothing

    # when a wrong code is typed, nothing is turned on
    wrong = client.post(SETUP, {"token": "000000", "next": "/portal/order/"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=kam).exists()

    # when the app's code is typed
    phone = Phone(secret)
    response = client.post(SETUP, {"token": phone.code(), "next": "/portal/order/"})

    # then the device is saved, the recovery codes are shown once, and the pages open
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert "no-store" in response["Cache-Control"]
    assert TOTPDevice.objects.get(user=kam).confirmed
    assert client.get("/portal/order/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor_enabled", object_id=str(kam.pk)).exists()
    # and they are not shown again
    overview = client.get(OVERVIEW).content.decode()
    assert not any(code in overview for code in codes)


def test_a_sign_in_with_a_second_factor_asks_for_the_code_first(
    cast, client, give_second_factor, login_with_password
):
    phone, _codes = give_second_factor(cast.testweb)

    # given testweb logs in with the right password
    response = login_with_password(client, "testweb")
    assert response.status_code == 302

    # then every page leads to the code page first
    assert _redirect_target(client.get("/portal/order/")) == VERIFY
    assert client.session[SECOND_FACTOR_PENDING] is True

    # a wrong code does not let them in
    wrong = client.post(VERIFY, {"token": "123456", "next": "/portal/order/"})
    assert wrong.status_code == 200
    assert _redirect_target(client.get("/portal/order/")) == VERIFY

    # the app's code does (once django-otp's delay after the wrong one has passed)
    _throttle_passed(cast.testweb)
    ok = client.post(VERIFY, {"token": phone.code(1), "next": "/portal/order/"})
    assert ok["Location"] == "/portal/order/"
    assert client.get("/portal/order/").status_code == 200


def test_staff_with_a_second_factor_give_the_code_at_every_sign_in(
    cast, client, give_second_factor, login_with_password, staff_2fa_required
):
    phone, _codes = give_second_factor(cast.kam)
    login_with_password(client, "kam")

    assert _redirect_target(client.get("/")) == VERIFY
    client.post(VERIFY, {"token": phone.code(1)})
    assert client.get("/").status_code == 200


def test_a_code_works_only_once(cast, client, give_second_factor, login_with_password):
    phone, _codes = give_second_factor(cast.testweb)
    login_with_password(client, "testweb")
    code = phone.code(1)
    client.post(VERIFY, {"token": code})
    client.post("/logout/")

    login_with_password(client, "testweb")
    again = client.post(VERIFY, {"token": code})

    assert again.status_code == 200  # refused: the page again, with the error
    assert _redirect_target(client.get("/")) == VERIFY


def test_a_recovery_code_works_once(cast, client, give_second_factor, login_with_password):
    _phone, codes = give_second_factor(cast.testweb)

    login_with_password(client, "testweb")
    used = client.post(VERIFY, {"token": codes[0].upper(), "next": "/"})
    assert used["Location"] == "/"
    assert StaticToken.objects.filter(device__user=cast.testweb).count() == len(codes) - 1

    client.post("/logout/")
    login_with_password(client, "testweb")
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 200
    assert _redirect_target(client.get("/")) == VERIFY


def test_new_recovery_codes_replace_the_old_ones(cast, client, give_second_factor):
    _phone, old = give_second_factor(cast.testweb)
    client.force_login(cast.testweb)
    session = client.session
    session.pop(SECOND_FACTOR_PENDING)
    session.save()

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=cast.testweb).persistent_id
    session.save()

    response = client.post("/konto/tofaktor/reservekoder/")

    new = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    tokens = StaticToken.objects.filter(device__user=cast.testweb).values_list("token")
    assert {token for (token,) in tokens} == set(new)


def test_a_customer_turns_two_factor_on_and_off(cast, client):
    testweb = cast.testweb
    client.force_login(testweb)
    assert 'data-enabled="false"' in client.get(OVERVIEW).content.decode()

    client.get(SETUP)
    phone = Phone(client.session[SETUP_SECRET])
    client.post(SETUP, {"token": phone.code()})
    assert 'data-enabled="true"' in client.get(OVERVIEW).content.decode()

    refused = client.post("/konto/tofaktor/slaa-av/", {"password": "wrong"})
    assert refused.status_code == 200
    assert 'data-enabled="true"' in refused.content.decode()
    assert refused.context["disable_form"].errors["password"]
    assert TOTPDevice.objects.filter(user=testweb).exists()

    client.post("/konto/tofaktor/slaa-av/", {"password": "demo"})
    assert not TOTPDevice.objects.filter(user=testweb).exists()
    disabled = AuditEvent.objects.filter(action="two_factor_disabled", object_id=str(testweb.pk))
    assert disabled.exists()


def test_staff_cannot_turn_it_off_while_it_is_required(
    cast, client, give_second_factor, login_with_password, staff_2fa_required
):
    phone, _codes = give_second_factor(cast.kam)
    login_with_password(client, "kam")
    client.post(VERIFY, {"token": phone.code(1)})

    client.post("/konto/tofaktor/slaa-av/", {"password": "demo"})

    assert TOTPDevice.objects.filter(user=cast.kam).exists()


def test_a_superuser_removes_a_lost_second_factor(cast, client, give_second_factor):
    give_second_factor(cast.testweb)
    device = TOTPDevice.objects.get(user=cast.testweb)
    client.force_login(cast.superuser)

    response = client.post(
        reverse("admin:accounts_twofactordevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.testweb).exists()
    assert AuditEvent.objects.filter(action="two_factor_reset", actor=cast.superuser).exists()


@override_settings(PORTAL_REQUIRE_STAFF_2FA=True)
def test_a_removed_second_factor_does_not_strand_a_waiting_sign_in(
    cast, client, give_second_factor, login_with_password
):
    give_second_factor(cast.testweb)
    login_with_password(client, "testweb")
    TOTPDevice.objects.filter(user=cast.testweb).delete()

    response = client.get(VERIFY + "?next=/portal/order/")

    assert response["Location"] == "/portal/order/"
    assert client.get("/portal/order/").status_code == 200
