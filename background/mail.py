"""Every e-mail the portal sends: queued with the change that causes it, sent by a worker.

No web request talks to the mail server. `mail_queue` writes the mail and its task in the
caller's transaction; `mail_send` sends it, at most once however often it runs, tries again
with back-off while the server refuses, and ends "failed" with the reason after the last try,
for staff to see and send again.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, make_msgid
from django.db import transaction
from django.db.models import Model, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from background.models import MailStatus, OutgoingMail, attachment_record
from background.queueing import enqueue_later, enqueue_with_change

logger = logging.getLogger(__name__)

#: Sent after a mail went out or failed for good: `mail` is the OutgoingMail.
mail_delivered = Signal()
mail_failed = Signal()


def about_label(obj: Model | type[Model]) -> str:
    return obj._meta.label_lower


@transaction.atomic
def mail_queue(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    reply_to: Iterable[str] = (),
    attachments: Iterable = (),
    about: Model | None = None,
) -> OutgoingMail:
    """Queue one e-mail; it goes out once the caller's transaction has committed."""
    mail = OutgoingMail.objects.create(
        message_id=make_msgid(domain=settings.PORTAL_MAIL_DOMAIN),
        to=list(to),
        reply_to=list(reply_to),
        subject=subject[:300],
        body=body,
        attachments=[attachment_record(part) for part in attachments],
        about_type=about_label(about) if about is not None else "",
        about_id=about.pk if about is not None else None,
    )
    enqueue_with_change(mail_send, mail_id=mail.pk)
    return mail


@transaction.atomic
def mail_queue_written_later(
    *, writer: str, about: Model | None = None, **writer_kwargs
) -> OutgoingMail:
    """Queue a mail that the worker writes just before it sends it, by calling the function
    at the dotted path `writer` with `writer_kwargs` (JSON): a bulk booking queues hundreds of
    mails, and writing each (templates, a calendar file) would hold the request."""
    mail = OutgoingMail.objects.create(
        message_id=make_msgid(domain=settings.PORTAL_MAIL_DOMAIN),
        writer=writer,
        writer_kwargs=writer_kwargs,
        about_type=about_label(about) if about is not None else "",
        about_id=about.pk if about is not None else None,
    )
    enqueue_with_change(mail_send, mail_id=mail.pk)
    return mail


def _mail_write(mail: OutgoingMail) -> None:
    """Fill in a mail queued to be written later."""
    message = import_string(mail.writer)(**mail.writer_kwargs)
    mail.to = list(message.to)
    mail.reply_to = list(message.reply_to)
    mail.subject = message.subject[:300]
    mail.body = message.body
    mail.attachments = [attachment_record(part) for part in message.attachments]
    mail.writer, mail.writer_kwargs = "", {}


def mail_queue_message(message: EmailMessage, *, about: Model | None = None) -> OutgoingMail:
    """Queue a message built by Django or a template (password reset, say) as it is."""
    return mail_queue(
        to=message.to,
        subject=str(message.subject),
        body=str(message.body),
        reply_to=message.reply_to,
        attachments=message.attachments,
        about=about,
    )


@task()
def mail_send(*, mail_id: int) -> str:
    """Send the mail unless it has gone out already; what happened, in a word.

    The row stays locked while the server answers, so two workers never send it together; a
    worker that dies meanwhile leaves it unsent and unlocked, for the task's next run."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status__in=(MailStatus.QUEUED, MailStatus.RETRYING))
            .first()
        )
        if mail is None:
            return "nothing to send"  # sent already, failed for good, or being sent right now
        mail.attempts += 1
        try:
            with transaction.atomic():  # a failure inside the backend leaves the row writable
                if mail.writer:
                    _mail_write(mail)
                mail.message().send()
        except Exception as error:
            _mail_attempt_failed(mail, error)
            return mail.status
        mail.status = MailStatus.SENT
        mail.sent_at = timezone.now()
        mail.next_attempt_at = None
        mail.last_error = ""
        mail.body, mail.attachments = "", []
        mail.save()
    mail_delivered.send(sender=OutgoingMail, mail=mail)
    return mail.status


def _mail_attempt_failed(mail: OutgoingMail, error: Exception) -> None:
    mail.last_error = f"{type(error).__name__}: {error}"[:1000]
    # The log gets the kind of error only: a server's refusal may quote the address.
    logger.warning("E-mail %s, attempt %s failed: %s", mail.pk, mail.attempts, type(error).__name__)
    if mail.attempts < settings.MAIL_MAX_ATTEMPTS:
        mail.status = MailStatus.RETRYING
        mail.next_attempt_at = enqueue_later(mail_send, mail_id=mail.pk, attempt=mail.attempts)
        mail.save()
        return
    mail.status = MailStatus.FAILED
    mail.next_attempt_at = None
    mail.save()
    transaction.on_commit(lambda: mail_failed.send(sender=OutgoingMail, mail=mail))


def mail_send_again(*, mail: OutgoingMail, actor) -> OutgoingMail:
    """Try a failed mail once more, with as many attempts as a new one."""
    updated = OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.FAILED).update(
        status=MailStatus.QUEUED, attempts=0, next_attempt_at=None
    )
    if not updated:
        raise ValidationError(
            _("Only a failed e-mail can be sent again; this one is «%(status)s».")
            % {"status": mail.get_status_display()},
            code="not_failed",
        )
    logger.info("E-mail %s queued again by user %s", mail.pk, actor.pk)
    enqueue_with_change(mail_send, mail_id=mail.pk)
    mail.refresh_from_db()
    return mail


def mails_requeue_stalled(*, grace: datetime.timedelta) -> int:
    """Queue again the unsent mails whose task should have run more than `grace` ago (a queue
    outside the database that lost it between commit and hand-over, or with a dead worker).
    Safe at any time: a mail is sent once whatever the number of its tasks."""
    cutoff = timezone.now() - grace
    stalled = list(
        OutgoingMail.objects.unsent()
        .filter(
            Q(next_attempt_at__isnull=True, created_at__lt=cutoff) | Q(next_attempt_at__lt=cutoff)
        )
        .values_list("pk", flat=True)[:1000]
    )
    for mail_id in stalled:
        enqueue_with_change(mail_send, mail_id=mail_id)
    return len(stalled)
