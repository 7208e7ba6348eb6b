"""Lost updates: an edit begun on one version of a row is saved only onto that version.

Every edited model has a `version` counter (`portal.models.versions.version_field`). A form
carries the version it was opened on; the service that saves it calls `version_claim` first,
in its own transaction. The claim is one conditional UPDATE: it bumps the counter only while
the row is still at that version, and holds the row's lock until the transaction ends. Of two
saves begun on the same version, exactly one claims it; the other gets `StaleEdit` and writes
nothing (on PostgreSQL the second waits for the first to commit, then finds the row moved on).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    """The row was saved by someone else after the edit began; nothing was written. A
    ValidationError, so every caller that shows a service's refusal shows this one too; the
    admin's change forms say which fields changed (`portal.admin.versions`)."""

    def __init__(self, current: Model):
        self.current = current
        super().__init__(
            _(
                "%(object)s was changed by someone else after you opened it. Nothing was "
                "saved: open it again to see what changed."
            )
            % {"object": current},
            code="stale_edit",
        )


def version_claim(instance: Any, *, version: int | None = None) -> None:
    """Claim the next version of `instance`'s row, or raise `StaleEdit`. `version` is the one
    the edit began on (the form's); None means the one `instance` was loaded with. Call it
    inside the saving transaction, before the write: `instance.version` is the new one after,
    so a later `save()` of `instance` writes it unchanged."""
    model = type(instance)
    expected = instance.version if version is None else version
    claimed = model._base_manager.filter(pk=instance.pk, version=expected).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleEdit(model._base_manager.get(pk=instance.pk))
    instance.version = expected + 1
