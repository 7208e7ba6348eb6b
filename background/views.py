"""A job's page, its progress as JSON for the page's script, and its file: for its owner only.

Anyone else's job, an expired one and one that never existed are the same 404.
"""

from django.contrib import admin
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from background.models import Job, JobKind, JobStatus
from portal.formatting import format_count, format_datetime

# What the page and its script read: everything but the input and the file.
FIELDS = (
    "pk",
    "owner_id",
    "kind",
    "title",
    "status",
    "stage",
    "rows_done",
    "rows_total",
    "message",
    "summary",
    "filename",
    "created_at",
    "finished_at",
    "expires_at",
)


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job.objects.of_owner(request.user).only(*FIELDS), pk=pk)


def progress_text(job: Job) -> str:
    """ "4 000 / 10 000 rader" as the bar's caption."""
    return _("%(done)s of %(total)s rows") % {
        "done": format_count(job.rows_done),
        "total": format_count(job.rows_total),
    }


def job_state(job: Job) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "stage_label": job.get_stage_display() if job.stage else "",
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "progress": progress_text(job),
        "finished": job.is_finished,
    }


def job_page(request, pk: int):
    job = _own_job(request, pk)
    context = {
        **admin.site.each_context(request),
        "title": job.title,
        "job": job,
        "state": job_state(job),
        "status_url": reverse("admin:job_status", args=[job.pk]),
        "download_url": reverse("admin:job_download", args=[job.pk])
        if job.status == JobStatus.DONE and job.filename
        else None,
        "summary": _summary(job),
        "started": format_datetime(job.created_at),
        "finished": format_datetime(job.finished_at) if job.finished_at else "",
        "expires": format_datetime(job.expires_at),
    }
    request.current_app = admin.site.name
    response = TemplateResponse(request, "background/job.html", context)
    add_never_cache_headers(response)
    return response


def _summary(job: Job) -> list[tuple[str, str]]:
    if job.kind != JobKind.IMPORT or job.status != JobStatus.DONE:
        return []
    summary = job.summary
    lines = [
        (_("New employees"), format_count(summary.get("created", 0))),
        (_("Updated"), format_count(summary.get("updated", 0))),
        (_("Unchanged"), format_count(summary.get("unchanged", 0))),
    ]
    if summary.get("skipped"):
        lines.append((_("New but inactive, skipped"), format_count(summary["skipped"])))
    return lines


def job_status(request, pk: int):
    response = JsonResponse(job_state(_own_job(request, pk)))
    add_never_cache_headers(response)
    return response


def job_download(request, pk: int):
    job = get_object_or_404(
        Job.objects.of_owner(request.user).filter(status=JobStatus.DONE, file__isnull=False),
        pk=pk,
    )
    if not job.filename:
        raise Http404
    response = HttpResponse(bytes(job.file), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    add_never_cache_headers(response)  # no-store: the file is the owner's alone
    return response
