"""The period picker: the last twelve months unless told otherwise, whole months in Norwegian
time, and a clear message for a period that makes no sense."""

import datetime

import pytest
from django.utils import timezone

from portal.reports.period import MAX_MONTHS, Period, ReportFilterForm
from portal.selectors.periods import months_add

pytestmark = pytest.mark.usefixtures("norwegian")

TODAY = datetime.date(2026, 3, 31)


def _form(**data):
    return ReportFilterForm(data, staff=False, today=TODAY)


def test_the_default_is_the_last_twelve_months_this_one_included():
    period = _form().period

    assert period == Period(first=datetime.date(2025, 4, 1), last=datetime.date(2026, 3, 1))
    assert len(period.months) == 12
    assert period.end_date == datetime.date(2026, 4, 1)


@pytest.mark.parametrize("typed", ["2024-02", "02.2024", "2.2024"])
def test_a_month_is_read_as_the_browser_sends_it_or_as_people_type_it(typed):
    assert _form(from_month=typed, to_month="2024-05").period.first == datetime.date(2024, 2, 1)


def test_only_one_end_given_makes_a_twelve_month_period():
    assert _form(to_month="2024-05").period == Period(
        first=datetime.date(2023, 6, 1), last=datetime.date(2024, 5, 1)
    )
    assert _form(from_month="2025-01").period == Period(
        first=datetime.date(2025, 1, 1), last=datetime.date(2025, 12, 1)
    )


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"from_month": "2024-05", "to_month": "2024-01"}, "__all__", "period_reversed"),
        ({"from_month": "2000-01", "to_month": "2024-01"}, "__all__", "period_too_long"),
        ({"from_month": "2024-13"}, "from_month", "invalid"),
        ({"to_month": "januar"}, "to_month", "invalid"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused_and_the_default_shown(data, field, code):
    form = _form(**data)

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()[field]] == [code]
    assert form.period == Period.default(TODAY)


def test_at_most_ten_years():
    assert MAX_MONTHS == 120
    assert _form(from_month="2014-04", to_month="2024-03").is_valid()
    assert not _form(from_month="2014-03", to_month="2024-03").is_valid()


def test_the_period_runs_from_midnight_to_midnight_norwegian_time():
    period = Period(first=datetime.date(2023, 1, 1), last=datetime.date(2023, 6, 1))

    assert timezone.localtime(period.start).isoformat() == "2023-01-01T00:00:00+01:00"
    assert timezone.localtime(period.end).isoformat() == "2023-07-01T00:00:00+02:00"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 3, 15), -24, datetime.date(2022, 3, 15)),
        (datetime.date(2024, 12, 1), 1, datetime.date(2025, 1, 1)),
        (datetime.date(2025, 1, 1), -1, datetime.date(2024, 12, 1)),
    ],
)
def test_months_add(day, months, expected):
    assert months_add(day, months) == expected


def test_the_page_shows_the_error_and_the_default_period(frozen_clock, demo, login):
    response = login("testweb").get("/rapporter/?from_month=2024-05&to_month=2024-01")

    assert response.status_code == 200
    assert response.context["period"] == Period.default(timezone.localdate())
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["period_reversed"]
    assert str(form.non_field_errors()[0]) in response.content.decode()


def test_an_export_of_a_period_that_makes_no_sense_is_refused(demo, login):
    """Refused on the page, with the form saying why: not a bare 400, and no file."""
    response = login("testweb").get(
        "/rapporter/?from_month=2024-05&to_month=2024-01&export=bestillinger"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["period_reversed"]
