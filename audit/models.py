from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    """What an audit event records; the label is how staff read it on the audit trail."""

    CREATED = "created", pgettext_lazy("audit", "Created")
    CHANGED = "changed", pgettext_lazy("audit", "Changed")
    DEACTIVATED = "deactivated", pgettext_lazy("audit", "Deactivated")
    REACTIVATED = "reactivated", pgettext_lazy("audit", "Reactivated")
    DELETED = "deleted", pgettext_lazy("audit", "Deleted")
    NATIONAL_ID_REVEALED = "national_id_revealed", _("National identity number shown")
    HEALTH_DECLARATION_READ = "health_declaration_read", _("Health declaration read")
    HEALTH_DECLARATION_TRANSFERRED = (
        "health_declaration_transferred",
        _("Health declaration transferred to the health record"),
    )
    HEALTH_DECLARATION_DELETED = (
        "health_declaration_deleted",
        _("Answers of a health declaration deleted"),
    )
    IMPORTED = "imported", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")
    GRANTED = "granted", _("Access granted")
    REVOKED = "revoked", _("Access revoked")
    LOCKED_OUT = "locked_out", _("Locked out after failed logins")
    LOCKOUT_LIFTED = "lockout_lifted", _("Lock-out lifted")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor sign-in turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in turned off")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor sign-in removed by a superuser")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("New recovery codes made")
    PASSWORD_RESET = "password_reset", _("Password set from an e-mailed link")


class AuditActor(models.TextChoices):
    """Who acted when no user did."""

    EMPLOYEE_LINK = "employee_link", _("Employee via link")
    RETENTION = "retention", _("The portal (retention period)")


class AuditEvent(models.Model):
    """Who did what, to which row, when. Written by services; never edited.

    `changes` maps a field to [old, new]; a national id number appears only as changed.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    #: Who acted when no user did (the employee through the link in their booking mail):
    #: shown as the actor on the audit trail.
    actor_label = models.CharField(
        _("by (no user)"),
        max_length=40,
        choices=AuditActor.choices,
        blank=True,
        default="",
        db_default="",  # the world generator writes events with COPY
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        # The table the model had when it lived in `portal` (audit/migrations/0001_initial.py).
        db_table = "portal_auditevent"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created_at"], name="audit_object_idx"
            ),
        ]

    def __str__(self):
        return f"{self.object_repr}: {self.action}"
