"""Info for a customer user: each figure is the count of the rows it stands for, made
independently here, never counts another customer's rows, and links to its list showing
exactly those rows."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from portal.formatting import format_nok
from portal.models import Exposure, ExposureType
from portal.models.appointments import Attendance
from portal.models.orders import OrderStatus
from portal.reports.period import Period
from tests.factories import EmployeeFactory, ProductGroupFactory, booking_held

from .helpers import (
    appointments_next_30_days,
    employees_counts,
    figure,
    orders_with_status,
    overdue_invoices,
    text,
)

AWAITING = "figure-awaiting-approval"
APPOINTMENTS = "figure-appointments"
OVERDUE = "figure-overdue-invoices"
ACTIVE = "figure-active-employees"
WITHOUT_HEALTH_CHECK = "figure-without-health-check"
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize("side", ["tb", "ek"])
def test_each_figure_is_the_count_of_the_customers_own_rows(side, info_world, login):
    """Given both customers with the same kinds of rows, when each one's administrator opens
    Info, then every figure equals the count of that customer's rows, made row by row."""
    rows = getattr(info_world, side)
    user = info_world.cast.testweb if side == "tb" else info_world.cast.annen
    now, today = info_world.now, timezone.localdate(info_world.now)

    response = login(user).get("/")

    assert response.status_code == 200
    assert figure(response, AWAITING)["value"] == orders_with_status(
        rows.customer, OrderStatus.AWAITING_CUSTOMER
    )
    count, free = appointments_next_30_days(rows.customer, now)
    assert (count, free) == (5, 4 - 1 + 2 + 0 + 5)  # the world's numbers, spelled out
    shown = figure(response, APPOINTMENTS)
    assert shown["value"] == count
    assert f"{free} ledige plasser" in shown["text"]
    overdue_count, overdue_amount = overdue_invoices(rows.customer, today)
    shown = figure(response, OVERDUE)
    assert shown["value"] == overdue_count
    assert format_nok(overdue_amount).replace("\xa0", " ") in shown["text"]
    active, without = employees_counts(rows.customer, now)
    assert figure(response, ACTIVE)["value"] == active
    assert figure(response, WITHOUT_HEALTH_CHECK)["value"] == without


def test_the_never_booked_count_is_what_the_world_says(info_world, login):
    """Spelled out for Testbedriften: of its nine new active employees, 0–5 and 8 have a
    health check booked within 24 months (1 cancelled one, but holds a seat 31 days ahead);
    6 (26 months ago) and 7 (not a health check) have none, nor have the four demo employees.
    The deactivated employee counts nowhere."""
    response = login(info_world.cast.testweb).get("/")

    assert figure(response, WITHOUT_HEALTH_CHECK)["value"] == 2 + 4
    assert figure(response, ACTIVE)["value"] == 9 + 4


@time_machine.travel(datetime.datetime(2026, 3, 15, 12, tzinfo=OSLO), tick=False)
def test_the_never_booked_figure_counts_from_the_first_of_the_month_24_months_ago(cast, login):
    """Given Info on 15 March 2026, when employees are booked on health checks around 1 March
    2024, then a check on that day counts and one on the leap day before it does not, nor does
    a cancelled booking or a course; a health check to come counts."""
    client = login(cast.testweb)
    before = {
        testid: figure(client.get("/"), testid)["value"]
        for testid in (ACTIVE, WITHOUT_HEALTH_CHECK)
    }
    health_check = ProductGroupFactory(name="Helsekontroll 2", is_health_check=True)
    course = ProductGroupFactory(name="Førstehjelpskurs", is_health_check=False)
    for starts_at, group, attendance in [
        (datetime.datetime(2024, 3, 1, 0, 15, tzinfo=OSLO), health_check, Attendance.ATTENDED),
        (datetime.datetime(2026, 6, 10, 9, tzinfo=OSLO), health_check, Attendance.BOOKED),
        (datetime.datetime(2024, 2, 29, 23, 45, tzinfo=OSLO), health_check, Attendance.ATTENDED),
        (datetime.datetime(2025, 1, 10, 9, tzinfo=OSLO), health_check, Attendance.CANCELLED),
        (datetime.datetime(2026, 1, 10, 9, tzinfo=OSLO), course, Attendance.ATTENDED),
    ]:
        booking_held(EmployeeFactory(department=cast.tb_main), group, starts_at, attendance)

    response = client.get("/")

    assert figure(response, ACTIVE)["value"] == before[ACTIVE] + 5
    assert figure(response, WITHOUT_HEALTH_CHECK)["value"] == before[WITHOUT_HEALTH_CHECK] + 3
    assert figure(response, WITHOUT_HEALTH_CHECK)["href"].startswith(
        "/rapporter/?from_month=2024-03&"
    )


def test_the_figures_link_to_their_lists_filtered_to_the_same_rows(info_world, login):
    """Given Info, when the user follows a figure, then the list it opens shows as many rows
    as the figure said."""
    client = login(info_world.cast.testweb)
    response = client.get("/")

    last_day = timezone.localdate() + datetime.timedelta(days=30)
    for testid, expected_link in (
        (AWAITING, "/portal/order/?status=awaiting_customer"),
        (
            APPOINTMENTS,
            f"/portal/appointment/?when=upcoming&starts_at__date__lte={last_day:%Y-%m-%d}"
            "&is_cancelled__exact=0",
        ),
        (OVERDUE, "/portal/invoice/?status=overdue"),
        (ACTIVE, "/portal/employee/?active=active"),
    ):
        shown = figure(response, testid)
        assert shown["href"] == expected_link
        listed = client.get(shown["href"])
        assert listed.status_code == 200, testid
        assert listed.context["cl"].result_count == shown["value"], testid


def test_the_never_booked_figure_opens_the_coverage_report_for_24_months(info_world, login):
    client = login(info_world.cast.testweb)
    shown = figure(client.get("/"), WITHOUT_HEALTH_CHECK)

    assert shown["href"].startswith("/rapporter/?from_month=")
    assert shown["href"].endswith("#helsekontroll")
    report = client.get(shown["href"])
    assert report.status_code == 200
    period = report.context["period"]
    assert len(period.months) == 25  # 24 months back, and this one
    assert period.last == Period.default(timezone.localdate()).last


def test_orders_awaiting_approval_are_listed_with_the_confirm_button(info_world, login):
    response = login(info_world.cast.testweb).get("/")

    awaiting = info_world.tb.orders[OrderStatus.AWAITING_CUSTOMER]
    page = response.content.decode()
    for order in awaiting:
        assert f'href="/portal/order/{order.pk}/change/"' in page
    assert page.count('data-testid="awaiting-order"') == 4  # three made, one from the demo
    assert "Bekreft bestilling" in text(response)
    for order in info_world.ek.orders[OrderStatus.AWAITING_CUSTOMER]:
        assert f"/portal/order/{order.pk}/change/" not in page


def test_the_account_manager_is_shown_with_name_e_mail_and_phone(info_world, login):
    response = login(info_world.cast.testweb).get("/")

    page = response.content.decode()
    assert "Kari Kundeansvarlig" in text(response)
    assert 'href="mailto:kam@example.no"' in page
    assert 'href="tel:+4723456789"' in page
    assert "234 56 789" in page


@pytest.mark.parametrize(
    ("member", "shown", "hidden"),
    [
        ("orderer", [AWAITING, APPOINTMENTS], [OVERDUE, ACTIVE, WITHOUT_HEALTH_CHECK]),
        ("hr", [APPOINTMENTS, ACTIVE, WITHOUT_HEALTH_CHECK], [AWAITING, OVERDUE]),
        ("finance", [APPOINTMENTS, OVERDUE], [AWAITING, ACTIVE, WITHOUT_HEALTH_CHECK]),
    ],
)
def test_each_block_shows_only_with_its_capability(member, shown, hidden, info_world, login):
    response = login(getattr(info_world.cast, member)).get("/")

    for testid in shown:
        assert figure(response, testid) is not None, testid
    for testid in hidden:
        assert figure(response, testid) is None, testid


def test_a_department_user_counts_only_their_department(info_world, login):
    """Bergen TEST's administrator: the figures of Bergen TEST alone."""
    bergen = info_world.cast.tb_bergen
    response = login(info_world.cast.bergen).get("/")

    assert figure(response, AWAITING)["value"] == orders_with_status(
        info_world.tb.customer, OrderStatus.AWAITING_CUSTOMER, departments=[bergen]
    )
    assert (
        figure(response, ACTIVE)["value"]
        == sum(1 for e in info_world.tb.employees if e.department == bergen) + 2
    )  # Anton and Skrue, from the demo


SURVEILLANCE = "figure-surveillance-overdue"


@pytest.mark.parametrize("side", ["tb", "ek"])
def test_the_overdue_surveillance_figure_counts_employees_and_opens_them(side, info_world, login):
    """Two employees of each customer are overdue (one of them for two exposures: counted
    once; a deactivated one is not); the figure links to the due list showing just them."""
    rows = getattr(info_world, side)
    client = login(info_world.cast.testweb if side == "tb" else info_world.cast.annen)

    shown = figure(client.get("/"), SURVEILLANCE)

    assert shown["value"] == 2
    assert "ansatte har forfalt helseovervåking" in shown["text"]
    listed = text(client.get(shown["href"]))
    for employee in rows.employees:
        assert (employee in rows.overdue_for_surveillance) == (employee.full_name in listed)


@time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC), tick=False)
def test_one_overdue_employee_is_said_in_the_singular(cast, login):
    """«1 ansatt har forfalt helseovervåking», not «1 ansatte …»."""
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=cast.product_group, first_check_months=6,
        interval_months=36,
    )  # fmt: skip
    Exposure.objects.create(
        employee=cast.donald,
        exposure_type=noise,
        starts_on=datetime.date(2024, 1, 1),
    )

    shown = figure(login(cast.testweb).get("/"), SURVEILLANCE)

    assert shown["value"] == 1
    assert shown["text"] == "1 ansatt har forfalt helseovervåking"
