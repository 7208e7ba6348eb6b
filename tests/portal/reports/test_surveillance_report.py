"""«Dekning av helseovervåking» in Rapporter: each month's figures are the due list's counts on
that month's last day, by the same rules (month ends and leap days included); another
customer's employees never count; a one-department HR user sees their department; staff see
the customer they pick; the spreadsheet holds the table."""

import datetime
import random
import zoneinfo
from io import BytesIO
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import override_settings
from openpyxl import load_workbook

from background.models import Job, JobStatus
from portal.models import Exposure, ExposureType
from portal.models.appointments import Attendance
from portal.reports import surveillance as surveillance_report
from portal.services.surveillance import exposures_recheck
from portal.surveillance import DueStatus, next_due
from tests.factories import (
    EmployeeFactory,
    ProductGroupFactory,
    booking_held,
)

from .conftest import report, xlsx_rows

pytestmark = pytest.mark.usefixtures("norwegian")
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
D = datetime.date
SLUG = "helseovervaking"
COLUMNS = ["under surveillance", "in_order", "due_soon", "overdue", "not_examined"]


def at(day: datetime.date, hour=9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


def held(employee, group, day: datetime.date, attendance=Attendance.ATTENDED):
    booking_held(employee, group, at(day), attendance)


PICK_ONE = "Velg en kunde over for å se dekningen av helseovervåking."


def url(first: str, last: str, **params) -> str:
    """Rapporter for the months, with the report worked out (it is on request)."""
    return "/rapporter/?" + urlencode(
        {"from_month": first, "to_month": last, "vis": SLUG, **params}
    )


@pytest.fixture
def kinds(db):
    hearing = ProductGroupFactory(name="Hørselskontroll")
    lungs = ProductGroupFactory(name="Lungefunksjon")
    return [
        ExposureType.objects.create(
            name="Støy over 80 dB", product_group=hearing, first_check_months=6, interval_months=36
        ),
        ExposureType.objects.create(
            name="Isocyanater", product_group=lungs, first_check_months=3, interval_months=12
        ),
        ExposureType.objects.create(
            name="Nattarbeid", product_group=lungs, first_check_months=1, interval_months=None
        ),
    ]


@pytest.fixture
def exposed(cast, kinds):
    """Employees of both departments of Testbedriften and of Eksempel Industri, exposed from
    many days with attended checks and no-shows, some ended, some exposed twice to one type,
    one deactivated since."""
    rng = random.Random(25)
    departments = [cast.tb_main, cast.tb_bergen, cast.ek_main]
    for n in range(60):
        employee = EmployeeFactory(department=departments[n % 3])
        kind = kinds[(n // 3) % len(kinds)]
        starts_on = D(2022, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 5))
        ends_on = starts_on + datetime.timedelta(days=400) if n % 7 == 0 else None
        Exposure.objects.create(
            employee=employee, exposure_type=kind, starts_on=starts_on, ends_on=ends_on
        )
        if n % 5 == 0:  # a second exposure of the type begun later: counted once per status
            Exposure.objects.create(
                employee=employee,
                exposure_type=kind,
                starts_on=starts_on + datetime.timedelta(days=rng.randrange(30, 700)),
            )
        for _ in range(rng.randrange(0, 3)):
            day = starts_on + datetime.timedelta(days=rng.randrange(-100, 1200))
            if day < D(2026, 11, 30):
                attendance = rng.choice([Attendance.ATTENDED, Attendance.NO_SHOW])
                held(employee, kind.product_group, day, attendance)
    exposures_recheck()


def due_list_counts(response) -> dict[tuple[str, str], list[int]]:
    """The due list page's rows counted per (exposure, department): employees, then each
    status — as someone would count them off the page."""
    return _counted(
        ((row.exposure_type.name, row.department.name), row.employee_id, row.due_status)
        for row in response.context["cl"].queryset.select_related("department", "exposure_type")
    )


def _counted(rows) -> dict[tuple[str, str], list[int]]:
    """(group, employee, status) counted as the report counts: the employees of each status,
    and all of them."""
    employees: dict[tuple, dict[str, set]] = {}
    for key, employee, status in rows:
        employees.setdefault(key, {}).setdefault(status, set()).add(employee)
    result = {}
    for key, by_status in employees.items():
        counts = [len(by_status.get(status.value, ())) for status, _ in STATUS_ORDER]
        result[key] = [sum(counts), *counts]
    return result


STATUS_ORDER = surveillance_report.STATUSES


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_the_reports_month_equals_the_due_list_on_its_last_day(exposed, cast, login):
    """Given exposures with checks and no-shows, on 30 November, when testweb opens the due
    list and the report for November, then each exposure and department has the same figures
    in both, and the coverage is (in order + due soon) / all."""
    client = login(cast.testweb)
    due = due_list_counts(client.get("/portal/surveillancedue/"))
    assert len(due) >= 5  # both departments, every type

    result = report(client.get(url("2026-11", "2026-11")), SLUG)

    assert [str(c.heading) for c in result.table.columns] == [
        "Eksponering",
        "Bedrift/avdeling",
        "Måned",
        "Under helseovervåking",
        "I orden",
        "Forfaller innen 90 dager",
        "Forfalt",
        "Ikke undersøkt",
        "Dekning",
    ]
    figures = {(row[0], row[1]): row[3:8] for row in result.table.rows}
    assert figures == due
    for row in result.table.rows:
        assert row[2] == D(2026, 11, 1)
        assert row[8] == pytest.approx(100 * (row[4] + row[5]) / row[3])


def rules_counts(customer, day: datetime.date) -> dict[tuple[str, str], list[int]]:
    """The due list of `day` worked out here by the rules on dates (`next_due`), from the
    bookings held by then and the employees active then."""
    counted = []
    exposures = Exposure.objects.filter(department__customer=customer).select_related(
        "employee", "department", "exposure_type"
    )
    for exposure in exposures:
        employee, kind = exposure.employee, exposure.exposure_type
        deactivated = employee.deactivated_at and employee.deactivated_at.astimezone(OSLO).date()
        if not employee.is_active and not (deactivated and deactivated > day):
            continue
        if exposure.starts_on > day:
            continue
        checks = [
            booking.appointment.starts_at.astimezone(OSLO).date()
            for booking in employee.bookings.filter(
                attendance=Attendance.ATTENDED,
                appointment__order__product_group=kind.product_group,
            ).select_related("appointment")
        ]
        checks = [check for check in checks if exposure.starts_on <= check <= day]
        last_check = max(checks, default=None)
        if exposure.ends_on and last_check and last_check >= exposure.ends_on:
            continue
        _due, status = next_due(
            starts_on=exposure.starts_on,
            first_check_months=kind.first_check_months,
            interval_months=kind.interval_months,
            last_check=last_check,
            today=day,
        )
        counted.append(((kind.name, exposure.department.name), employee.pk, status.value))
    return _counted(counted)


@time_machine.travel(at(D(2027, 3, 15), 12), tick=False)
def test_every_past_month_is_counted_as_it_stood_on_its_last_day(exposed, cast, login):
    """Each month of a past year counted by the rules on its last day (28 February, 30 June,
    …): a check held and an employee deactivated after the year change nothing in it."""
    client = login(cast.testweb)
    gone = Exposure.objects.filter(department=cast.tb_main).order_by("pk").first().employee
    held(gone, gone.exposures.first().exposure_type.product_group, D(2027, 2, 1))
    exposures_recheck()
    gone.is_active = False
    gone.deactivated_at = at(D(2027, 3, 1))
    gone.save(update_fields=["is_active", "deactivated_at"])

    result = report(client.get(url("2026-01", "2026-12")), SLUG)

    by_month: dict[datetime.date, dict] = {}
    for row in result.table.rows:
        by_month.setdefault(row[2], {})[(row[0], row[1])] = row[3:8]
    for month in range(1, 13):
        first = D(2026, month, 1)
        last = surveillance_report.month_end(first)
        assert by_month.get(first, {}) == rules_counts(cast.testbedriften, last), last
    assert by_month[D(2026, 12, 1)]  # the year was not empty


@time_machine.travel(at(D(2028, 4, 15), 12), tick=False)
def test_month_ends_and_a_leap_day(cast, kinds, login):
    """A check due 28 February 2028 is due soon at the end of January and overdue on the 29th;
    one due on the 29th itself is not yet overdue that day; a check held on the leap day counts
    on the leap day."""
    noise, chemicals, _night = kinds
    yearly = ExposureType.objects.create(
        name="Asbest", product_group=chemicals.product_group, first_check_months=11,
        interval_months=36,
    )  # fmt: skip
    late = EmployeeFactory(department=cast.tb_main)
    Exposure.objects.create(employee=late, exposure_type=chemicals, starts_on=D(2027, 11, 28))
    checked = EmployeeFactory(department=cast.tb_main)
    Exposure.objects.create(employee=checked, exposure_type=noise, starts_on=D(2027, 8, 28))
    held(checked, noise.product_group, D(2028, 2, 29))
    on_the_day = EmployeeFactory(department=cast.tb_main)
    Exposure.objects.create(employee=on_the_day, exposure_type=yearly, starts_on=D(2027, 3, 31))
    exposures_recheck()

    result = report(login(cast.testweb).get(url("2028-01", "2028-03")), SLUG)

    def status(row) -> str:
        (index,) = [i for i in range(4) if row[3 + i]]  # one department: no column for it
        return STATUS_ORDER[index][0].value

    statuses = {(row[1].month, row[0]): status(row) for row in result.table.rows}
    assert statuses == {
        # due 28.02.2028 (three months after 28.11.2027)
        (1, "Isocyanater"): DueStatus.DUE_SOON,
        (2, "Isocyanater"): DueStatus.OVERDUE,
        (3, "Isocyanater"): DueStatus.OVERDUE,
        # due 28.02.2028, checked on the 29th
        (1, "Støy over 80 dB"): DueStatus.DUE_SOON,
        (2, "Støy over 80 dB"): DueStatus.IN_ORDER,
        (3, "Støy over 80 dB"): DueStatus.IN_ORDER,
        # due 29.02.2028 (eleven months after 31.03.2027)
        (1, "Asbest"): DueStatus.DUE_SOON,
        (2, "Asbest"): DueStatus.DUE_SOON,
        (3, "Asbest"): DueStatus.OVERDUE,
    }


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_another_customers_employees_never_count(exposed, cast, login):
    """Testbedriften's figures are those of its own exposures, also when it asks for Eksempel
    Industri by address; Eksempel's administrator sees only Eksempel's."""
    own = Exposure.objects.filter(department__customer=cast.testbedriften)
    client = login(cast.testweb)

    result = report(client.get(url("2026-11", "2026-11")), SLUG)
    forged = report(client.get(url("2026-11", "2026-11", customer=cast.eksempel.pk)), SLUG)

    assert forged.table.rows == result.table.rows
    assert {row[1] for row in result.table.rows} == {"Testbedriften AS", "Bergen TEST"}
    assert sum(row[3] for row in result.table.rows) <= own.count()
    other = report(login(cast.annen).get(url("2026-11", "2026-11")), SLUG)
    assert "Bedrift/avdeling" not in other.table.headings  # one department: no column for it
    assert {row[0]: row[2:7] for row in other.table.rows} == {
        kind: figures
        for (kind, _department), figures in rules_counts(cast.eksempel, D(2026, 11, 30)).items()
    }


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_a_one_department_hr_user_sees_their_department_only(exposed, cast, login):
    client = login(cast.bergen_hr)
    due = due_list_counts(client.get("/portal/surveillancedue/"))

    result = report(client.get(url("2026-11", "2026-11")), SLUG)

    assert "Bedrift/avdeling" not in result.table.headings
    assert {key[1] for key in due} == {"Bergen TEST"}
    assert {row[0]: row[2:7] for row in result.table.rows} == {
        kind: figures for (kind, _department), figures in due.items()
    }


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_staff_see_the_customer_they_pick_by_department(exposed, cast, login):
    """Staff see one customer's coverage at a time, per department as its HR does; over every
    customer the report asks them to pick one."""
    client = login(cast.kam)

    everyone = client.get(url("2026-11", "2026-11"))
    testbedriften = report(
        client.get(url("2026-11", "2026-11", customer=cast.testbedriften.pk)), SLUG
    )
    eksempel = report(client.get(url("2026-11", "2026-11", customer=cast.eksempel.pk)), SLUG)

    assert report(everyone, SLUG).table.rows == []
    assert "Velg en kunde over for å se dekningen av helseovervåking." in everyone.content.decode()
    assert "Bedrift/avdeling" in testbedriften.table.headings
    own = report(login(cast.testweb).get(url("2026-11", "2026-11")), SLUG)
    assert testbedriften.table.rows == own.table.rows
    assert {row[0]: row[2:7] for row in eksempel.table.rows} == {
        kind: figures
        for (kind, _department), figures in rules_counts(cast.eksempel, D(2026, 11, 30)).items()
    }


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_staff_over_every_customer_are_offered_no_empty_export(exposed, cast, login):
    """Over every customer the report asks staff to pick one: no «Eksporter til Excel» for it,
    and its export address says the same instead of giving an empty sheet."""
    client = login(cast.kam)
    export = f"export={SLUG}"

    everyone = client.get(url("2026-11", "2026-11"))
    picked = client.get(url("2026-11", "2026-11", customer=cast.testbedriften.pk))
    refused = client.get(url("2026-11", "2026-11", export=SLUG), follow=True)

    assert "export=" in everyone.content.decode()  # the other reports' exports
    # said once, in place of the report, with no empty table under it
    assert everyone.content.decode().count(PICK_ONE) == 1
    assert export not in everyone.content.decode()
    assert export in picked.content.decode()
    assert refused.status_code == 200
    assert "Content-Disposition" not in refused
    assert PICK_ONE in [str(message) for message in refused.context["messages"]]


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_a_long_period_shows_its_last_24_months_and_no_month_to_come(exposed, cast, login):
    response = login(cast.testweb).get(url("2023-01", "2027-06"))

    result = report(response, SLUG)

    months = sorted({row[2] for row in result.table.rows})
    assert months[-1] == D(2026, 11, 1)
    assert months[0] >= D(2024, 12, 1)
    assert len(result.chart.labels) == 24
    assert "Viser de siste 24 månedene av perioden." in [str(note) for note in result.notes]


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_the_export_is_the_table_as_a_spreadsheet(exposed, cast, login):
    client = login(cast.testweb)
    page = client.get(url("2026-10", "2026-11"))
    table = report(page, SLUG).table

    response = client.get(url("2026-10", "2026-11", export=SLUG))

    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-helseovervaking-2026-10-2026-11.xlsx"'
    )
    rows = xlsx_rows(response)
    assert rows[0] == tuple(table.headings)
    assert len(rows) == 1 + len(table.rows)
    first = rows[1]
    assert list(first[:2]) == table.rows[0][:2]  # exposure, department
    assert first[2] == datetime.datetime(2026, 10, 1)  # noqa: DTZ001 (a spreadsheet's date)
    assert list(first[3:8]) == table.rows[0][3:8]
    assert first[8] == pytest.approx(table.rows[0][8] / 100)
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["C2"].number_format == "mm.yyyy"
    assert sheet["I2"].number_format == "0%"


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
@pytest.mark.parametrize(
    ("user", "first", "last"),
    [
        ("testweb", "2026-11", "2026-11"),
        ("testweb", "2025-01", "2026-11"),
        ("testweb", "2023-01", "2027-06"),  # cut to the last 24 months, none to come
        ("bergen_hr", "2024-06", "2026-12"),
        ("annen", "2022-01", "2022-03"),
    ],
)
def test_the_rows_an_export_is_sized_by_are_never_fewer_than_the_tables(
    exposed, cast, login, user, first, last
):
    """The export is sent to a worker by this bound, without the report being worked out: a
    bound below the table would make a large export in the request after all."""
    response = login(getattr(cast, user)).get(url(first, last))
    table = report(response, SLUG).table

    bound = surveillance_report.SurveillanceReport().rows_at_most(
        user=getattr(cast, user), period=response.context["period"], customer=None
    )

    assert len(table.rows) <= bound


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_a_large_export_goes_to_a_worker_without_being_worked_out_first(
    exposed, cast, login, monkeypatch, django_capture_on_commit_callbacks
):
    """Given an export above the worker's threshold, when testweb asks for it, then the report
    is worked out once, by the worker, and its file is the one a smaller threshold gives at
    once."""
    client = login(cast.testweb)
    immediate = xlsx_rows(client.get(url("2026-06", "2026-11", export=SLUG)))
    worked_out = []
    build = surveillance_report.SurveillanceReport.build

    def counted(self, **kwargs):
        worked_out.append(kwargs["period"])
        return build(self, **kwargs)

    monkeypatch.setattr(surveillance_report.SurveillanceReport, "build", counted)

    with (
        override_settings(JOBS_REPORT_ROWS_THRESHOLD=len(immediate) - 2),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.get(url("2026-06", "2026-11", export=SLUG))

    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert len(worked_out) == 1
    assert (job.status, job.rows_done) == (JobStatus.DONE, len(immediate) - 1)
    assert xlsx_rows(client.get(f"{job.get_absolute_url()}fil/")) == immediate


@time_machine.travel(at(D(2026, 11, 30), 12), tick=False)
def test_the_page_shows_the_report_with_counts_and_no_names(exposed, cast, kinds, login):
    marked = EmployeeFactory(department=cast.tb_main, first_name="Ulrikke", last_name="Merkesen")
    Exposure.objects.create(employee=marked, exposure_type=kinds[0], starts_on=D(2026, 1, 5))

    response = login(cast.testweb).get(url("2026-11", "2026-11"))

    html = response.content.decode()
    assert 'data-testid="report-helseovervaking"' in html
    assert "Dekning av helseovervåking" in html
    assert "Under helseovervåking" in html
    assert "Merkesen" not in html
    assert "Ulrikke" not in html
