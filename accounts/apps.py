from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and staying safe: lock-out, two-factor, password reset, idle sessions,
    security headers, error pages and upload limits. (The audit trail is the `audit` app.)"""

    name = "accounts"
    verbose_name = _("Sign-in and security")

    def ready(self):
        from . import signals  # noqa: F401
