"""What background work leaves in the database: the workers that are alive, every e-mail the
portal sends, with its attempts, and the jobs (large imports and exports) users wait for."""

from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from typing import Self

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive every few seconds; a task claimed by a worker that has
    gone quiet (killed, its machine gone) is handed to another."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return self.worker_id


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RETRYING = "retrying", _("Retrying")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMailQuerySet(models.QuerySet):
    def unsent(self) -> Self:
        return self.filter(status__in=(MailStatus.QUEUED, MailStatus.RETRYING))


class OutgoingMail(models.Model):
    """One logical e-mail. Its Message-ID is fixed when it is queued, so a retry after a crash
    sends the same message, and the row says whether it went out: a task that runs twice sends
    it once. The content is kept until it is sent, then dropped (a reset link, a name and an
    appointment time need not stay in the database)."""

    created_at = models.DateTimeField(_("Queued"), default=timezone.now, db_index=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    to = models.JSONField(_("To"), default=list)
    reply_to = models.JSONField(_("Reply-To"), default=list, blank=True)
    subject = models.CharField(_("Subject"), max_length=300)
    body = models.TextField(_("Text"), blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    last_error = models.TextField(_("Last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("Next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Sent"), null=True, blank=True)
    # A mail written when it is sent (`mail_queue_written_later`): the function that writes it
    # and its arguments; empty once written.
    writer = models.CharField(max_length=200, blank=True)
    writer_kwargs = models.JSONField(default=dict, blank=True)
    # What the mail is about (a booking, say), for the page that shows its mail status.
    about_type = models.CharField(max_length=50, blank=True)
    about_id = models.BigIntegerField(null=True, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["about_type", "about_id"], name="mail_about_idx"),
            models.Index(
                fields=["created_at"],
                name="mail_unsent_idx",
                condition=models.Q(status__in=("queued", "retrying")),
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def recipients(self) -> str:
        return ", ".join(self.to)

    def message(self) -> EmailMessage:
        """The e-mail as Django sends it, with its fixed Message-ID."""
        message = EmailMessage(
            subject=self.subject,
            body=self.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=self.to,
            reply_to=self.reply_to,
            headers={"Message-ID": self.message_id},
        )
        for part in self.attachments:
            message.attach(_mime_part(part))
        return message


def attachment_record(part) -> dict:
    """An attachment of an EmailMessage as JSON: a text part (an .ics) or a (name, content,
    type) triple with text content."""
    if isinstance(part, MIMEBase):
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)  # a leaf part decodes to bytes
        return {
            "filename": part.get_filename(),
            "content": payload.decode(part.get_content_charset() or "utf-8"),
            "mimetype": part.get_content_type(),
            "params": {k: v for k, v in (part.get_params() or [])[1:] if k != "charset"},
        }
    filename, content, mimetype = part
    if isinstance(content, bytes):
        content = content.decode()
    return {"filename": filename, "content": content, "mimetype": mimetype, "params": {}}


def _mime_part(record: dict) -> MIMEBase:
    subtype = record["mimetype"].split("/", 1)[1]
    part = MIMEText(record["content"], subtype, "utf-8")
    for key, value in record.get("params", {}).items():
        part.set_param(key, value)
    if record.get("filename"):
        part.add_header("Content-Disposition", "attachment", filename=record["filename"])
    return part


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    REPORT = "report", _("Report")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobStage(models.TextChoices):
    """A job that goes over its rows twice says which time it is."""

    CHECKING = "checking", _("Checking the rows")
    SAVING = "saving", _("Saving")


class JobQuerySet(models.QuerySet):
    def expired(self) -> Self:
        return self.filter(expires_at__lte=timezone.now())

    def of_owner(self, user) -> Self:
        """The user's own jobs that have not expired: nobody else's job exists for them."""
        return self.filter(owner_id=user.pk, expires_at__gt=timezone.now())


class Job(models.Model):
    """Large work a user waits for (an import, an export), run by a worker; its progress, its
    outcome and its file, for its owner only.

    The file is kept in the database, like an upload between preview and confirm: whichever
    app server gets the download reads it, and it goes with the row when the job expires. The
    message is what the owner reads (no stack trace, no personal data); the input (an import's
    file, encrypted as its upload was) is dropped once the job has finished."""

    # While a job's import holds its transaction open on PostgreSQL, its progress is written
    # through a connection of its own (background/jobs.py), so the owner sees it move.
    _progress_connection: "BaseDatabaseWrapper | None" = None

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    kind = models.CharField(_("Kind"), max_length=10, choices=JobKind.choices)
    title = models.CharField(_("Title"), max_length=200)
    status = models.CharField(
        _("Status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    stage = models.CharField(max_length=10, choices=JobStage.choices, blank=True)
    rows_done = models.PositiveIntegerField(_("Rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("Rows in all"), default=0)
    message = models.CharField(_("Message"), max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    input = models.BinaryField(null=True, blank=True, editable=False)
    summary = models.JSONField(default=dict, blank=True)
    file = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("Started"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("Finished"), null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ("-created_at", "-pk")
        default_permissions = ()
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("admin:job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
