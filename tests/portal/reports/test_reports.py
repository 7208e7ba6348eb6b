"""Rapporter: every row of every report equals a count made here, row by row, from the rows
the test made; another customer's rows never count; staff see all customers or the one they
pick, and a customer user cannot pick another customer."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from io import BytesIO
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import Department, Employee, Invoice, Order, ProductGroup
from portal.models.appointments import Attendance
from portal.reports import health_checks
from portal.reports.base import NO_VALUE
from tests.factories import (
    CustomerFactory,
    DepartmentFactory,
    EmployeeFactory,
    OrderFactory,
    ProductGroupFactory,
)

from .conftest import PERIOD, in_period, report, xlsx_rows

pytestmark = pytest.mark.usefixtures("norwegian")

MONTHS = [datetime.date(2023, month, 1) for month in range(1, 7)]
START = datetime.datetime(2023, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
END = datetime.datetime(2023, 7, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))


def _url(**params) -> str:
    return "/rapporter/?" + urlencode({**PERIOD, **params})


# -- the independent counts --------------------------------------------------------------------


def expected_orders(customers) -> dict[tuple[datetime.date, str], int]:
    counts: Counter[tuple[datetime.date, str]] = Counter()
    for order in Order.objects.select_related("department", "product_group"):
        if order.department.customer_id in customers and in_period(order.order_date):
            name = order.product_group.name if order.product_group else str(NO_VALUE)
            counts[(order.order_date.replace(day=1), name)] += 1
    return dict(counts)


def expected_invoices(customers, today) -> dict[datetime.date, list]:
    sums: defaultdict[datetime.date, list] = defaultdict(
        lambda: [0, Decimal(0), Decimal(0), Decimal(0)]
    )
    for invoice in Invoice.objects.select_related("payer"):
        if invoice.payer.customer_id not in customers or not in_period(invoice.invoice_date):
            continue
        row = sums[invoice.invoice_date.replace(day=1)]
        row[0] += 1
        row[1] += invoice.total
        row[2] += invoice.outstanding
        if not invoice.is_credit_note and invoice.outstanding > 0 and invoice.due_date < today:
            row[3] += invoice.outstanding
    return {month: sums[month] for month in MONTHS}


def expected_coverage(groups) -> dict[str, list[int]]:
    """{department or customer name: [active, booked, attended, no-show]}; `groups` maps a
    name to a test of whether an employee belongs to it."""
    result = {}
    for name, belongs in groups.items():
        row = [0, 0, 0, 0]
        for employee in Employee.objects.select_related("department"):
            if not belongs(employee) or not employee.is_active:
                continue
            row[0] += 1
            seen = set()
            for booking in employee.bookings.select_related("appointment__order__product_group"):
                appointment = booking.appointment
                group = appointment.order.product_group
                if group is None or not group.is_health_check:
                    continue
                if not START <= appointment.starts_at < END:
                    continue
                seen.add(booking.attendance)
            row[1] += bool(seen - {Attendance.CANCELLED})
            row[2] += Attendance.ATTENDED in seen
            row[3] += Attendance.NO_SHOW in seen
        result[name] = row
    return result


# -- reading the reports -----------------------------------------------------------------------


def shown_orders(result) -> dict[tuple[datetime.date, str], int]:
    groups = result.table.headings[1:-1]
    shown = {}
    for month, *counts, total in result.table.rows:
        assert total == sum(counts)
        for group, count in zip(groups, counts, strict=True):
            if count:
                shown[(month, group)] = count
    return shown


def shown_coverage(result) -> dict[str, list[int]]:
    return {name: [a, b, c, d] for name, a, b, c, d, _share in result.table.rows}


def shown_invoices(result) -> dict[datetime.date, list]:
    return {month: rest for month, *rest in result.table.rows}


# -- orders ------------------------------------------------------------------------------------


def test_orders_per_month_count_only_the_customers_own_orders(report_world, login):
    world = report_world

    response = login(world.cast.testweb).get(_url())

    result = report(response, "bestillinger")
    expected = expected_orders({world.testbedriften.pk})
    assert [row[0] for row in result.table.rows] == MONTHS
    assert shown_orders(result) == expected
    # Five of the seven order dates lie in the period, and one order has no product group.
    assert result.table.total[-1] == sum(expected.values()) == 6
    assert expected[(datetime.date(2023, 2, 1), str(NO_VALUE))] == 1


def test_staff_see_every_customers_orders_or_the_customer_they_pick(report_world, login):
    world = report_world
    client = login(world.cast.kam)
    both = {world.testbedriften.pk, world.eksempel.pk}

    every = report(client.get(_url()), "bestillinger")
    picked = report(client.get(_url(customer=world.eksempel.pk)), "bestillinger")

    assert shown_orders(every) == expected_orders(both)
    assert shown_orders(picked) == expected_orders({world.eksempel.pk})


# -- health checks -----------------------------------------------------------------------------


def test_health_check_coverage_per_department(report_world, login):
    world = report_world
    departments = Department.objects.filter(customer=world.testbedriften)

    response = login(world.cast.testweb).get(_url())

    result = report(response, "helsekontroll")
    expected = expected_coverage(
        {d.name: (lambda e, d=d: e.department_id == d.pk) for d in departments}
    )
    assert shown_coverage(result) == expected
    # Spelled out for one department: of the six "inside" bookers (five people) in the main
    # department… each customer_rows() puts odd-numbered people in the first department.
    assert sum(row[1] for row in expected.values()) == 5  # people 0, 1, 2, 4, 5
    assert sum(row[2] for row in expected.values()) == 3  # 0, 4, 5
    assert sum(row[3] for row in expected.values()) == 2  # 1, 4
    active, booked = result.table.total[1], result.table.total[2]
    assert result.table.total[-1] == pytest.approx(100 * booked / active)


def test_staff_see_coverage_per_customer_or_per_department_of_the_one_they_pick(
    report_world, login
):
    world = report_world
    client = login(world.cast.kam)

    every = report(client.get(_url()), "helsekontroll")
    picked = report(client.get(_url(customer=world.testbedriften.pk)), "helsekontroll")

    assert every.table.headings[0] == "Kunde"
    expected_every = expected_coverage(
        {
            customer.name: (lambda e, c=customer: e.customer_id == c.pk)
            for customer in (world.testbedriften, world.eksempel)
        }
    )
    assert {k: v for k, v in shown_coverage(every).items() if k in expected_every} == (
        expected_every
    )
    assert picked.table.headings[0] == "Bedrift/avdeling"
    assert shown_coverage(picked) == expected_coverage(
        {
            d.name: (lambda e, d=d: e.department_id == d.pk)
            for d in Department.objects.filter(customer=world.testbedriften)
        }
    )


def test_a_department_user_sees_only_their_department(report_world, login):
    world = report_world

    response = login(world.cast.bergen).get(_url())

    result = report(response, "helsekontroll")
    assert list(shown_coverage(result)) == ["Bergen TEST"]
    orders = report(response, "bestillinger")
    bergen = world.cast.tb_bergen
    assert orders.table.total[-1] == sum(
        1
        for order in Order.objects.all()
        if order.department_id == bergen.pk and in_period(order.order_date)
    )


# -- invoices ----------------------------------------------------------------------------------


def test_invoiced_and_outstanding_per_month(report_world, login):
    world = report_world

    response = login(world.cast.testweb).get(_url())

    result = report(response, "fakturaer")
    expected = expected_invoices({world.testbedriften.pk}, timezone.localdate())
    assert shown_invoices(result) == expected
    # January: the invoices of 1 and 17 January (n = 1, 2), the first one unpaid and overdue.
    assert expected[datetime.date(2023, 1, 1)] == [
        2,
        Decimal("1111") + Decimal("1222"),
        Decimal("1111"),
        Decimal("1111"),
    ]
    # February: only the credit note.
    assert expected[datetime.date(2023, 2, 1)] == [1, Decimal("-250"), Decimal("-250"), 0]


def test_staff_see_every_customers_invoices(report_world, login):
    world = report_world

    response = login(world.cast.kam).get(_url())

    assert shown_invoices(report(response, "fakturaer")) == expected_invoices(
        {world.testbedriften.pk, world.eksempel.pk}, timezone.localdate()
    )


# -- scoping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["bestillinger", "helsekontroll", "fakturaer"])
def test_a_customer_user_cannot_pick_another_customer(slug, report_world, login):
    """?customer=<the other customer> is not read for a customer user: the same report as
    without it, their own."""
    world = report_world
    client = login(world.cast.testweb)

    own = report(client.get(_url()), slug)
    forged = client.get(_url(customer=world.eksempel.pk))

    assert "customer" not in forged.context["form"].fields
    assert report(forged, slug).table.rows == own.table.rows
    exported = client.get(_url(customer=world.eksempel.pk, export=slug))
    assert exported.status_code == 200
    assert xlsx_rows(exported) == xlsx_rows(client.get(_url(export=slug)))


@pytest.mark.parametrize(
    ("member", "slugs"),
    [
        ("orderer", ["bestillinger"]),
        ("hr", ["bestillinger", "helsekontroll", "egenerklaeringer", "helseovervaking"]),
        ("finance", ["bestillinger", "fakturaer"]),
        (
            "testweb",
            ["bestillinger", "helsekontroll", "fakturaer", "egenerklaeringer", "helseovervaking"],
        ),
    ],
)
def test_each_report_shows_only_with_its_capability(member, slugs, report_world, login):
    response = login(getattr(report_world.cast, member)).get(_url())

    assert [item["report"].slug for item in response.context["reports"]] == slugs


# -- the export --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["bestillinger", "helsekontroll", "fakturaer"])
def test_the_export_is_the_table_as_shown(slug, report_world, login):
    client = login(report_world.cast.testweb)
    result = report(client.get(_url()), slug)

    response = client.get(_url(export=slug))

    assert response["Content-Disposition"] == (
        f'attachment; filename="rapport-{slug}-2023-01-2023-06.xlsx"'
    )
    rows = xlsx_rows(response)
    assert list(rows[0]) == result.table.headings
    body = rows[1:-1]
    assert len(body) == len(result.table.rows)
    for exported, shown in zip(body, result.table.rows, strict=True):
        for cell, value, column in zip(exported, shown, result.table.columns, strict=True):
            if column.kind == "month":
                assert cell.date() == value
            elif column.kind == "percent":
                assert cell == (None if value is None else pytest.approx(value / 100))
            elif column.kind == "nok":
                assert Decimal(str(cell)) == value
            else:
                assert cell == value
    assert rows[-1][0] == "Total"


@pytest.mark.parametrize("slug", ["bestillinger", "helsekontroll", "fakturaer"])
def test_the_exports_cells_are_formatted_by_their_kind_and_the_total_is_bold(
    slug, report_world, login
):
    client = login(report_world.cast.testweb)
    result = report(client.get(_url()), slug)

    sheet = load_workbook(BytesIO(client.get(_url(export=slug)).content)).active

    rows = list(sheet.iter_rows())
    formats = {"month": "mm.yyyy", "count": "0", "nok": '#,##0.00 "kr"', "percent": "0%"}
    for row in rows[1:]:
        for cell, column in zip(row, result.table.columns, strict=True):
            if cell.value is not None and not isinstance(cell.value, str):
                assert cell.number_format == formats[column.kind], (cell.coordinate, column)
    assert all(cell.font.bold for cell in rows[0] + rows[-1])
    assert not any(cell.font.bold for row in rows[1:-1] for cell in row)


def test_the_export_never_hands_a_spreadsheet_a_formula(report_world, login):
    """A product group or department named like a formula is written as text."""
    world = report_world
    ProductGroupFactory(name='=HYPERLINK("http://example.com","Klikk")')
    OrderFactory(
        department=world.cast.tb_main,
        product_group=ProductGroup.objects.get(name__startswith="=HYPERLINK"),
        order_date=datetime.date(2023, 2, 14),
    )
    DepartmentFactory(customer=world.testbedriften, name="+47 Avdeling")
    client = login(world.cast.testweb)

    orders = xlsx_rows(client.get(_url(export="bestillinger")))
    coverage = xlsx_rows(client.get(_url(export="helsekontroll")))

    assert '\'=HYPERLINK("http://example.com","Klikk")' in orders[0]
    assert "'+47 Avdeling" in [row[0] for row in coverage]
    cells = [cell for rows in (orders, coverage) for row in rows for cell in row]
    assert not any(
        isinstance(cell, str) and cell.startswith(("=", "+", "-", "@")) for cell in cells
    )


def test_staff_with_many_customers_get_a_chart_of_the_largest_and_a_table_of_all(
    report_world, login, monkeypatch
):
    """Two thousand bars make no chart: past a limit the chart shows the customers with the
    most active employees, largest first, and says so; the table keeps every customer."""
    monkeypatch.setattr(health_checks, "CHART_GROUPS", 2)
    world = report_world
    small = CustomerFactory(name="Liten Kunde AS")
    EmployeeFactory(department=DepartmentFactory(customer=small))
    client = login(world.cast.kam)

    result = report(client.get(_url()), "helsekontroll")

    active = {row[0]: row[1] for row in result.table.rows}
    largest = sorted(active, key=lambda name: (-active[name], name))[:2]
    assert len(active) > 2
    assert "Liten Kunde AS" in active
    assert result.chart.labels == largest
    assert result.chart.datasets[0]["data"] == [active[name] for name in largest]
    assert "Diagrammet viser de 2 kundene med flest aktive ansatte; tabellen viser alle." in [
        str(note) for note in result.notes
    ]

    picked = report(client.get(_url(customer=world.testbedriften.pk)), "helsekontroll")
    assert len(picked.chart.labels) == min(2, len(picked.table.rows))


def test_the_page_shows_the_tables_rows_and_the_picked_customer_with_names_escaped(
    report_world, login
):
    # given a customer whose name holds markup, picked by staff
    world = report_world
    odd = CustomerFactory(name="<b>Ærlig & Co</b> AS")
    DepartmentFactory(customer=odd, name="avd. <i>1</i>")
    client = login(world.cast.kam)

    every = client.get(_url()).content.decode()
    picked = client.get(_url(customer=odd.pk)).content.decode()

    # then the table names them as text, first letter up, and the picker marks the choice
    assert "&lt;b&gt;Ærlig &amp; Co&lt;/b&gt; AS</th>" in every
    assert "<b>Ærlig" not in every
    assert f'<option value="{odd.pk}" selected>&lt;b&gt;Ærlig &amp; Co&lt;/b&gt; AS</option>' in (
        picked
    )
    assert '<option value="" selected>Alle kunder</option>' in every
    assert "Avd. &lt;i&gt;1&lt;/i&gt;</th>" in picked
    for html in (every, picked):
        result_rows = html.count('<th scope="row"')
        assert result_rows >= 3  # one per row of each table, besides the totals
