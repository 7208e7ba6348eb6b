from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from . import schema  # noqa: F401  (the OpenAPI extension for the token)

        # After the permissions of every app before this one are made (INSTALLED_APPS order).
        post_migrate.connect(_tokens_permissions_sync, sender=self)


def _tokens_permissions_sync(*, using, **kwargs):
    from .services import api_tokens_permissions_sync

    if using == "default":
        api_tokens_permissions_sync()
