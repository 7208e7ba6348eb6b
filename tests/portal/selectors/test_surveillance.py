"""The due list in the database answers as the rules on dates do (`portal.surveillance`)."""

import datetime
import random
import zoneinfo

import pytest
import time_machine
from django.db import connection

from portal.models import Exposure, ExposureType
from portal.models.appointments import Attendance
from portal.selectors.periods import MonthsAdd, months_add
from portal.selectors.surveillance import (
    NAME_ORDER,
    NEXT_DUE_FIRST,
    URGENCY,
    due_list,
    due_list_counts,
    most_urgent_ids,
    status_conditions,
    status_range_counts,
    status_ranges,
    status_sorted_ids,
    with_checks,
    with_due_status,
)
from portal.services.surveillance import exposures_recheck
from portal.surveillance import DueStatus, next_due
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    ProductGroupFactory,
    booking_held,
)

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
D = datetime.date


def held(employee, group, when: datetime.datetime, attendance=Attendance.ATTENDED):
    return booking_held(employee, group, when, attendance)


def at(day: datetime.date, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def kinds():
    hearing = ProductGroupFactory(name="Hørselskontroll")
    health = ProductGroupFactory(name="Helsekontroll (HK)")
    return {
        "noise": ExposureType.objects.create(
            name="Støy over 80 dB", product_group=hearing, first_check_months=6, interval_months=36
        ),
        "chemicals": ExposureType.objects.create(
            name="Isocyanater", product_group=health, first_check_months=3, interval_months=12
        ),
        "night": ExposureType.objects.create(
            name="Nattarbeid", product_group=health, first_check_months=1, interval_months=None
        ),
    }


def test_the_database_adds_months_as_the_rules_do_on_every_day_of_three_years(kinds):
    """Brute force over every day of 2027–2029 (2028 a leap year) for the months the rules
    use: `MonthsAdd` (the stored due day) is `months_add`, the 31st into a shorter month
    included."""
    employee = EmployeeFactory(department=DepartmentFactory())
    days = [D(2027, 1, 1) + datetime.timedelta(days=n) for n in range(365 * 3 + 1)]
    Exposure.objects.bulk_create(
        Exposure(
            employee=employee,
            department_id=employee.department_id,
            exposure_type=kinds["noise"],
            starts_on=day,
        )
        for day in days
    )
    for months in (0, 1, 3, 6, 12, 36, 48):
        added = dict(
            Exposure.objects.annotate(due=MonthsAdd("starts_on", months)).values_list(
                "starts_on", "due"
            )
        )
        assert added == {day: months_add(day, months) for day in days}, months


@time_machine.travel(at(D(2026, 12, 6), 12), tick=False)
def test_the_last_check_is_the_latest_attended_one_of_the_exposures_check(kinds):
    department = DepartmentFactory()
    employee = EmployeeFactory(department=department)
    noise = Exposure.objects.create(
        employee=employee, exposure_type=kinds["noise"], starts_on=D(2022, 1, 1)
    )
    hearing = kinds["noise"].product_group
    held(employee, hearing, at(D(2023, 5, 2)))
    held(employee, hearing, at(D(2024, 3, 1), 0, 30))  # the night after 29 Feb in UTC
    held(employee, hearing, at(D(2025, 1, 10)), Attendance.NO_SHOW)
    held(employee, hearing, at(D(2025, 2, 10)), Attendance.CANCELLED)
    held(employee, kinds["chemicals"].product_group, at(D(2025, 6, 1)))  # another check
    held(employee, hearing, at(D(2027, 1, 12)), Attendance.BOOKED)
    held(employee, hearing, at(D(2027, 2, 12)), Attendance.BOOKED)
    exposures_recheck()

    row = with_checks(Exposure.objects.filter(pk=noise.pk)).get()

    assert row.last_check == D(2024, 3, 1)
    assert row.booked_on == D(2027, 1, 12)


def test_the_database_gives_every_exposure_the_status_the_rules_give(kinds):
    """Exposures begun on many days, with attended checks (some before they began) and
    no-shows, judged on a leap day, month ends, a day of summer time and New Year's Eve late
    at night: the CASE over the types and the rules agree on every one."""
    rng = random.Random(7)
    department = DepartmentFactory()
    start = D(2021, 1, 1)
    exposures = []
    for n in range(90):
        employee = EmployeeFactory(department=department)
        kind = list(kinds.values())[n % 3]
        starts_on = start + datetime.timedelta(days=rng.randrange(0, 365 * 7))
        exposures.append(
            Exposure.objects.create(employee=employee, exposure_type=kind, starts_on=starts_on)
        )
        for _ in range(rng.randrange(0, 3)):
            day = starts_on + datetime.timedelta(days=rng.randrange(-200, 1500))
            attendance = rng.choice([Attendance.ATTENDED, Attendance.ATTENDED, Attendance.NO_SHOW])
            held(employee, kind.product_group, at(day, rng.choice([0, 9, 23])), attendance)

    moments = [
        at(D(2028, 2, 29), 10),
        at(D(2027, 3, 31), 10),
        at(D(2026, 12, 31), 23, 30),
        at(D(2026, 3, 29), 1, 30),
        at(D(2025, 8, 31), 8),
    ]
    # Every start day around the edges: due yesterday, today, in 90 and in 91 days.
    chemicals = kinds["chemicals"]
    for moment in moments:
        for edge in (moment.date(), moment.date() + datetime.timedelta(days=90)):
            for shift in range(-3, 4):
                day = months_add(edge, -3) + datetime.timedelta(days=shift)
                employee = EmployeeFactory(department=department)
                exposures.append(
                    Exposure.objects.create(
                        employee=employee, exposure_type=chemicals, starts_on=day
                    )
                )
    exposures_recheck()
    for moment in moments:
        today = moment.date()
        with time_machine.travel(moment, tick=False):
            rows = with_due_status(Exposure.objects.select_related("exposure_type"), today)
            for row in rows:
                kind = row.exposure_type
                _, expected = next_due(
                    starts_on=row.starts_on,
                    first_check_months=kind.first_check_months,
                    interval_months=kind.interval_months,
                    last_check=row.last_check,
                    today=today,
                )
                assert (row.pk, row.due_status) == (row.pk, expected.value), today
                assert row.due_rank == URGENCY.index(expected), today
            # The status filter's conditions on the stored due day pick the same rows.
            for status, condition in status_conditions(today).items():
                picked = set(Exposure.objects.filter(condition).values_list("pk", flat=True))
                assert picked == {row.pk for row in rows if row.due_status == status}, status
            # The ranges the due list's pages are read by split each status without gap or
            # overlap.
            in_ranges = [
                (status, set(Exposure.objects.filter(condition).values_list("pk", flat=True)))
                for status, condition in status_ranges(today)
            ]
            assert sorted(pk for _, picked in in_ranges for pk in picked) == sorted(
                row.pk for row in rows
            )
            for status, picked in in_ranges:
                assert picked <= {row.pk for row in rows if row.due_status == status}, status
            # Info's figures, asked without every row's status, are those of the due list.
            listed = list(due_list(Exposure.objects.all(), today))
            overdue = {row.employee_id for row in listed if row.due_status == DueStatus.OVERDUE}
            assert due_list_counts(Exposure.objects.all(), today) == {
                "listed": len(listed),
                "overdue": len(overdue),
            }
            assert overdue, today  # the comparison says something
    statuses = {row.due_status for row in with_due_status(Exposure.objects.all(), D(2026, 1, 1))}
    assert statuses == {status.value for status in DueStatus}


@pytest.mark.skipif(
    not connection.features.supports_slicing_ordering_in_compound,
    reason="the pages are read status by status on PostgreSQL; elsewhere sorted as one list",
)
@time_machine.travel(at(D(2026, 12, 6), 12), tick=False)
def test_a_page_read_status_by_status_holds_the_rows_the_sorted_list_has_there(kinds):
    """Every page of every size, read range by range from the due day's index, has exactly
    the rows the whole list sorted in its order has at that place: across the statuses, and
    from the checks with a due day to those only offered."""
    rng = random.Random(11)
    department = DepartmentFactory()
    # Few names and start days: many rows tie on all but the last thing sorted by.
    days = [D(2021, 3, 1), D(2024, 1, 15), D(2025, 9, 1), D(2026, 2, 1), D(2026, 6, 10)]
    for n in range(60):
        employee = EmployeeFactory(
            department=department,
            last_name=rng.choice(["Aas", "Berg"]),
            first_name=rng.choice(["Anne", "Ola"]),
        )
        kind = list(kinds.values())[n % 3]
        starts_on = rng.choice(days)
        Exposure.objects.create(employee=employee, exposure_type=kind, starts_on=starts_on)
        if rng.random() < 0.4:
            held(employee, kind.product_group, at(starts_on + datetime.timedelta(days=30)))
    exposures_recheck()
    today = D(2026, 12, 6)
    listed = due_list(Exposure.objects.all(), today)
    ordered = list(
        listed.order_by("due_rank", NEXT_DUE_FIRST, *NAME_ORDER, "-pk").values_list("pk", flat=True)
    )
    counts = status_range_counts(listed, today)
    assert sum(counts) == len(ordered)
    assert sum(1 for count in counts if count) >= 4  # most ranges have rows, offered ones too

    for size in (1, 4, 7, 25):
        for offset in range(0, len(ordered), size):
            page = most_urgent_ids(listed, today, counts=counts, offset=offset, limit=size)
            assert sorted(page) == sorted(ordered[offset : offset + size]), (size, offset)

    # Sorted by the status column, either way, and then by name (staff's list).
    for rank, descending in (("due_rank", False), ("-due_rank", True)):
        by_status = list(listed.order_by(rank, *NAME_ORDER, "-pk").values_list("pk", flat=True))
        for size in (1, 7, 25):
            for offset in range(0, len(by_status), size):
                page = status_sorted_ids(
                    listed,
                    today,
                    counts=counts,
                    offset=offset,
                    limit=size,
                    descending=descending,
                )
                expected = by_status[offset : offset + size]
                assert sorted(page) == sorted(expected), (rank, size, offset)


@time_machine.travel(at(D(2026, 12, 6), 12), tick=False)
def test_the_due_list_leaves_out_the_deactivated_the_future_and_the_ended_once_checked(kinds):
    department = DepartmentFactory()
    noise = kinds["noise"]

    def exposed(starts_on, ends_on=None, *, active=True):
        employee = EmployeeFactory(department=department, is_active=active)
        return Exposure.objects.create(
            employee=employee, exposure_type=noise, starts_on=starts_on, ends_on=ends_on
        )

    current = exposed(D(2025, 1, 1))
    gone = exposed(D(2025, 1, 1), active=False)
    future = exposed(D(2027, 1, 1))
    ended_unchecked = exposed(D(2020, 1, 1), D(2024, 6, 30))
    ended_checked = exposed(D(2020, 1, 1), D(2024, 6, 30))
    held(ended_checked.employee, noise.product_group, at(D(2024, 9, 1)))
    ended_checked_before = exposed(D(2020, 1, 1), D(2024, 6, 30))
    held(ended_checked_before.employee, noise.product_group, at(D(2023, 9, 1)))
    exposures_recheck()

    listed = set(due_list(Exposure.objects.all(), D(2026, 12, 6)).values_list("pk", flat=True))

    assert listed == {current.pk, ended_unchecked.pk, ended_checked_before.pk}
    assert {gone.pk, future.pk, ended_checked.pk}.isdisjoint(listed)
