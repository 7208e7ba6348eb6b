"""Two-factor sign-in: a TOTP app as the second factor, recovery codes for the day the phone
is lost. Required for staff (PORTAL_REQUIRE_STAFF_2FA), optional for customer users.

The secret of a device being set up lives in the session until a code from the app proves
it was copied right; only then is the device saved, confirmed, with fresh recovery codes."""

import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction
from audit.services import audit_record

#: In the session: this sign-in still owes its second factor.
SECOND_FACTOR_PENDING = "accounts_second_factor_pending"
#: In the session: the hex secret of the device being set up.
SETUP_SECRET = "accounts_two_factor_setup_secret"

DEVICE_NAME = "Authenticator"
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_STEP = 30
TOTP_DIGITS = 6
TOTP_TOLERANCE = 1  # one step either side: a phone's clock may be half a minute off


def two_factor_required(user) -> bool:
    """Must this user have a second factor before reaching any page?"""
    return bool(
        settings.PORTAL_REQUIRE_STAFF_2FA
        and user.is_authenticated
        and (user.is_staff or user.is_superuser)
    )


def two_factor_enabled(user) -> bool:
    """On means a confirmed app; recovery codes alone are not a second factor."""
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def setup_secret(session) -> str:
    """The secret on the set-up page: the same one until the set-up is done or abandoned."""
    secret = session.get(SETUP_SECRET)
    if not secret:
        secret = secrets.token_hex(20)
        session[SETUP_SECRET] = secret
    return secret


def _base32(secret_hex: str) -> str:
    """The secret as authenticator apps take it: base32, unpadded."""
    return b32encode(unhexlify(secret_hex)).decode().rstrip("=")


def secret_for_display(secret_hex: str) -> str:
    """Base32, in groups of four, as authenticator apps ask it typed."""
    text = _base32(secret_hex)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user, secret_hex: str) -> str:
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{user.get_username()}")
    params = urlencode(
        {
            "secret": _base32(secret_hex),
            "algorithm": "SHA1",
            "digits": TOTP_DIGITS,
            "period": TOTP_STEP,
        }
    )
    return f"otpauth://totp/{label}?{params}&issuer={quote(issuer)}"


def qr_code_svg(uri: str) -> str:
    """The QR code as inline SVG: no image request, nothing for the CSP to allow."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _totp_step_matching(secret_hex: str, token: str) -> int | None:
    try:
        value = int(token)
    except (TypeError, ValueError):
        return None
    totp = TOTP(unhexlify(secret_hex), step=TOTP_STEP, t0=0, digits=TOTP_DIGITS, drift=0)
    totp.time = time.time()
    if totp.verify(value, tolerance=TOTP_TOLERANCE):
        return totp.t()
    return None


def normalize_token(token: str) -> str:
    return "".join((token or "").split()).lower()


@transaction.atomic
def two_factor_enable(*, user, secret_hex: str, token: str) -> list[str]:
    """Save the app as the user's second factor once `token` proves it holds the secret;
    return the recovery codes, to be shown once."""
    if two_factor_enabled(user):
        raise ValidationError(_("Two-factor sign-in is already on."), code="enabled")
    step = _totp_step_matching(secret_hex, normalize_token(token))
    if step is None:
        raise ValidationError(
            _("The code is not right. Check the clock of your phone and try the next code."),
            code="wrong_code",
        )
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user,
        name=DEVICE_NAME,
        key=secret_hex,
        step=TOTP_STEP,
        digits=TOTP_DIGITS,
        tolerance=TOTP_TOLERANCE,
        last_t=step,  # this code is used up
        confirmed=True,
    )
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action=AuditAction.TWO_FACTOR_ENABLED, obj=user)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not two_factor_enabled(user):
        raise ValidationError(_("Two-factor sign-in is not on."), code="disabled")
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, action=AuditAction.RECOVERY_CODES_RENEWED, obj=user)
    return codes


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(settings.PORTAL_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user, actor) -> None:
    """Remove the user's second factor: by the user (not staff while it is required), or by
    a superuser for someone who lost the phone and the codes."""
    if actor.pk == user.pk:
        if two_factor_required(user):
            raise PermissionDenied(_("Staff must keep two-factor sign-in."))
    elif not actor.is_superuser:
        raise PermissionDenied(
            _("Only a superuser may turn off another user's two-factor sign-in.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    action = "two_factor_disabled" if actor.pk == user.pk else "two_factor_reset"
    audit_record(actor=actor, action=action, obj=user)


def second_factor_verify(*, user, token: str):
    """The device that accepts `token` (an app code or an unused recovery code), or None.
    Each device throttles its own failures (django-otp's growing delay)."""
    token = normalize_token(token)
    if not token:
        return None
    # A code of digits is the app's, anything else a recovery code: a recovery code does not
    # count as a failure against the app, nor an app code against the recovery codes.
    model = TOTPDevice if token.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
