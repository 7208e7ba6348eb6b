from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportUploadQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(expires_at__lte=timezone.now())

    def pending_for(self, *, token: str, user):
        """The upload behind a confirm: the uploader's own, not expired. Anyone else's token
        (or a made-up one) finds nothing, the same answer."""
        return self.filter(token=token, user_id=user.pk, expires_at__gt=timezone.now())


class ImportUpload(models.Model):
    """An uploaded spreadsheet waiting between preview and confirm.

    In the database, so that whichever app server gets the confirm can read it (a local temp
    folder is on one server only); tied to the user who uploaded it and found only by a random
    token; deleted when confirmed or cancelled, replaced by the user's next upload, and purged
    once expired.
    """

    token = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    # The customer an employee import is for; none for an import of every customer's rows
    # (invoices from the accounting system).
    customer = models.ForeignKey(
        "portal.Customer",
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=40, editable=False)
    file_name = models.CharField(max_length=255, editable=False)
    # Encrypted (`portal.crypto.content_encrypt`): the file may hold national ids. Read it
    # with `imports.uploads.upload_content`.
    content = models.BinaryField(editable=False)
    # The rows the preview read from the file (`imports.rows_kept`), encrypted as the file is:
    # the confirm plans from them. Empty when they could not be kept; the file is read again.
    lines = models.BinaryField(editable=False, default=b"", blank=True)
    rows = models.PositiveIntegerField(default=0, editable=False)  # as the preview counted them
    # What the preview showed, as `imports.pipeline.plan_fingerprint` sums it up: a confirm
    # whose plan differs (the register changed meanwhile) is refused and shown again.
    fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(db_index=True, editable=False)

    objects = ImportUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("uploaded spreadsheet")
        verbose_name_plural = _("uploaded spreadsheets")
        default_permissions = ()

    def __str__(self):
        return self.file_name
