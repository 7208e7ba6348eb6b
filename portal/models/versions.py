from django.db import models
from django.utils.translation import gettext_lazy as _


def version_field() -> models.PositiveIntegerField:
    """The row's edit counter: a form carries the version it was opened on, and a save
    from an older one is refused (`portal.services.versions.version_claim`) instead of
    writing over what someone else saved in between. The database has the default too: the
    world generator's COPY and the imports' own INSERTs do not name the column."""
    return models.PositiveIntegerField(_("version"), default=0, db_default=0, editable=False)
