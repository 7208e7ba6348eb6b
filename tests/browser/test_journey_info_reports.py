"""Info and Rapporter: testweb starts the day on Info, follows "venter på din godkjenning" to
the orders waiting for them, opens Rapporter, changes the period and exports a table; kam's
Info shows what waits for the provider."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.models import Customer, Employee, Order, ProductGroup
from portal.models.appointments import Attendance
from portal.selectors.periods import local_midnight, month_start, months_add
from tests.browser.conftest import SCREENSHOTS
from tests.factories import (
    AppointmentFactory,
    BookingFactory,
    EmployeeFactory,
    InvoiceFactory,
    OrderFactory,
)

# The link text once translated; the English source until the catalogue has it.
AWAITING_YOUR_APPROVAL = re.compile(
    r"venter på din godkjenning|awaiting your approval", re.IGNORECASE
)


def _health_check_day(order, day: datetime.date, *, slots: int, booked: list, attendance=None):
    """A morning of 20-minute health checks at Bryggen, with `booked` on the first slots."""
    start = local_midnight(day) + datetime.timedelta(hours=8)
    appointments = [
        AppointmentFactory(
            order=order,
            starts_at=start + datetime.timedelta(minutes=20 * n),
            ends_at=start + datetime.timedelta(minutes=20 * (n + 1)),
            booking_deadline=start - datetime.timedelta(days=2),
            location="Bryggen legekontor",
        )
        for n in range(slots)
    ]
    for appointment, employee in zip(appointments, booked, strict=False):
        BookingFactory(
            appointment=appointment, employee=employee, attendance=attendance or Attendance.BOOKED
        )
    return appointments


def _a_year_of_testbedriften():
    """What a year of Testbedriften looks like: orders, invoices and health checks in each of
    the last twelve months, and a health check day two weeks ahead."""
    testbedriften = Customer.objects.get(name="Testbedriften AS")
    main, bergen = (
        testbedriften.departments.get(name="Testbedriften AS"),
        testbedriften.departments.get(name="Bergen TEST"),
    )
    groups = list(ProductGroup.objects.order_by("name"))
    health_check = ProductGroup.objects.get(is_health_check=True)
    today = timezone.localdate()
    first = months_add(month_start(today), -11)
    for n in range(12):
        month = months_add(first, n)
        for k in range(1 + (n * 7) % 4):
            OrderFactory(
                department=main if k % 2 else bergen,
                product_group=groups[(n + k) % len(groups)],
                order_date=month + datetime.timedelta(days=k * 3),
                status="delivered",
            )
        due = month + datetime.timedelta(days=20)
        total = Decimal(4000 + 750 * (n % 5))
        InvoiceFactory(
            payer=main if n % 2 else bergen,
            invoice_date=month,
            due_date=due,
            total=total,
            outstanding=total if n >= 9 else Decimal(0),
        )
    staff = [
        EmployeeFactory(department=main if n % 3 else bergen, first_name=f"Ansatt{n}")
        for n in range(14)
    ]
    employees = [
        *Employee.objects.filter(
            customer=testbedriften, first_name__in=["Donald", "Dolly", "Anton"]
        ),
        *staff,
    ]
    hc_order = OrderFactory(
        department=main,
        product_group=health_check,
        order_date=months_add(today, -5),
        status="approved",
    )
    _health_check_day(
        hc_order,
        months_add(today, -4),
        slots=8,
        booked=employees[:6],
        attendance=Attendance.ATTENDED,
    )
    _health_check_day(
        hc_order,
        months_add(today, -4) + datetime.timedelta(days=1),
        slots=4,
        booked=employees[6:8],
        attendance=Attendance.NO_SHOW,
    )
    _health_check_day(
        hc_order, today + datetime.timedelta(days=14), slots=12, booked=employees[8:11]
    )
    return hc_order


def test_testweb_starts_on_info_and_reads_the_reports(page, login, screenshot):
    _a_year_of_testbedriften()
    waiting = Order.objects.get(number=306990)  # the seed's order awaiting the customer

    login(page, "testweb")

    figures = page.locator("#figures")
    awaiting = page.get_by_test_id("figure-awaiting-approval")
    expect(awaiting).to_contain_text(AWAITING_YOUR_APPROVAL)
    expect(awaiting.get_by_test_id("figure-value")).to_have_text("1")
    expect(page.get_by_test_id("figure-appointments").get_by_test_id("figure-value")).to_have_text(
        "12"
    )
    expect(figures).to_be_visible()
    account_manager = page.get_by_test_id("account-manager")
    expect(account_manager).to_contain_text("Kari Kundeansvarlig")
    expect(account_manager).to_contain_text("234 56 789")
    expect(page.locator("#order-statuses")).to_contain_text("Venter på kundens godkjenning")
    screenshot(page, "info-testweb")

    # «venter på din godkjenning»: the order list, filtered to what waits for testweb.
    awaiting.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/portal/order/\?status=awaiting_customer$"))
    results = page.locator("#result_list")
    expect(results.get_by_role("link", name=str(waiting.number), exact=True)).to_be_visible()
    expect(results.locator("tbody tr")).to_have_count(1)
    screenshot(page, "info-testweb-awaiting-approval")

    # Rapporter: the last twelve months first.
    page.locator("#nav-sidebar-apps").get_by_role("link", name=re.compile("Rapporter")).click()
    expect(page).to_have_url(re.compile(r"/rapporter/$"))
    for slug in ("bestillinger", "helsekontroll", "fakturaer"):
        section = page.get_by_test_id(f"report-{slug}")
        expect(section.locator("canvas.chart")).to_be_visible()
        expect(section.get_by_test_id("report-table").locator("tbody tr").first).to_be_visible()
    screenshot(page, "reports-testweb")
    for slug, name in (
        ("bestillinger", "reports-orders"),
        ("helsekontroll", "reports-health-checks"),
        ("fakturaer", "reports-invoices"),
    ):
        section = page.get_by_test_id(f"report-{slug}")
        section.scroll_into_view_if_needed()
        section.screenshot(path=str(screenshot_path(name)), animations="disabled")

    # ... then the seed's years: the orders of 2019–2021.
    page.locator("input[name=from_month]").fill("2019-01")
    page.locator("input[name=to_month]").fill("2021-12")
    page.locator("#report-period [type=submit]").click()
    expect(page).to_have_url(re.compile(r"from_month=2019-01&to_month=2021-12"))
    orders = page.get_by_test_id("report-bestillinger")
    table = orders.get_by_test_id("report-table")
    expect(table.locator("tbody tr")).to_have_count(36)
    expect(table.locator("tfoot")).to_contain_text("7")  # the seven seed orders
    screenshot(page, "reports-testweb-2019-2021")

    with page.expect_download() as download_info:
        orders.get_by_test_id("report-export").get_by_role("link").click()
    download = download_info.value
    assert download.suggested_filename == "rapport-bestillinger-2019-01-2021-12.xlsx"
    with open(download.path(), "rb") as file:
        sheet = load_workbook(BytesIO(file.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 36 + 1  # headings, a row per month, the total
    assert rows[-1][-1] == 7
    by_month = {row[0].date() if row[0] else None: row[-1] for row in rows[1:-1]}
    assert by_month[datetime.date(2021, 4, 1)] == 1  # 306990
    assert by_month[datetime.date(2019, 6, 1)] == 1  # 200400


def test_kam_starts_on_info_with_what_waits_for_the_provider(page, login, screenshot):
    hc_order = _a_year_of_testbedriften()
    today = timezone.localdate()
    staff = list(Employee.objects.filter(first_name__startswith="Ansatt")[:4])
    _health_check_day(hc_order, today, slots=6, booked=staff[:2])
    _health_check_day(hc_order, today + datetime.timedelta(days=1), slots=3, booked=staff[2:3])

    login(page, "kam")

    expect(page.get_by_test_id("figure-to-confirm").get_by_test_id("figure-value")).to_have_text(
        "5"
    )
    expect(
        page.get_by_test_id("figure-appointments-today").get_by_test_id("figure-value")
    ).to_have_text("6")
    expect(page.get_by_test_id("appointment-day")).to_have_count(2)
    overdue = page.get_by_test_id("overdue-customer")
    expect(overdue).to_have_count(2)
    expect(overdue.first).to_contain_text("Eksempel Industri AS")  # the larger amount first
    screenshot(page, "info-kam")

    overdue.filter(has_text="Testbedriften AS").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/portal/invoice/\?status=overdue&payer__in="))
    results = page.locator("#result_list")
    expect(results).to_contain_text("2017-118350")
    expect(results).not_to_contain_text("Eksempel")

    # Rapporter: every customer, a line per customer; then Testbedriften alone, per department.
    page.locator("#nav-sidebar-apps").get_by_role("link", name=re.compile("Rapporter")).click()
    coverage = page.get_by_test_id("report-helsekontroll").get_by_test_id("report-table")
    expect(coverage.locator("tbody th")).to_have_text(["Eksempel Industri AS", "Testbedriften AS"])
    page.locator("select[name=customer]").select_option(label="Testbedriften AS")
    page.locator("#report-period [type=submit]").click()
    expect(page).to_have_url(re.compile(r"customer=\d+"))
    expect(coverage.locator("tbody th")).to_have_text(["Bergen TEST", "Testbedriften AS"])
    screenshot(page, "reports-kam-testbedriften")


def screenshot_path(name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
