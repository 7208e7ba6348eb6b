"""What happens at sign-in: the idle clock starts, the session is filed under its user (to end
it when access is revoked), and a user with a second factor is asked for it before anything
else (accounts.middleware.SecondFactorMiddleware)."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.services import audit_event, audit_for, audit_record

from .lockout import address_is_locked
from .sessions import session_touch, user_session_forget, user_session_register
from .two_factor import SECOND_FACTOR_PENDING, two_factor_enabled


@receiver(user_logged_in, dispatch_uid="accounts.sign_in")
def sign_in_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    session_touch(request.session)
    user_session_register(user=user, session=request.session)
    if getattr(user, "otp_device", None) is None and two_factor_enabled(user):
        request.session[SECOND_FACTOR_PENDING] = True


@receiver(user_logged_out, dispatch_uid="accounts.sign_out")
def signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        user_session_forget(session_key=request.session.session_key)


@receiver(user_locked_out, dispatch_uid="accounts.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    """Into the audit trail when the account exists (the lock-out itself does not say), and
    when the address as a whole is locked, once per lock-out: axes signals again for every
    attempt while it lasts."""
    since = timezone.now() - get_cool_off(request)
    if address_is_locked(ip_address):
        _address_locked_out(ip_address, since)
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is None:
        return
    if not audit_for(user).filter(action=AuditAction.LOCKED_OUT, created_at__gte=since).exists():
        audit_record(
            actor=None,
            action=AuditAction.LOCKED_OUT,
            obj=user,
            changes={"ip_address": [None, ip_address]},
        )


def _address_locked_out(ip_address: str, since) -> None:
    """An address locked for every name has no user to file it under: it is filed under its
    latest failed attempt, named by the address."""
    content_type = ContentType.objects.get_for_model(AccessAttempt)
    already = AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT,
        content_type=content_type,
        object_repr=ip_address,
        created_at__gte=since,
    )
    attempt = AccessAttempt.objects.filter(ip_address=ip_address).order_by("-attempt_time").first()
    if attempt is None or already.exists():
        return
    audit_event(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        obj=attempt,
        object_repr=ip_address,
        changes={"ip_address": [None, ip_address]},
    ).save(force_insert=True)
