"""The database worker of django-tasks-db, with a heartbeat: a task whose worker was killed
(or whose machine went away) mid-run is handed to another worker instead of staying
"running" for ever."""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from background.jobs import jobs_delete_expired
from background.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def tasks_recover_abandoned(*, backend_name: str, timeout: datetime.timedelta) -> int:
    """Put back in the queue the tasks still "running" on a worker that has not said it is
    alive for `timeout`; fail the ones that have lost a worker too often (a task that kills
    its worker every time must not take the pool with it)."""
    now = timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - timeout).values_list(
            "worker_id", flat=True
        )
    )
    recovered = 0
    running = DBTaskResult.objects.running().filter(
        backend_name=backend_name, started_at__lt=now - timeout
    )
    for result in running.only("id", "worker_ids", "started_at"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= settings.TASKS_MAX_CLAIMS:
            same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="background.worker.WorkerLost",
                traceback=f"The task's worker was lost {len(result.worker_ids)} times.",
            )
        else:
            recovered += same_claim.update(status=TaskResultStatus.READY, started_at=None)
    if recovered:
        logger.warning("Put %s task(s) of lost workers back in the queue", recovered)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
    return recovered


class WorkerLost(Exception):
    """The worker running a task went away too often."""


def periodic_run(stop: threading.Event) -> None:
    """Run the work of TASKS_PERIODIC (the reminders), each at its interval, until `stop`.
    Every worker runs it: the work itself makes sure that what it queues goes out once."""
    schedule = {path: seconds for path, seconds in settings.TASKS_PERIODIC.items() if seconds > 0}
    if not schedule:
        return
    due = dict.fromkeys(schedule, 0.0)
    while True:
        now = time.monotonic()
        for path, seconds in schedule.items():
            if now < due[path]:
                continue
            due[path] = now + seconds
            try:
                import_string(path)()
            except Exception:
                logger.exception("Periodic work %s failed", path)
            finally:
                close_old_connections()
        if stop.wait(max(min(due.values()) - time.monotonic(), 1.0)):
            connection.close()
            return


class HeartbeatWorker(Worker):
    """Says it is alive every few seconds from a thread of its own, recovers the tasks of
    workers that have gone quiet, and deletes the jobs (and their files) that have expired;
    another thread runs the periodic work (the reminders)."""

    def run(self) -> None:
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(stop,), daemon=True, name="heartbeat")
        beat.start()
        periodic = threading.Thread(target=periodic_run, args=(stop,), daemon=True, name="periodic")
        if not self.batch:
            periodic.start()
        try:
            super().run()
        finally:
            stop.set()
            beat.join(timeout=5)
            if periodic.is_alive():
                periodic.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _beat(self, stop: threading.Event) -> None:
        timeout = datetime.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)
        while True:
            try:
                with transaction.atomic():
                    WorkerHeartbeat.objects.update_or_create(
                        worker_id=self.worker_id, defaults={"seen_at": timezone.now()}
                    )
                tasks_recover_abandoned(backend_name=self.backend_name, timeout=timeout)
                jobs_delete_expired()
            except Exception:
                logger.exception("Heartbeat of worker %s failed", self.worker_id)
            finally:
                close_old_connections()
            if stop.wait(timeout.total_seconds() / 4):
                connection.close()
                return
