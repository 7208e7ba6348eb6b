"""testweb's import runs as a job: the page's bar moves by itself as the worker records its
progress, and the page shows the import's figures when it is done; an export job offers its
file. Screenshots at desktop and phone width."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from background.models import Job, JobKind, JobStage, JobStatus

from .helpers import assert_accessible

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 900}


def _job(**fields) -> Job:
    return Job.objects.create(
        owner=get_user_model().objects.get(username="testweb"),
        expires_at=timezone.now() + datetime.timedelta(days=7),
        **fields,
    )


def test_the_bar_moves_by_itself_and_the_page_shows_the_outcome(page, login, screenshot):
    job = _job(
        kind=JobKind.IMPORT,
        title="Import av ansatte (ansatte.xlsx)",
        status=JobStatus.RUNNING,
        stage=JobStage.CHECKING,
        rows_done=4_000,
        rows_total=10_000,
    )
    login(page, "testweb")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/jobber/{job.pk}/")
    progress = page.get_by_test_id("job-progress")
    expect(progress).to_have_text("4\u00a0000 / 10\u00a0000 rader")
    expect(page.locator("[data-job=stage]")).to_have_text("Kontrollerer radene")
    screenshot(page, "job-running-1366")
    assert_accessible(page, where="job-running-1366")
    page.set_viewport_size(PHONE)
    screenshot(page, "job-running-375")
    assert_accessible(page, where="job-running-375")

    # The worker goes on: the page follows without being reloaded.
    Job.objects.filter(pk=job.pk).update(stage=JobStage.SAVING, rows_done=7_000)
    expect(progress).to_have_text("7\u00a0000 / 10\u00a0000 rader")
    expect(page.locator("[data-job=stage]")).to_have_text("Lagrer")
    expect(page.locator("[data-job=fill]")).to_have_attribute("style", re.compile("width: 70%"))

    # Done: the page shows the import's figures.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        stage="",
        rows_done=10_000,
        finished_at=timezone.now(),
        summary={"created": 9_800, "updated": 150, "unchanged": 50, "skipped": 0},
    )
    summary = page.get_by_test_id("job-summary")
    expect(summary).to_contain_text("9\u00a0800")
    expect(page.get_by_text("Ferdig", exact=True).first).to_be_visible()
    screenshot(page, "job-done-import-375")
    assert_accessible(page, where="job-done-import-375")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "job-done-import-1366")
    assert_accessible(page, where="job-done-import-1366")


def test_a_done_export_offers_its_file(page, login, screenshot):
    job = _job(
        kind=JobKind.EXPORT,
        title="Eksport av ansatte",
        status=JobStatus.DONE,
        rows_done=6_000,
        rows_total=6_000,
        file=b"Fornavn;Etternavn\r\n",
        filename="ansatte-2026-12-05.csv",
        content_type="text/csv",
        finished_at=timezone.now(),
    )
    login(page, "testweb")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/jobber/{job.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned ansatte-2026-12-05.csv").click()
    assert download.value.suggested_filename == "ansatte-2026-12-05.csv"
    screenshot(page, "job-done-export-1366")
    assert_accessible(page, where="job-done-export-1366")
    page.set_viewport_size(PHONE)
    screenshot(page, "job-done-export-375")
    assert_accessible(page, where="job-done-export-375")
