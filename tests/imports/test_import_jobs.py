"""A confirm of a large file runs as a job: the page answers at once with the job's page, the
worker writes everything or nothing, records its progress, and tells the user."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from background import jobs
from background.models import Job, JobKind, JobStatus
from imports.jobs import employee_import_job
from imports.models import ImportUpload
from imports.rows_kept import rows_load
from portal.crypto import content_decrypt
from portal.models import Employee, Notification
from portal.services import employees as employee_services
from tests.imports.conftest import HEADERS, many_rows
from tests.imports.make_files import xlsx
from tests.imports.test_views import CONFIRM, IMPORT, messages_of, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def testweb(cast, client_en):
    client_en.force_login(cast.testweb)
    return client_en


def employees_xlsx(count: int) -> bytes:
    return xlsx(
        [
            (*HEADERS[:4], "Bedrift/avdeling"),
            *(
                (
                    f"Fornavn{i}",
                    f"Etternavn{i}",
                    f"ansatt{i}@testbedriften.no",
                    f"9{i:07d}",
                    "Bergen TEST",
                )
                for i in range(count)
            ),
        ]
    )


def upload_and_confirm(client, content: bytes, name="ansatte.csv", capture=None):
    response = client.post(IMPORT, {"import_file": SimpleUploadedFile(name, content)})
    token = token_of(response)
    if capture is None:
        return client.post(CONFIRM, {"token": token})
    with capture(execute=True):
        return client.post(CONFIRM, {"token": token})


def test_below_the_threshold_the_confirm_answers_at_once(testweb, settings):
    # given a threshold of 3 rows and a file of 3
    settings.JOBS_IMPORT_ROWS_THRESHOLD = 3

    # when the user confirms it
    response = upload_and_confirm(testweb, many_rows(3))

    # then the import is saved in the request, as it always was, and no job is made
    assert response["Location"] == "/portal/employee/"
    assert messages_of(testweb.get(response["Location"])) == [
        "The import is saved. New: 3, updated: 0, unchanged: 0."
    ]
    assert Employee.objects.filter(email__startswith="ansatt").count() == 3
    assert not Job.objects.exists()


def test_above_the_threshold_the_confirm_is_a_job(
    testweb, cast, settings, django_capture_on_commit_callbacks
):
    # given a threshold of 3 rows and a file of 4
    settings.JOBS_IMPORT_ROWS_THRESHOLD = 3

    # when the user confirms it
    response = upload_and_confirm(testweb, many_rows(4), capture=django_capture_on_commit_callbacks)

    # then they go to the job's page, and the worker (here: at once) imported every row
    [job] = Job.objects.all()
    assert response.status_code == 302
    assert response["Location"] == f"/jobber/{job.pk}/"
    assert (job.owner, job.kind, job.status) == (cast.testweb, JobKind.IMPORT, JobStatus.DONE)
    assert (job.rows_done, job.rows_total) == (4, 4)
    assert job.summary == {"created": 4, "updated": 0, "unchanged": 0, "skipped": 0}
    assert job.input is None
    assert not ImportUpload.objects.exists()
    assert Employee.objects.filter(email__startswith="ansatt").count() == 4

    # and the job's page shows the import's figures
    page = testweb.get(response["Location"]).content.decode()
    assert "Import of employees (ansatte.csv)" in page
    assert "New employees" in page
    assert 'data-testid="job-summary"' in page

    # and the user is told, with a link to the job's page that the Info badge counts
    [notification] = Notification.objects.filter(recipient=cast.testweb, read_at=None)
    assert notification.text == "Ready: Import of employees (ansatte.csv)"
    assert notification.link == f"/jobber/{job.pk}/"
    opened = testweb.post(f"/varsler/{notification.pk}/")
    assert opened["Location"] == f"/jobber/{job.pk}/"


def test_a_queued_import_keeps_its_file_encrypted(testweb, settings):
    settings.JOBS_IMPORT_ROWS_THRESHOLD = 3

    # the worker has not run yet (the task is handed over on commit): the job waits with the file
    upload_and_confirm(testweb, many_rows(4))

    [job] = Job.objects.all()
    assert job.status == JobStatus.QUEUED
    # the rows the preview read from the file, encrypted as the upload kept them
    assert job.params["input"] == "lines"
    assert b"ansatt0@testbedriften.no" not in bytes(job.input)
    rows = rows_load(content_decrypt(bytes(job.input))) or []
    assert "ansatt0@testbedriften.no" in {cell for _number, cells in rows for cell in cells}


@pytest.mark.django_db(transaction=True)  # as a worker runs it: the job's row is committed
def test_a_10000_row_import_records_its_progress_as_it_goes(
    testweb, cast, settings, django_capture_on_commit_callbacks
):
    # given a spreadsheet of 10,000 new employees, above the threshold
    content = employees_xlsx(10_000)
    written = []
    real = jobs.job_progress

    def spy(job, done, total=None, *, stage=""):
        if real(job, done, total, stage=stage):
            written.append((stage, done, total))
            # what the job's page reads at that moment
            written[-1] += (Job.objects.values_list("rows_done", flat=True).get(pk=job.pk),)
        return True

    # when it is confirmed, and the job runs
    with mock.patch("imports.jobs.job_progress", spy):
        upload_and_confirm(
            testweb, content, name="ansatte.xlsx", capture=django_capture_on_commit_callbacks
        )

    # then its progress was written at the first row and every 500 rows while checking, and
    # every batch of 1,000 while saving, each value there for the page to read
    checking = [(done, total) for stage, done, total, _seen in written if stage == "checking"]
    saving = [(done, total) for stage, done, total, _seen in written if stage == "saving"]
    assert checking == [(1, 10_000)] + [(n, 10_000) for n in range(500, 10_001, 500)]
    assert saving == [(n, 10_000) for n in range(1_000, 10_001, 1_000)]
    assert all(done == seen for _stage, done, _total, seen in written)
    [job] = Job.objects.all()
    assert (job.status, job.rows_done, job.rows_total) == (JobStatus.DONE, 10_000, 10_000)
    assert Employee.objects.filter(email__startswith="ansatt").count() == 10_000


def test_a_job_that_fails_midway_writes_nothing(
    testweb, cast, settings, django_capture_on_commit_callbacks
):
    # given a file of 2,500 new employees, and a database that refuses the second batch
    settings.JOBS_IMPORT_ROWS_THRESHOLD = 2_000
    before = Employee.objects.count()
    real, calls = employee_services._import_audit, []

    def second_batch_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    # when the job runs
    with mock.patch("portal.services.employees._import_audit", second_batch_fails):
        response = upload_and_confirm(
            testweb, many_rows(2_500), capture=django_capture_on_commit_callbacks
        )

    # then not one employee was written (the first batch neither), the job failed with a
    # message that says so and nothing of the error, and the user is told
    assert len(calls) == 2
    assert Employee.objects.count() == before
    [job] = Job.objects.all()
    assert job.status == JobStatus.FAILED
    assert job.input is None
    assert job.message == (
        "The import stopped because of an error. Nothing has been imported. Try again; if it "
        "happens again, contact us."
    )
    page = testweb.get(response["Location"]).content.decode()
    assert job.message in page
    assert "disk full" not in page
    assert "Traceback" not in page
    [notification] = Notification.objects.filter(recipient=cast.testweb)
    assert notification.text == "Failed: Import of employees (ansatte.csv)"
    assert notification.link == f"/jobber/{job.pk}/"


def test_a_file_that_has_errors_by_the_time_the_job_runs_imports_nothing(testweb, cast, settings):
    # given a job confirmed for a file whose department was renamed meanwhile
    settings.JOBS_IMPORT_ROWS_THRESHOLD = 2
    response = upload_and_confirm(testweb, many_rows(3))
    job = Job.objects.get()
    cast.tb_bergen.name = "Bergen"
    cast.tb_bergen.save(update_fields=["name"])

    # when the worker gets to it
    employee_import_job.call(job_id=job.pk)

    # then nothing of the file is imported, and the page says why
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "the employees changed since the preview" in job.message
    assert not Employee.objects.filter(email__startswith="ansatt").exists()
    assert "the employees changed since the preview" in testweb.get(response["Location"]).text


def test_a_task_run_again_after_a_crash_starts_again_and_finishes_once(testweb, cast, settings):
    # given a job whose worker died halfway (the job says running, nothing was committed)
    settings.JOBS_IMPORT_ROWS_THRESHOLD = 2
    upload_and_confirm(testweb, many_rows(3))
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, rows_done=2, stage="saving")

    # when the task runs again, and then once more
    assert employee_import_job.call(job_id=job.pk) == JobStatus.DONE
    assert employee_import_job.call(job_id=job.pk) == "finished already"

    # then the employees are there once, and the user was told once
    assert Employee.objects.filter(email__startswith="ansatt").count() == 3
    assert Notification.objects.filter(recipient=cast.testweb).count() == 1
