from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class TwoFactorDevice(TOTPDevice):
    """A user's authenticator app, as the superuser's admin page names it (django-otp's own
    names are not translatable)."""

    class Meta:
        proxy = True
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")
