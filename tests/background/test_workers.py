"""Workers on PostgreSQL: any number of them, each mail sent exactly once, a killed worker's
task finished by another."""

import os
import signal
import time
from collections import Counter

import pytest
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.mail import mail_queue
from background.models import OutgoingMail

from .conftest import wait_until_sent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MAILS = 500


def _queue_mails(count: int) -> set[str]:
    with transaction.atomic():
        for n in range(count):
            mail_queue(to=[f"ansatt{n}@example.no"], subject=f"Innkalling {n}", body="Hei!")
    return set(OutgoingMail.objects.values_list("message_id", flat=True))


def test_two_workers_send_each_mail_exactly_once(database_tasks, received, workers):
    # given 500 mails queued with their tasks
    queued = _queue_mails(MAILS)

    # when two worker processes work the queue at once
    workers(2, TASKS_BACKEND="database")
    wait_until_sent(MAILS)

    # then every mail reached the recipient once, and both workers did their share
    _assert_each_received_once(received(), queued, workers=2)


def test_two_rq_workers_send_each_mail_exactly_once(rq_tasks, received, workers):
    # given 500 mails handed to RQ on Redis as their transaction commits
    queued = _queue_mails(MAILS)

    # when two RQ workers work the queue at once
    workers(2, **rq_tasks)
    wait_until_sent(MAILS)

    # then every mail reached the recipient once, and both workers did their share
    _assert_each_received_once(received(), queued, workers=2)


def _assert_each_received_once(got, queued, *, workers):
    assert Counter(message_id for message_id, _worker in got).most_common(1)[0][1] == 1
    assert {message_id for message_id, _worker in got} == queued
    assert len({worker for _message_id, worker in got}) == workers


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(
    database_tasks, received, workers, tmp_path
):
    # given 500 mails, two workers, and one of them stuck halfway through sending «Innkalling
    # 137» (the recipient has it written down, the sender has not committed)
    queued = _queue_mails(MAILS)
    workers(2, TASKS_BACKEND="database", COUNTING_HANG_ONCE="Innkalling 137")
    marker = tmp_path / "hung"
    deadline = time.monotonic() + 60
    while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    stuck_pid, stuck_worker = marker.read_text().split()

    # when that worker is killed outright
    os.kill(int(stuck_pid), signal.SIGKILL)

    # then the other one takes over its task once it has gone quiet, and everything is sent
    # exactly once: what the killed one had half-sent was never committed
    wait_until_sent(MAILS)
    got = received()
    _assert_each_received_once(got, queued, workers=2)
    stuck = OutgoingMail.objects.get(subject="Innkalling 137")
    assert dict(got)[stuck.message_id] != stuck_worker
    [recovered] = DBTaskResult.objects.filter(args_kwargs__kwargs__mail_id=stuck.pk)
    assert recovered.status == TaskResultStatus.SUCCESSFUL
    assert len(recovered.worker_ids) == 2
    assert str(stuck_pid) in recovered.worker_ids[0]
