from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Customer portal")

    def ready(self):
        from portal import checks, unfold_list  # noqa: F401 -- registers the checks

        unfold_list.install()
