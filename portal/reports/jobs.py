"""A report's spreadsheet too large for a web request, made by a worker: the report built
again as its owner, for the period and customer of the page they asked from."""

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from background.jobs import JobFailed, job_finish, job_progress, job_run, job_start
from background.models import Job, JobKind
from permissions.scoping import is_unscoped

from . import REPORTS, ReportFilterForm, report_by_slug
from .base import Report
from .xlsx import XLSX_CONTENT_TYPE, report_filename, report_workbook


def picks_customer(user) -> bool:
    """Staff choose a customer (or all); a customer user's reports are their own."""
    return any(is_unscoped(user, report.capability) for report in REPORTS)


def report_export_is_large(rows: int) -> bool:
    return rows > settings.JOBS_REPORT_ROWS_THRESHOLD


def report_export_start(*, user, report: Report, query: str, rows: int) -> Job:
    """Hand the export to a worker; `query` is the page's query string (period, customer)."""
    return job_start(
        owner=user,
        kind=JobKind.REPORT,
        task=report_export_job,
        title=_("Report: %(title)s") % {"title": report.title},
        rows_total=rows,
        params={"report": report.slug, "query": query},
    )


@task()
def report_export_job(*, job_id: int) -> str:
    return job_run(job_id, _export)


def _export(job: Job) -> None:
    user, report = job.owner, report_by_slug(job.params.get("report", ""))
    if report is None or not (report.is_visible_to(user) and report.may_export(user)):
        raise JobFailed(_("You may no longer export this report."))
    form = ReportFilterForm(
        QueryDict(job.params.get("query", "")),
        staff=picks_customer(user),
        today=timezone.localdate(),
    )
    if not form.is_valid():
        raise JobFailed(_("The report's period or customer is no longer valid. Try again."))
    result = report.build(user=user, period=form.period, customer=form.customer)
    rows = len(result.table.rows)
    job_progress(job, 0, rows)
    job_finish(
        job=job,
        rows=rows,
        file=report_workbook(result),
        filename=report_filename(report, form.period),
        content_type=XLSX_CONTENT_TYPE,
    )
