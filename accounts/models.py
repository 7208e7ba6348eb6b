from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class TwoFactorDevice(TOTPDevice):
    """A user's authenticator app, as the superuser's admin page names it (django-otp's own
    names are not translatable)."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")


class PasswordResetRequest(models.Model):
    """One request for a password reset link, kept for PORTAL_PASSWORD_RESET_WINDOW to count
    requests per e-mail address and per client address (accounts.throttle).

    In the database, not the cache: two app servers must count the same requests, and the cache
    is per process unless Redis is set up. The e-mail address is stored only as a keyed hash."""

    email_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            models.Index(fields=["email_hash", "created_at"], name="reset_email_idx"),
            models.Index(fields=["ip_address", "created_at"], name="reset_ip_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in session of a user, by its key, so that all of them can be ended at once
    (`accounts.sessions.user_sessions_end`: access revoked). The session store alone cannot
    say whose a session is: the cache keeps no index, and the database only in signed data."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self):
        return f"{self.user_id}: {self.created_at:%Y-%m-%d %H:%M}"
