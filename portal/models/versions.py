from django.db import models
from django.utils.translation import gettext_lazy as _


def version_field() -> models.PositiveIntegerField:
    """The row's edit counter: a form carries the version it was opened on, and a save
    from an older one is refused (`portal.services.versions.version_claim`) instead of
    writing over what someone else saved in between."""
    return models.PositiveIntegerField(_("version"), default=0, editable=False)
