"""The sign-in tests' helpers: a phone that shows TOTP codes, a second factor, the real login
form, and the switch for the staff two-factor requirement. The demo users are the `cast`'s."""

import secrets
import time
from binascii import unhexlify

import pytest
from django_otp.oath import TOTP

from accounts.two_factor import two_factor_enable

PASSWORD = "demo"


class Phone:
    """The authenticator app: the code of now, or of `steps` 30-second steps later."""

    def __init__(self, key_hex: str):
        self.key = unhexlify(key_hex)

    def code(self, steps: int = 0) -> str:
        generator = TOTP(self.key, step=30, t0=0, digits=6, drift=0)
        generator.time = time.time() + steps * 30
        return f"{generator.token():06d}"


@pytest.fixture
def staff_2fa_required(settings):
    settings.PORTAL_REQUIRE_STAFF_2FA = True


@pytest.fixture
def give_second_factor():
    """`give_second_factor(user)` -> (Phone, recovery codes): two-factor is on, set up through
    the service with this minute's code (so the next code to use is `phone.code(1)`)."""

    def _give(user):
        secret = secrets.token_hex(20)
        phone = Phone(secret)
        codes = two_factor_enable(user=user, secret_hex=secret, token=phone.code())
        return phone, codes

    return _give


@pytest.fixture
def login_with_password():
    """`login_with_password(client, username)`: the real login form, as a browser posts it."""

    def _login(client, username, password=PASSWORD, **extra):
        return client.post(
            "/login/?next=/", {"username": username, "password": password, "next": "/"}, **extra
        )

    return _login
