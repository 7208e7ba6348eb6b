"""`manage.py worker`: run background work. Start as many as you like, on as many machines as
you like, against the same database (or Redis, with TASKS_BACKEND=rq)."""

import datetime
import logging
import os
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from background.mail import mails_requeue_stalled
from background.worker import HeartbeatWorker, periodic_run
from webhooks.delivery import deliveries_requeue_stalled

logger = logging.getLogger("background")


class Command(BaseCommand):
    help = (
        "Run a background worker: e-mails, SMS, large imports and exports, and every "
        "PORTAL_REMINDERS_EVERY seconds the reminders. Any number may run at once; each task "
        "is run by one of them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at an empty queue."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--worker-id", default=None, help="Unique in the pool (default: random)."
        )
        parser.add_argument("--no-startup-delay", action="store_false", dest="startup_delay")
        parser.add_argument(
            "--reload",
            action="store_true",
            default=False,
            help="Restart when the code changes (development).",
        )

    def handle(self, *, interval, batch, max_tasks, worker_id, startup_delay, reload, **options):
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            self._rq_worker(burst=batch)
            return
        worker = HeartbeatWorker(
            queue_names=list(backend.queues or ["default"]),
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id
            or f"{os.uname().nodename[:20]}-{os.getpid()}-{get_random_string(8)}",
            excluded_queue_names=[],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

    def _rq_worker(self, *, burst: bool) -> None:
        """RQ's own worker (with its scheduler, for retries later), and beside it the sweep
        that queues again the mails and webhook deliveries a Redis queue may have lost, and
        the periodic work."""
        stop = threading.Event()
        grace = datetime.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)

        def sweep():
            while not stop.wait(grace.total_seconds()):
                mails_requeue_stalled(grace=grace)
                deliveries_requeue_stalled(grace=grace)

        threading.Thread(target=sweep, daemon=True, name="mail-sweep").start()
        if not burst:  # as HeartbeatWorker: a worker that drains the queue and exits runs none
            threading.Thread(
                target=periodic_run, args=(stop,), daemon=True, name="periodic"
            ).start()
        try:
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.backend.Job",
                with_scheduler=True,
                burst=burst,
            )
        finally:
            stop.set()


def _worker_id() -> str:
    return f"{os.uname().nodename[:20]}-{os.getpid()}-{get_random_string(8)}"
