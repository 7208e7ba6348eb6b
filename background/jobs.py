"""Jobs: large work a user starts and waits for (an import, an export), run by a worker.

`job_start` writes the job and its task in the caller's transaction. The task hands its work
to `job_run`, which claims the job, and the work reports `job_progress` as it goes and ends with
`job_finish` (in the same transaction as what it wrote) or raises `JobFailed` with a message
for the owner. Either way the owner is notified in the portal, with a link to the job's page.

A task may run twice (a worker killed midway, its task handed to another): a job that has
finished is left as it is, one that was running starts again from the beginning, and what the
first run had not committed never was.
"""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import Task

from background.models import Job, JobKind, JobStatus
from background.queueing import enqueue_with_change
from portal.models import Notification

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """Stop a job with a message its owner may read: what happened and what to do, nothing
    personal and no trace."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def job_ttl() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOBS_TTL)


@transaction.atomic
def job_start(
    *,
    owner,
    kind: JobKind,
    task: Task,
    title: str,
    rows_total: int = 0,
    params: dict | None = None,
    input: bytes | None = None,
) -> Job:
    """Write the job and queue its task with the caller's change."""
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=title[:200],
        rows_total=rows_total,
        params=params or {},
        input=input,
        expires_at=timezone.now() + job_ttl(),
    )
    enqueue_with_change(task, job_id=job.pk)
    return job


def job_claim(job_id: int) -> Job | None:
    """Mark the job running, from its first row; None when it has finished already (this is
    a second run of its task) or no longer exists (expired)."""
    claimed = Job.objects.filter(
        pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).update(status=JobStatus.RUNNING, started_at=timezone.now(), rows_done=0, stage="", message="")
    if not claimed:
        return None
    return Job.objects.select_related("owner").get(pk=job_id)


def job_run(job_id: int, work: Callable[[Job], None]) -> str:
    """Run `work` for the job, which ends it with `job_finish` or raises; any other error
    fails the job with a message that says nothing of it (the log has its kind)."""
    job = job_claim(job_id)
    if job is None:
        return "finished already"
    try:
        work(job)
    except JobFailed as failure:
        job_fail(job, message=failure.message)
    except Exception as error:
        logger.error("Job %s (%s) failed: %s", job.pk, job.kind, type(error).__name__)
        job_fail(job, message=_failure_message(job.kind))
    finally:
        _progress_close(job)
    job.refresh_from_db(fields=["status"])
    return job.status


def _failure_message(kind: str) -> str:
    if kind == JobKind.IMPORT:
        return _(
            "The import stopped because of an error. Nothing has been imported. Try again; "
            "if it happens again, contact us."
        )
    return _("The job stopped because of an error. Try again; if it happens again, contact us.")


def job_progress(job: Job, done: int, total: int | None = None, *, stage: str = "") -> bool:
    """Record how far the job is (in its `stage`, for a job that goes over its rows twice): when
    the stage changes, every JOBS_PROGRESS_EVERY rows and at the last; whether it was written.

    Written at once for the job's page to read, even from inside the transaction the work
    runs in: on PostgreSQL through a connection of its own, skipping the row if something
    holds it (progress is worth less than a wait). SQLite allows one writer at a time: there
    it is written in the work's own transaction and seen when that commits."""
    total = job.rows_total if total is None else total
    step = settings.JOBS_PROGRESS_EVERY
    same = total == job.rows_total and stage == job.stage
    if same and done < total and done // step == job.rows_done // step:
        return False
    job.rows_done, job.rows_total, job.stage = done, total, stage
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        _progress_connection(job)
        table = connection.ops.quote_name(Job._meta.db_table)
        assert job._progress_connection is not None
        with job._progress_connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = %s, stage = %s "  # noqa: S608
                f"WHERE id = (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [done, total, stage, job.pk],
            )
    else:
        Job.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total, stage=stage)
    return True


def _progress_connection(job: Job) -> None:
    if getattr(job, "_progress_connection", None) is None:
        job._progress_connection = connections.create_connection(DEFAULT_DB_ALIAS)


def _progress_close(job: Job) -> None:
    own = getattr(job, "_progress_connection", None)
    if own is not None:
        own.close()
        job._progress_connection = None


def job_finish(
    *,
    job: Job,
    rows: int | None = None,
    summary: dict | None = None,
    file: bytes | None = None,
    filename: str = "",
    content_type: str = "",
) -> None:
    """The job is done: its result for the owner, who is told. Call it in the transaction of
    what the job wrote, so that the two commit together."""
    now = timezone.now()
    rows = job.rows_total if rows is None else rows
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        stage="",
        rows_done=rows,
        rows_total=rows,
        summary=summary or {},
        file=file,
        filename=filename[:255],
        content_type=content_type,
        input=None,
        finished_at=now,
        expires_at=now + job_ttl(),
    )
    job.refresh_from_db()
    _notify(job, _("Ready: %(title)s") % {"title": job.title})


def job_fail(job: Job, *, message: str) -> None:
    """The job failed: the owner reads why on its page, and is told."""
    now = timezone.now()
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            stage="",
            message=message[:500],
            input=None,
            file=None,
            finished_at=now,
            expires_at=now + job_ttl(),
        )
        job.refresh_from_db()
        _notify(job, _("Failed: %(title)s") % {"title": job.title})


def _notify(job: Job, text: str) -> None:
    Notification.objects.create(
        recipient_id=job.owner_id, text=text[:300], link=job.get_absolute_url()
    )


def jobs_delete_expired() -> int:
    """Delete the jobs (and their files) past their time: run by the workers' heartbeat and
    by `manage.py delete_expired_jobs`."""
    deleted, _by_model = Job.objects.expired().delete()
    return deleted
