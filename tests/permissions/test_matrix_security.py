# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Who gets what on the pages of sign-in and hardening (issue 11): the audit trail, the
two-factor pages, the two-factor devices' admin and the password reset, over the fixed cast.
Then the same cast with PORTAL_REQUIRE_STAFF_2FA on: staff reach only the set-up."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .helpers import CAST, DENY, GONE, LOGIN, OK, assert_matrix, outcome

NOT_ALLOWED = 405  # POST-only pages answer a GET so
MISSING = 404
SETUP = "302 → /konto/tofaktor/oppsett/"
TO_2FA = "302 → /konto/tofaktor/"  # back to the overview

# fmt: off
#  columns:                                             superuser   staff        cust.adm     orderer      hr           finance      bergen       other        no_grant     inactive     anonymous
MATRIX = [
    # The audit trail: staff only.
    ("/revisjonslogg/",                                 (OK,         OK,          DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    ("/revisjonslogg/?kind=national_ids&actor=kari",    (OK,         OK,          DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    # Two-factor pages: every portal user, for their own account.
    ("/konto/tofaktor/",                                (OK,         OK,          OK,          OK,          OK,          OK,          OK,          OK,          LOGIN,       LOGIN,       LOGIN)),
    ("/konto/tofaktor/oppsett/",                        (OK,         OK,          OK,          OK,          OK,          OK,          OK,          OK,          LOGIN,       LOGIN,       LOGIN)),
    ("/konto/tofaktor/bekreft/",                        (GONE,       GONE,        GONE,        GONE,        GONE,        GONE,        GONE,        GONE,        LOGIN,       LOGIN,       LOGIN)),
    ("/konto/tofaktor/reservekoder/",                   (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, LOGIN,    LOGIN,       LOGIN)),
    ("/konto/tofaktor/slaa-av/",                        (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, LOGIN,    LOGIN,       LOGIN)),
    # The two-factor devices' admin: the superuser only (removes a lost second factor).
    ("/accounts/twofactordevice/",                           (OK,         DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    ("/accounts/twofactordevice/{device.pk}/change/",        (OK,         DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    ("/accounts/twofactordevice/{device.pk}/delete/",        (OK,         DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    ("/accounts/twofactordevice/add/",                       (DENY,       DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    # django-otp's own admin pages (secrets, tokens) are not there.
    ("/otp_static/staticdevice/",                       (MISSING,    MISSING,     MISSING,     MISSING,     MISSING,     MISSING,     MISSING,     MISSING,     LOGIN,       LOGIN,       LOGIN)),
    ("/otp_totp/totpdevice/",                           (MISSING,    MISSING,     MISSING,     MISSING,     MISSING,     MISSING,     MISSING,     MISSING,     LOGIN,       LOGIN,       LOGIN)),
    # Password reset: for anyone, signed in or not.
    ("/passord/glemt/",                                 (OK,         OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK)),
    ("/passord/glemt/sendt/",                           (OK,         OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK)),
    ("/passord/ny/MQ/ugyldig-lenke/",                   (OK,         OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK)),
    ("/passord/ny/ferdig/",                             (OK,         OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK)),
]

# With PORTAL_REQUIRE_STAFF_2FA on: staff without a second factor reach the set-up and nothing else.
REQUIRED_MATRIX = [
    ("/",                                               (SETUP,      SETUP,       OK,          OK,          OK,          OK,          OK,          OK,          LOGIN,       LOGIN,       LOGIN)),
    ("/portal/order/",                                  (SETUP,      SETUP,       OK,          OK,          OK,          OK,          OK,          OK,          LOGIN,       LOGIN,       LOGIN)),
    ("/revisjonslogg/",                                 (SETUP,      SETUP,       DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    ("/accounts/twofactordevice/",                      (SETUP,      SETUP,       DENY,        DENY,        DENY,        DENY,        DENY,        DENY,        LOGIN,       LOGIN,       LOGIN)),
    ("/konto/tofaktor/",                                (SETUP,      SETUP,       OK,          OK,          OK,          OK,          OK,          OK,          LOGIN,       LOGIN,       LOGIN)),
    ("/konto/tofaktor/oppsett/",                        (OK,         OK,          OK,          OK,          OK,          OK,          OK,          OK,          LOGIN,       LOGIN,       LOGIN)),
    ("/passord/glemt/",                                 (SETUP,      SETUP,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK)),
]
# fmt: on


def answer(response):
    """The answer as the matrix writes it, a redirect without its query string."""
    got = outcome(response)
    if isinstance(got, str) and got.startswith("302 → "):
        return got.split("?")[0]
    return got


@pytest.fixture
def device(cast):
    """A second factor of somebody's: the other customer's user."""
    return TOTPDevice.objects.create(user=cast.annen, name="Authenticator", confirmed=False)


@pytest.mark.parametrize("member", CAST)
def test_security_pages_matrix(member, cast, world, client, device):
    assert_matrix(client, cast, member, MATRIX, world=world, fill={"device": device}, answer=answer)


@pytest.mark.parametrize("member", CAST)
def test_security_pages_matrix_with_staff_2fa_required(
    member, cast, world, client, device, settings
):
    settings.PORTAL_REQUIRE_STAFF_2FA = True
    assert_matrix(
        client, cast, member, REQUIRED_MATRIX, world=world, fill={"device": device}, answer=answer
    )
