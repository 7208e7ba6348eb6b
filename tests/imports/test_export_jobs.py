"""A list's export of more rows than the threshold is made by a worker: the same file, for
the same user, of the same filtered rows, as the export made at once."""

import csv
import io

import pytest

from background.models import Job, JobKind, JobStatus
from permissions.services import grant_revoke
from portal.models import Notification
from tests.imports.test_export import CSV, EXPORT, XLSX, emails

pytestmark = pytest.mark.django_db


@pytest.fixture
def exporting(cast, client_en):
    def _as(user):
        client_en.force_login(user)
        return client_en

    return _as


def export_as_job(client, capture, file_format=XLSX, query=""):
    with capture(execute=True):
        response = client.post(f"{EXPORT}?{query}", {"format": file_format})
    [job] = Job.objects.order_by("-pk")[:1]
    assert response.status_code == 302
    assert response["Location"] == f"/jobber/{job.pk}/"
    return job


def read_csv(content: bytes) -> list[list]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_below_the_threshold_the_file_comes_at_once(exporting, cast, settings):
    settings.JOBS_EXPORT_ROWS_THRESHOLD = 1_000

    response = exporting(cast.kam).post(EXPORT, {"format": CSV})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()


def test_above_the_threshold_the_same_file_is_made_by_a_worker(
    exporting, cast, settings, django_capture_on_commit_callbacks
):
    # given the file the KA/KAM gets at once
    client = exporting(cast.kam)
    at_once = client.post(EXPORT, {"format": CSV})

    # when the threshold is below the list's rows
    settings.JOBS_EXPORT_ROWS_THRESHOLD = 2
    job = export_as_job(client, django_capture_on_commit_callbacks, CSV)

    # then a job made the very same file, for the KA/KAM to download from the job's page
    assert (job.owner, job.kind, job.status) == (cast.kam, JobKind.EXPORT, JobStatus.DONE)
    assert job.rows_done == job.rows_total == len(read_csv(at_once.content)) - 1
    download = client.get(f"/jobber/{job.pk}/fil/")
    assert download.content == at_once.content
    assert download["Content-Disposition"] == at_once["Content-Disposition"]
    assert f'href="/jobber/{job.pk}/fil/"' in client.get(f"/jobber/{job.pk}/").text
    [notification] = Notification.objects.filter(recipient=cast.kam)
    assert notification.text == "Ready: Export of employees"
    assert notification.link == f"/jobber/{job.pk}/"


def test_the_job_exports_the_users_own_filtered_rows(
    exporting, cast, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_EXPORT_ROWS_THRESHOLD = 0
    client = exporting(cast.testweb)

    job = export_as_job(
        client, django_capture_on_commit_callbacks, CSV, query=f"department={cast.tb_bergen.pk}"
    )

    rows = read_csv(bytes(job.file))
    assert emails(rows) == {"anton@testikkeibruk.no", "skrue@testikkeibruk.no"}


def test_a_user_who_lost_the_permission_meanwhile_gets_no_file(
    exporting, cast, settings, django_capture_on_commit_callbacks
):
    # given an export queued for an HR user of Bergen, whose grant is then taken away
    settings.JOBS_EXPORT_ROWS_THRESHOLD = 0
    client = exporting(cast.bergen_hr)
    with django_capture_on_commit_callbacks() as queued:
        client.post(EXPORT, {"format": CSV})
    for grant in cast.bergen_hr.portal_grants.all():
        grant_revoke(grant=grant, actor=cast.testweb)

    # when the worker runs it
    for callback in queued:
        callback()

    # then the job failed, without a file, and says why
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.file is None
    assert job.message == "You may no longer export this list."
