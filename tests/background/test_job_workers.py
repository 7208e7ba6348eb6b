"""A large import run by a real worker on PostgreSQL: the job's page reads its progress while
the worker's transaction is still open, and the user is told when it is done."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from background.models import Job, JobStatus
from portal.models import Employee, Notification
from tests.imports.test_import_jobs import employees_xlsx
from tests.imports.test_views import CONFIRM, IMPORT, token_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROWS = 10_000


def test_the_progress_of_a_10000_row_import_moves_while_a_worker_runs_it(
    database_tasks, workers, cast, client
):
    # given testweb's confirm of 10,000 new employees, queued as a job
    client.force_login(get_user_model().objects.get(username="testweb"))
    preview = client.post(
        IMPORT, {"import_file": SimpleUploadedFile("ansatte.xlsx", employees_xlsx(ROWS))}
    )
    response = client.post(CONFIRM, {"token": token_of(preview)})
    job = Job.objects.get()
    assert response["Location"] == f"/jobber/{job.pk}/"
    assert job.status == JobStatus.QUEUED

    # when a worker runs it, and the page's script asks how far it is
    workers(1, TASKS_BACKEND="database")
    seen, deadline = [], time.monotonic() + 120
    while time.monotonic() < deadline:
        state = client.get(f"/jobber/{job.pk}/status/").json()
        seen.append((state["status"], state["stage"], state["rows_done"], state["rows_total"]))
        if state["finished"]:
            break
        time.sleep(0.05)

    # then the page saw the rows go by, several times in each step, before the import
    # committed, and then the end
    assert seen[-1] == ("done", "", ROWS, ROWS), seen[-5:]
    moving = {(stage, done) for status, stage, done, _total in seen if status == "running"}
    checking = sorted(done for stage, done in moving if stage == "checking" and done)
    saving = sorted(done for stage, done in moving if stage == "saving" and done)
    assert len(checking) >= 3, checking
    assert checking[0] < ROWS, checking
    assert len(saving) >= 2, saving
    assert (
        Employee.objects.filter(customer=cast.testbedriften, email__startswith="ansatt").count()
        == ROWS
    )
    [notification] = Notification.objects.filter(recipient__username="testweb")
    assert notification.link == f"/jobber/{job.pk}/"
