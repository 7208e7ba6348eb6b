"""Handing work to the workers: with the change it belongs to, and again later when it fails."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)


def joins_transaction(task: Task) -> bool:
    """Whether the task's backend writes its queue in the database, inside the caller's
    transaction."""
    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_with_change(task: Task, *args, **kwargs) -> None:
    """Queue `task` as part of the current change.

    The database backend writes the task in the same transaction as the change: a change that
    commits always has its task, one that is rolled back never does (the transactional outbox).
    Backends outside the database (RQ, the immediate backend of the tests) are handed the task
    once the change has committed; what they may lose between the commit and the hand-over is
    found again by the sweep of what should have been done (`mails_requeue_stalled`)."""
    if joins_transaction(task):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def backoff(attempt: int) -> datetime.timedelta:
    """How long to wait after the `attempt`th failed try: 30 s, 2 min, 8 min, 32 min, …"""
    base = settings.TASKS_RETRY_BASE_SECONDS
    return datetime.timedelta(seconds=base * 4 ** (attempt - 1))


def enqueue_later(task: Task, *args, attempt: int, **kwargs) -> datetime.datetime:
    """Queue the next try of a task that failed its `attempt`th; when it will run."""
    run_after = timezone.now() + backoff(attempt)
    if task.get_backend().supports_defer:
        enqueue_with_change(task.using(run_after=run_after), *args, **kwargs)
    else:  # the immediate backend of the tests: the next try runs at once
        enqueue_with_change(task, *args, **kwargs)
    return run_after
