"""Real workers for the tests of background work: `manage.py worker` processes against the
test database (PostgreSQL: an in-memory SQLite database cannot be shared)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings

from background.models import MailStatus, OutgoingMail

from .mailboxes import RECEIVED_TABLE

ROOT = Path(settings.BASE_DIR)
WORKER = [sys.executable, "manage.py", "worker"]


@pytest.fixture
def database_tasks():
    """Tasks go to the database queue, as in production, instead of running at once."""
    with override_settings(
        TASKS={"default": {"BACKEND": settings.TASK_BACKEND_CLASSES["database"]}}
    ):
        yield


@pytest.fixture
def received(transactional_db):
    """The counting recipient's table: [(message_id, worker), …] as it stands when called."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {RECEIVED_TABLE} (message_id varchar(255) NOT NULL, worker text)"
        )

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT message_id, worker FROM {RECEIVED_TABLE}")
            return cursor.fetchall()

    yield rows
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {RECEIVED_TABLE}")


def database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def workers(tmp_path):
    """`workers(2, TASKS_BACKEND="database", …)` starts worker processes against the test
    database with the counting mail server; they are stopped after the test."""
    started: list[subprocess.Popen] = []

    def start(count: int, **env) -> list[subprocess.Popen]:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "EMAIL_BACKEND": "tests.background.mailboxes.CountingBackend",
            "COUNTING_HANG_MARKER": str(tmp_path / "hung"),
            "TASKS_WORKER_TIMEOUT": "2",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        for n in range(count):
            log = (tmp_path / f"worker-{n}.log").open("w")
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "worker",
                        "--no-startup-delay",
                        "--interval",
                        "0.05",
                    ],
                    cwd=ROOT,
                    env={**environment, "TEST_WORKER_NAME": f"worker-{len(started)}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        return started[-count:]

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_sent(count: int, *, timeout: float = 120) -> None:
    """Wait until `count` mails are marked sent; fail with what was done after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = OutgoingMail.objects.filter(status=MailStatus.SENT).count()
        if sent >= count:
            return
        time.sleep(0.2)
    pytest.fail(f"{sent} of {count} mails sent after {timeout} s (see the workers' logs)")


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rq_tasks():
    """Tasks go to RQ on the local Redis (a database of its own, emptied first); the
    environment for workers of the same. Skipped where no Redis answers, except in CI."""

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.flushdb()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no Redis at " + REDIS_TEST_URL)
    with override_settings(
        TASKS={"default": {"BACKEND": settings.TASK_BACKEND_CLASSES["rq"]}},
        RQ_QUEUES={"default": {"URL": REDIS_TEST_URL}},
    ):
        yield {"TASKS_BACKEND": "rq", "REDIS_URL": REDIS_TEST_URL}
    client.flushdb()
