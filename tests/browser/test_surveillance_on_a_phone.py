"""The due list and the coverage report on a phone (375 px): the exposures' explanations are
read under the list without a pointer to hover, and neither page scrolls sideways."""

import datetime
import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from portal.models import Employee, ExposureType, ProductGroup
from portal.services.exposures import exposure_create

from .helpers import PHONE

EXPLANATION = "Daglig støy over 80 dB(A) krever hørselskontroll."


def test_a_phone_reads_what_each_exposure_means_and_the_coverage(page, login, screenshot):
    testweb = get_user_model().objects.get(username="testweb")
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=ProductGroup.objects.create(name="Hørselskontroll"),
        first_check_months=6, interval_months=36, explanation=EXPLANATION,
    )  # fmt: skip
    donald = Employee.objects.get(first_name="Donald", last_name="Duck")
    exposure_create(
        actor=testweb, employee=donald, exposure_type=noise, starts_on=datetime.date(2024, 1, 1)
    )
    page.set_viewport_size(PHONE)
    login(page, "testweb")

    page.goto("/portal/surveillancedue/")

    # A row's labels read as the headings do: a capital first letter, not one on every word.
    labels = page.evaluate(
        """[...document.querySelectorAll("#result_list tbody td[data-label]")].map(cell => {
            const before = getComputedStyle(cell, "::before");
            return [before.content, before.textTransform];
        })"""
    )
    assert ['"Neste frist"', "none"] in labels
    assert ['"Eksponering"', "none"] in labels  # the field's name is "eksponering"
    assert all(transform == "none" for _content, transform in labels)

    legend = page.get_by_test_id("exposure-legend")
    legend.scroll_into_view_if_needed()
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Om eksponeringene i listen")
    expect(legend).to_contain_text(EXPLANATION)
    expect(legend).to_contain_text("Første kontroll innen 6 måneder, deretter hver 36. måned.")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "surveillance-legend-375")

    page.goto("/rapporter/")
    report = page.get_by_test_id("report-helseovervaking")
    expect(report.get_by_test_id("report-on-request")).to_contain_text(
        "Rapporten regnes ut fra hver eksponering og kontroll når du ber om den."
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    report.get_by_role("link", name="Vis rapporten").click()

    expect(page).to_have_url(re.compile(r"vis=helseovervaking#helseovervaking$"))
    expect(report).to_contain_text("Dekning av helseovervåking")
    expect(report.get_by_test_id("report-table")).to_contain_text("Støy over 80 dB")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "surveillance-report-375")
