"""Jobs: the page and its progress for the owner, the file for the owner until it expires, the
progress written sparingly, and the expired ones deleted."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from background.jobs import job_progress, jobs_delete_expired
from background.models import Job, JobKind, JobStage, JobStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def make_job(owner, **fields) -> Job:
    defaults = {
        "kind": JobKind.EXPORT,
        "title": "Export of employees",
        "expires_at": timezone.now() + datetime.timedelta(days=7),
    }
    return Job.objects.create(owner=owner, **{**defaults, **fields})


@pytest.fixture
def owner(client):
    user = UserFactory(username="eier", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_page_of_a_running_job_shows_its_progress_and_polls(owner, client):
    job = make_job(
        owner,
        status=JobStatus.RUNNING,
        stage=JobStage.CHECKING,
        rows_done=4_000,
        rows_total=10_000,
    )

    response = client.get(f"/jobber/{job.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "4\u00a0000 / 10\u00a0000" in page or "4\u00a0000 of 10\u00a0000 rows" in page
    assert 'style="width: 40%"' in page
    assert f'data-status-url="/jobber/{job.pk}/status/"' in page
    assert "background/job.js" in page
    assert "no-store" in response["Cache-Control"]


def test_the_progress_as_json(owner, client):
    job = make_job(owner, status=JobStatus.RUNNING, rows_done=2_500, rows_total=10_000)

    state = client.get(f"/jobber/{job.pk}/status/").json()

    assert state["status"] == "running"
    assert state["finished"] is False
    assert (state["rows_done"], state["rows_total"], state["percent"]) == (2_500, 10_000, 25)


def test_a_done_export_offers_its_file_to_its_owner(owner, client):
    job = make_job(
        owner,
        status=JobStatus.DONE,
        rows_done=6_000,
        rows_total=6_000,
        file=b"PK-the-workbook",
        filename="ansatte-2026-12-05.xlsx",
        content_type=XLSX,
        finished_at=timezone.now(),
    )

    page = client.get(f"/jobber/{job.pk}/").content.decode()
    assert f'href="/jobber/{job.pk}/fil/"' in page
    assert "background/job.js" not in page
    response = client.get(f"/jobber/{job.pk}/fil/")

    assert response.status_code == 200
    assert response.content == b"PK-the-workbook"
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="ansatte-2026-12-05.xlsx"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_job_is_nobody_elses(owner, client):
    job = make_job(owner, status=JobStatus.DONE, file=b"x", filename="x.xlsx")
    someone = UserFactory(username="annenstab", is_staff=True, is_superuser=True)
    client.force_login(someone)

    for path in ("", "status/", "fil/"):
        assert client.get(f"/jobber/{job.pk}/{path}").status_code == 404
    assert client.get("/jobber/999999/").status_code == 404


def test_an_expired_job_is_gone_and_then_deleted(owner, client):
    job = make_job(owner, status=JobStatus.DONE, file=b"x", filename="x.xlsx")
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    fresh = make_job(owner)

    for path in ("", "status/", "fil/"):
        assert client.get(f"/jobber/{job.pk}/{path}").status_code == 404
    assert jobs_delete_expired() == 1
    assert list(Job.objects.all()) == [fresh]


def test_the_command_deletes_the_expired_jobs(owner):
    make_job(owner, expires_at=timezone.now() - datetime.timedelta(days=1))
    out = io.StringIO()

    call_command("delete_expired_jobs", stdout=out)

    assert out.getvalue().strip() == "1 expired job(s) deleted."
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)  # as a worker runs: the UPDATE is seen at once
def test_progress_is_written_every_step_and_at_the_last_row(owner, settings):
    settings.JOBS_PROGRESS_EVERY = 100
    job = make_job(owner, status=JobStatus.RUNNING, rows_total=250)

    written = [done for done in range(1, 251) if job_progress(job, done)]

    assert written == [100, 200, 250]
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total) == (250, 250)


@pytest.mark.django_db(transaction=True)
def test_a_new_stage_is_written_at_once(owner, settings):
    settings.JOBS_PROGRESS_EVERY = 100
    job = make_job(owner, status=JobStatus.RUNNING, rows_total=250)
    job_progress(job, 250, stage=JobStage.CHECKING)

    assert job_progress(job, 1, 40, stage=JobStage.SAVING)
    job.refresh_from_db()
    assert (job.stage, job.rows_done, job.rows_total) == ("saving", 1, 40)
