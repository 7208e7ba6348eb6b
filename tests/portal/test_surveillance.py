"""The due-date rules of health surveillance, on plain dates."""

import datetime

import pytest

from portal.selectors.periods import months_add
from portal.surveillance import DueStatus, next_due

D = datetime.date
TODAY = D(2026, 12, 6)


def status(*, starts_on, first=6, interval=36, last_check=None, today=TODAY):
    return next_due(
        starts_on=starts_on,
        first_check_months=first,
        interval_months=interval,
        last_check=last_check,
        today=today,
    )


def test_the_first_check_is_due_months_after_the_exposure_starts():
    assert status(starts_on=D(2026, 1, 15)) == (D(2026, 7, 15), DueStatus.OVERDUE)
    assert status(starts_on=D(2026, 8, 15)) == (D(2027, 2, 15), DueStatus.DUE_SOON)
    assert status(starts_on=D(2026, 11, 1)) == (D(2027, 5, 1), DueStatus.NOT_EXAMINED)


def test_an_attended_check_moves_the_next_one_an_interval_on():
    assert status(starts_on=D(2020, 1, 1), last_check=D(2024, 3, 1)) == (
        D(2027, 3, 1),
        DueStatus.DUE_SOON,
    )
    assert status(starts_on=D(2020, 1, 1), last_check=D(2025, 3, 1)) == (
        D(2028, 3, 1),
        DueStatus.IN_ORDER,
    )
    assert status(starts_on=D(2020, 1, 1), last_check=D(2023, 12, 5))[1] == DueStatus.OVERDUE


def test_due_today_is_not_overdue_and_90_days_ahead_is_due_soon():
    assert status(starts_on=D(2026, 6, 6))[1] == DueStatus.DUE_SOON  # due today
    assert status(starts_on=D(2026, 6, 5))[1] == DueStatus.OVERDUE  # due yesterday
    soon = TODAY + datetime.timedelta(days=90)
    assert status(starts_on=months_add(soon, -6))[1] == DueStatus.DUE_SOON
    assert status(starts_on=months_add(soon, -6) + datetime.timedelta(days=1))[1] == (
        DueStatus.NOT_EXAMINED
    )


def test_a_check_before_the_exposure_began_does_not_count():
    assert status(starts_on=D(2026, 10, 1), last_check=D(2026, 9, 1)) == (
        D(2027, 4, 1),
        DueStatus.NOT_EXAMINED,
    )


def test_an_offered_check_is_never_overdue():
    assert status(starts_on=D(2010, 1, 1), interval=None) == (D(2010, 7, 1), DueStatus.NOT_EXAMINED)
    assert status(starts_on=D(2010, 1, 1), interval=None, last_check=D(2011, 1, 1)) == (
        None,
        DueStatus.IN_ORDER,
    )


@pytest.mark.parametrize(
    ("starts_on", "months", "due"),
    [
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # a month's end into a short February
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # into a leap February
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap day a year on
        (D(2024, 2, 29), 48, D(2028, 2, 29)),  # and four years on
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
    ],
)
def test_months_are_calendar_months_ending_on_the_last_day(starts_on, months, due):
    assert status(starts_on=starts_on, first=months)[0] == due
