"""Imports and exports too large for a web request, as jobs.

The employee import's job is the same confirm as the immediate one: every row checked again
against the database as it is now, refused when that is not what the preview showed, then all
written in one transaction, or nothing; the job ends in that same transaction. An export's job
is the list's own export, for a request rebuilt from the list's address and the export form as
the user sent them.
"""

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import MultipleChoiceField, MultipleHiddenInput
from django.test import RequestFactory
from django.utils.translation import gettext as _
from django_tasks import task

from background.jobs import JobFailed, job_finish, job_progress, job_run, job_start
from background.models import Job, JobKind
from imports.employees import employee_import_confirm
from imports.pipeline import PlanChanged
from imports.rows_kept import rows_load
from portal.crypto import content_decrypt
from portal.models import Customer

CSRF_FIELD = "csrfmiddlewaretoken"


def employee_import_start(*, actor, upload) -> Job:
    """Hand a checked upload to a worker; call it in the transaction that takes the upload."""
    return job_start(
        owner=actor,
        kind=JobKind.IMPORT,
        task=employee_import_job,
        title=_("Import of employees (%(file)s)") % {"file": upload.file_name},
        rows_total=upload.rows,
        params={
            "customer_id": upload.customer_id,
            "fingerprint": upload.fingerprint,
            "input": "lines" if upload.lines else "file",
        },
        # The rows the preview read, or else the file; encrypted as the upload keeps them.
        input=bytes(upload.lines) or bytes(upload.content),
    )


@task()
def employee_import_job(*, job_id: int) -> str:
    return job_run(job_id, _import)


def _import(job: Job) -> None:
    customer = Customer.objects.filter(pk=job.params.get("customer_id")).first()
    if customer is None:
        raise JobFailed(_("The customer no longer exists. Nothing has been imported."))

    def progress(done, total, stage):
        job_progress(job, done, total, stage=stage)

    given = content_decrypt(bytes(job.input)) if job.input else b""
    lines = rows_load(given) if job.params.get("input") == "lines" else None
    try:
        with transaction.atomic():
            plan = employee_import_confirm(
                actor=job.owner,
                customer=customer,
                content=b"" if lines is not None else given,
                lines=lines,
                progress=progress,
                rows=job.rows_total,
                expected=job.params.get("fingerprint", ""),
            )
            if not plan.ok:
                raise JobFailed(
                    _(
                        "Nothing has been imported: the employees changed since the preview, "
                        "and the file now has errors. Correct them and upload the file again."
                    )
                )
            job_finish(
                job=job,
                rows=plan.rows,
                summary={
                    "created": len(plan.creates),
                    "updated": len(plan.updates),
                    "unchanged": plan.unchanged,
                    "skipped": len(plan.skipped),
                },
            )
    except PlanChanged:
        raise JobFailed(
            _(
                "Nothing has been imported: the register has changed since the preview. Upload "
                "the file again to see the new preview."
            )
        ) from None
    except ValidationError as refusal:
        raise JobFailed(" ".join(refusal.messages)) from None
    except PermissionDenied as refusal:
        raise JobFailed(
            str(refusal) or _("You may not import employees of this customer.")
        ) from None


def admin_export_start(*, model_admin, request, rows: int) -> Job:
    """Hand an export of a list to a worker: the list's address (its filters) and the export
    form as they were sent; the worker asks the list again, as the same user."""
    post = {key: request.POST.getlist(key) for key in request.POST if key != CSRF_FIELD}
    return job_start(
        owner=request.user,
        kind=JobKind.EXPORT,
        task=admin_export_job,
        title=_("Export of %(name)s") % {"name": model_admin.opts.verbose_name_plural},
        rows_total=rows,
        params={
            "model": model_admin.opts.label_lower,
            "path": request.get_full_path(),
            "post": post,
        },
    )


@task()
def admin_export_job(*, job_id: int) -> str:
    return job_run(job_id, _export)


def _export(job: Job) -> None:
    """The export as the list's export view makes it, for a request rebuilt from the job (the
    owner's, to the list's address, with the form as sent): the same scoping, filters,
    columns and permission check, as they are when it runs."""
    model_admin = admin.site._registry[apps.get_model(job.params["model"])]
    request = RequestFactory().post(job.params["path"], data=job.params["post"])
    request.user = job.owner
    request.in_job = True
    exported = 0

    def progress(done):
        nonlocal exported
        exported = done
        job_progress(job, done)

    request.export_progress = progress
    formats = model_admin.get_export_formats()
    form = model_admin.get_export_form_class()(
        formats, model_admin.get_export_resource_classes(request), data=request.POST
    )
    selected = "export_items" in request.POST
    if selected:
        form.fields["export_items"] = MultipleChoiceField(
            widget=MultipleHiddenInput,
            required=False,
            choices=[(pk, pk) for pk in model_admin.get_valid_export_item_pks(request)],
        )
    if not form.is_valid():
        raise JobFailed(_("The export could not be made: go back to the list and export again."))
    file_format = formats[int(form.cleaned_data["format"])]()
    queryset = model_admin.get_export_queryset(request)
    if selected:
        queryset = queryset.filter(pk__in=form.cleaned_data["export_items"])
    try:
        data = model_admin.get_export_data(
            file_format,
            request,
            queryset,
            encoding=model_admin.to_encoding,
            export_form=form,
        )
    except PermissionDenied:
        raise JobFailed(_("You may no longer export this list.")) from None
    job_finish(
        job=job,
        rows=exported,
        file=data if isinstance(data, bytes) else data.encode(),
        filename=model_admin.get_export_filename(request, queryset, file_format),
        content_type=file_format.get_content_type(),
    )
