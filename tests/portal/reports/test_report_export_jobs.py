"""A report's spreadsheet of more rows than JOBS_REPORT_ROWS_THRESHOLD is made by a worker:
the user is sent to the job's page, and gets the same file from there, theirs alone."""

from urllib.parse import urlencode

import pytest
from django.test import override_settings

from background.models import Job, JobKind, JobStatus
from permissions.models import Grant
from permissions.services import grant_revoke
from portal.models import Notification
from portal.reports import report_by_slug
from portal.reports.jobs import report_export_job

from .conftest import PERIOD, report, xlsx_rows

pytestmark = pytest.mark.usefixtures("norwegian")


def _url(**params) -> str:
    return "/rapporter/?" + urlencode({**PERIOD, **params})


@pytest.mark.parametrize("slug", ["bestillinger", "fakturaer"])
def test_a_large_report_export_is_a_job_with_the_same_file(
    slug, report_world, login, django_capture_on_commit_callbacks
):
    client = login("testweb")
    immediate = xlsx_rows(client.get(_url(export=slug)))  # 6 months: 6 rows and a total
    assert not Job.objects.exists()

    # when the same export is asked for with a threshold below its rows
    with (
        override_settings(JOBS_REPORT_ROWS_THRESHOLD=5),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.get(_url(export=slug))

    # then the user is sent to the job's page, the worker made the same spreadsheet, and the
    # user is told where to get it
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.rows_done) == (JobKind.REPORT, JobStatus.DONE, 6)
    assert job.filename == f"rapport-{slug}-2023-01-2023-06.xlsx"
    download = client.get(f"{job.get_absolute_url()}fil/")
    assert xlsx_rows(download) == immediate
    assert Notification.objects.filter(recipient__username="testweb", link=job.get_absolute_url())

    # and nobody else gets the page or the file
    other = login("annen")
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(f"{job.get_absolute_url()}fil/").status_code == 404


@pytest.mark.parametrize(
    ("member", "slug", "params"),
    [
        ("testweb", "helsekontroll", {}),  # a line per department
        ("bergen", "helsekontroll", {}),  # one department
        ("kam", "helsekontroll", {}),  # a line per customer
        ("kam", "helsekontroll", {"customer": "testbedriften"}),
    ],
)
def test_a_report_that_counts_its_rows_first_counts_those_of_its_table(
    member, slug, params, report_world, login
):
    """An export over the threshold goes to a worker by this count, without the report being
    worked out in the request: it must be the table's."""
    cast = report_world.cast
    params = {name: getattr(cast, value).pk for name, value in params.items()}
    response = login(getattr(cast, member)).get(_url(**params))
    table = report(response, slug).table

    counted = report_by_slug(slug).rows_at_most(
        user=getattr(cast, member),
        period=response.context["period"],
        customer=response.context["customer"],
    )

    assert counted == len(table.rows)
    assert counted > 0


def test_a_report_job_of_a_user_who_lost_the_right_fails_with_a_message(report_world, login):
    client = login("testweb")
    with override_settings(JOBS_REPORT_ROWS_THRESHOLD=5):
        client.get(_url(export="fakturaer"))  # queued, not run: the tests run tasks on commit
    job = Job.objects.get()
    for grant in Grant.objects.filter(user__username="testweb"):  # access ends before it runs
        grant_revoke(grant=grant)

    report_export_job.call(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.file is None
    assert "eksportere" in job.message
