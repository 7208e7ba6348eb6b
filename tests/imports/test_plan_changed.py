"""A confirm writes what its preview showed, or nothing (issue 19.3).

After a preview ("1 updated") someone else changes the matched employee's e-mail address: the
confirm's plan would now create a second person. The preview's plan is kept as a fingerprint
on the stored upload; a confirm whose plan differs is refused and the new preview shown. The
same holds for a large import confirmed by a worker. Runs on SQLite and, with DATABASE_URL,
on PostgreSQL.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from background.models import Job, JobStatus
from imports.employees import employee_import_confirm, employee_import_preview
from imports.jobs import employee_import_job
from imports.models import ImportUpload
from imports.pipeline import PlanChanged
from portal.models import Employee
from tests.factories import EmployeeFactory
from tests.imports.conftest import csv_file
from tests.imports.test_views import CONFIRM, IMPORT, messages_of, token_of

pytestmark = pytest.mark.django_db

CHANGED = (
    "The register has changed since the preview: see the new preview below. Nothing has been "
    "imported yet."
)


@pytest.fixture
def oline(cast):
    return EmployeeFactory(
        department=cast.tb_main,
        first_name="Oline",
        last_name="Fjellstad",
        email="oline@testbedriften.no",
    )


@pytest.fixture
def testweb(cast, client_en):
    client_en.force_login(cast.testweb)
    return client_en


def oline_moves_to(email: str) -> None:
    """Another user gives Oline another address between the preview and the confirm."""
    Employee.objects.filter(email="oline@testbedriften.no").update(email=email)


def new_mobile_for_oline() -> bytes:
    return csv_file(
        ["Oline", "Fjellstad", "oline@testbedriften.no", "91234567", "", "", "Testbedriften AS"]
    )


def test_a_confirm_whose_plan_changed_is_refused_and_shows_the_new_preview(testweb, oline):
    # given a preview that updates Oline
    preview = testweb.post(
        IMPORT, {"import_file": SimpleUploadedFile("oline.csv", new_mobile_for_oline())}
    )
    assert 'data-testid="import-updated">1<' in preview.content.decode()
    # and Oline's address changed by someone else meanwhile
    oline_moves_to("oline.fjellstad@testbedriften.no")

    # when the user confirms
    response = testweb.post(CONFIRM, {"token": token_of(preview)})

    # then nothing is written: no second Oline, and Oline's mobile is as it was
    assert Employee.objects.filter(first_name="Oline").count() == 1
    oline.refresh_from_db()
    assert oline.mobile != "91234567"
    # and the page says why and shows the new preview (1 new), ready to confirm
    assert response.status_code == 200
    page = response.content.decode()
    assert messages_of(response) == [CHANGED]
    assert 'data-testid="import-created">1<' in page
    assert 'data-testid="import-updated">0<' in page

    # when the user confirms what they now see, then that is written
    confirmed = testweb.post(CONFIRM, {"token": token_of(response)})
    assert confirmed["Location"] == "/portal/employee/"
    assert Employee.objects.filter(first_name="Oline").count() == 2
    assert not ImportUpload.objects.exists()


def test_an_unchanged_register_confirms_as_before(testweb, oline):
    preview = testweb.post(
        IMPORT, {"import_file": SimpleUploadedFile("oline.csv", new_mobile_for_oline())}
    )

    response = testweb.post(CONFIRM, {"token": token_of(preview)})

    assert response["Location"] == "/portal/employee/"
    oline.refresh_from_db()
    assert oline.mobile == "91234567"


def test_the_confirm_service_refuses_another_plan_than_the_previews(cast, oline):
    content = new_mobile_for_oline()
    expected = employee_import_preview(
        actor=cast.testweb, customer=cast.testbedriften, content=content
    ).fingerprint()
    oline_moves_to("oline.fjellstad@testbedriften.no")

    with pytest.raises(PlanChanged) as refused:
        employee_import_confirm(
            actor=cast.testweb, customer=cast.testbedriften, content=content, expected=expected
        )

    assert len(refused.value.plan.creates) == 1
    assert Employee.objects.filter(first_name="Oline").count() == 1


def test_a_large_import_confirmed_by_a_worker_is_refused_too(testweb, oline, settings):
    # given an import above the threshold, confirmed as a job, not yet run
    settings.JOBS_IMPORT_ROWS_THRESHOLD = 1
    content = csv_file(
        ["Oline", "Fjellstad", "oline@testbedriften.no", "91234567", "", "", "Testbedriften AS"],
        ["Kari", "Fjellstad", "kari.fjellstad@testbedriften.no", "", "", "", "Testbedriften AS"],
    )
    preview = testweb.post(IMPORT, {"import_file": SimpleUploadedFile("to.csv", content)})
    testweb.post(CONFIRM, {"token": token_of(preview)})
    job = Job.objects.get()
    # and Oline's address changed meanwhile
    oline_moves_to("oline.fjellstad@testbedriften.no")

    # when the worker runs it
    employee_import_job.call(job_id=job.pk)

    # then it fails, says why, and nothing of the file is imported
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "the register has changed since the preview" in job.message
    assert Employee.objects.filter(first_name="Oline").count() == 1
    assert not Employee.objects.filter(first_name="Kari", last_name="Fjellstad").exists()
