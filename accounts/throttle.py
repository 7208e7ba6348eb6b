"""How often a password reset link may be asked for: per e-mail address and per client
address, counted in the database (PasswordResetRequest), so that every app server counts the
same requests. A refused request gets the same answer as any other: nothing tells whether
the address exists or is throttled."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import PasswordResetRequest

_SALT = "accounts.throttle.password_reset"


def _email_hash(email: str) -> str:
    """Django matches the address case-insensitively, so the count does too."""
    return salted_hmac(_SALT, email.strip().casefold(), algorithm="sha256").hexdigest()


def password_reset_request_record(*, email: str, ip_address: str | None) -> bool:
    """Count a request for a reset link; True when a mail may go out for it.

    The request is written before the count, which sees every request written so far: of
    the requests that pass, the last to count saw all the others, so no more than the limit
    pass even from several app servers at once (a race may refuse one that would have fitted,
    never the other way round). A refused request is taken out again, so that somebody
    hammering an address does not keep its owner from a link once the window has passed.
    """
    now = timezone.now()
    since = now - datetime.timedelta(seconds=settings.PORTAL_PASSWORD_RESET_WINDOW)
    PasswordResetRequest.objects.filter(created_at__lt=since).delete()
    request = PasswordResetRequest.objects.create(
        email_hash=_email_hash(email), ip_address=ip_address or None, created_at=now
    )
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    by_email = recent.filter(email_hash=request.email_hash).count()
    by_address = recent.filter(ip_address=request.ip_address).count() if ip_address else 0
    allowed = (
        by_email <= settings.PORTAL_PASSWORD_RESET_PER_EMAIL
        and by_address <= settings.PORTAL_PASSWORD_RESET_PER_ADDRESS
    )
    if not allowed:
        request.delete()
    return allowed
