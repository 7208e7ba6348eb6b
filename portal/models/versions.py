from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


def version_field() -> models.PositiveIntegerField:
    """The row's edit counter: a form carries the version it was opened on, and a save
    from an older one is refused (`portal.services.versions.version_claim`) instead of
    writing over what someone else saved in between. The database has the default too: the
    world generator's COPY and the imports' own INSERTs do not name the column."""
    return models.PositiveIntegerField(_("version"), default=0, db_default=0, editable=False)


def updated_at_field() -> models.DateTimeField:
    """When the row last changed: what a system synchronising through the API asks for
    (`updated_since`). The database has the default too, for the same INSERTs as `version`."""
    return models.DateTimeField(_("updated"), auto_now=True, db_default=Now(), editable=False)


class TouchedOnSave(models.Model):
    """A save of a few fields (`update_fields`) moves `updated_at` too: otherwise a service
    that changes only an attendance would leave the row looking unchanged to a synchronising
    system."""

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)
