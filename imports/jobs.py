"""The employee import as a job, for files too large to confirm within a web request.

The same confirm as the immediate one: every row checked again against the database as it is
now, then all written in one transaction, or nothing; the job ends in that same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from background.jobs import JobFailed, job_finish, job_progress, job_run, job_start
from background.models import Job, JobKind
from imports.employees import employee_import_confirm
from portal.models import Customer


def employee_import_start(*, actor, upload) -> Job:
    """Hand a checked upload to a worker; call it in the transaction that takes the upload."""
    return job_start(
        owner=actor,
        kind=JobKind.IMPORT,
        task=employee_import_job,
        title=_("Import of employees (%(file)s)") % {"file": upload.file_name},
        rows_total=upload.rows,
        params={"customer_id": upload.customer_id},
        input=bytes(upload.content),
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

    try:
        with transaction.atomic():
            plan = employee_import_confirm(
                actor=job.owner,
                customer=customer,
                content=bytes(job.input),
                progress=progress,
                rows=job.rows_total,
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
    except ValidationError as refusal:
        raise JobFailed(" ".join(refusal.messages)) from None
    except PermissionDenied as refusal:
        raise JobFailed(
            str(refusal) or _("You may not import employees of this customer.")
        ) from None
