"""How a list page is put together: its rows found by id first, in the list's order on every
page; the row checkboxes and the column labels as Unfold renders them."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from unfold.admin import checkbox
from unfold.templatetags import unfold_list as unfolds

from portal import unfold_list
from portal.admin.employees import EmployeeAdmin
from portal.admin.invoices import InvoiceAdmin
from portal.admin.orders import OrderAdmin
from portal.models import Appointment, Booking, Employee, Exposure, ExposureType, Order
from portal.models.appointments import Attendance
from portal.models.orders import OrderStatus
from portal.services.surveillance import exposures_recheck
from tests.portal.admin.test_junk_filters import lists_with_filters
from tests.portal.filters.helpers import column

pytestmark = pytest.mark.django_db

WAITING_FOR_STAFF = {OrderStatus.AWAITING_SELLER: 2, OrderStatus.APPROVED: 1}


def listed(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return column(response, "number")


def test_every_page_lists_the_next_rows_in_the_lists_order(demo, login, monkeypatch):
    client = login("testweb")
    monkeypatch.setattr(OrderAdmin, "list_per_page", 3)
    newest_first = [
        str(number)
        for number in Order.objects.filter(department__customer__name="Testbedriften AS")
        .order_by("-order_date", "-number")
        .values_list("number", flat=True)
    ]

    pages = [listed(client, f"/portal/order/?p={page}") for page in (1, 2, 3)]

    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:9]]
    assert listed(client, "/portal/order/?o=1&p=2") == sorted(newest_first)[3:6]


def test_staff_start_from_what_waits_for_them_their_own_customers_first(demo, login):
    client = login("kam")
    kam = client.session["_auth_user_id"]
    orders = Order.objects.select_related("department__customer")
    expected = sorted(
        orders,
        key=lambda order: (
            WAITING_FOR_STAFF.get(order.status, 0),
            str(order.department.customer.account_manager_id) == kam,
            order.order_date,
            order.number,
        ),
        reverse=True,
    )

    assert listed(client, "/portal/order/") == [str(order.number) for order in expected]


def test_a_page_sorts_ids_alone_then_fetches_its_rows_with_their_related_rows(
    demo, login, monkeypatch
):
    client = login("kam")
    monkeypatch.setattr(OrderAdmin, "list_per_page", 3)
    with CaptureQueriesContext(connection) as queries:
        client.get("/portal/order/?o=1")
    order_queries = [q["sql"] for q in queries if 'FROM "portal_order"' in q["sql"]]

    ids_query = next(sql for sql in order_queries if "ORDER BY" in sql and "LIMIT" in sql)
    rows_query = next(sql for sql in order_queries if '"portal_customer"."name"' in sql)
    assert ids_query.startswith('SELECT "portal_order"."id"')
    assert "JOIN" not in ids_query  # the staff's own-customers-first needs no join either
    assert '"portal_order"."id" IN (' in rows_query


@pytest.mark.parametrize("language", ["nb", "en"])
def test_each_rows_checkbox_is_unfolds_with_the_rows_id(demo, login, language):
    client = login("kam")
    with translation.override(language):
        expected = {
            checkbox.render(helpers.ACTION_CHECKBOX_NAME, str(pk))
            for pk in Employee.objects.filter(is_active=True).values_list("pk", flat=True)
        }
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/portal/employee/").content.decode()

    rendered = set(re.findall(r'<input type="checkbox" name="_selected_action"[^>]*>', page))
    assert rendered == expected


def test_every_cell_is_labelled_with_its_columns_header(demo, login, monkeypatch):
    worked_out = []
    original = unfold_list._result_headers
    monkeypatch.setattr(
        unfold_list, "_result_headers", lambda cl: worked_out.append(cl) or original(cl)
    )

    page = login("kam").get("/portal/order/").content.decode()

    headers = {
        name: " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for name, text in re.findall(
            r'<th class="[^"]*\bcolumn-(\w+)[^"]*" scope="col">.*?<div class="text">(.*?)</div>',
            page,
            flags=re.S,
        )
    }
    cells = re.findall(r'<t[hd] class="field-(\w+)[^"]*" data-label="([^"]*)"', page)
    assert len(headers) == 9
    assert len(cells) == 9 * Order.objects.count()
    assert [(label, headers[name]) for name, label in cells if label != headers[name]] == []
    assert len(worked_out) == 1  # once for the list, not once per row


@pytest.fixture
def rows_in_every_list(cast, make_order, frozen_clock):
    """Past and upcoming appointments, each with a booking (attended or booked) and one
    cancelled late whose mail failed, and employees under health surveillance, in both
    departments of Testbedriften AS. The clock stands still: both renderings of a row see the
    same day."""
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=cast.product_group, first_check_months=6,
        interval_months=36,
    )  # fmt: skip
    now = timezone.now()
    for department, employees in ((cast.tb_main, (cast.donald, cast.dolly)), (cast.tb_bergen, ())):
        employees = employees or tuple(Employee.objects.filter(department=department)[:2])
        for employee in employees:
            Exposure.objects.create(
                employee=employee, department=employee.department, exposure_type=noise,
                starts_on=datetime.date(2023, 1, 1),
            )  # fmt: skip
        for days in (-30, 30):
            starts = now + datetime.timedelta(days=days)
            appointment = Appointment.objects.create(
                order=make_order(department=department, status="approved"), starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=20), booking_deadline=starts,
                capacity=4, location="Oslo",
            )  # fmt: skip
            first, second = employees
            Booking.objects.create(
                appointment=appointment, employee=first,
                attendance=Attendance.ATTENDED if days < 0 else Attendance.BOOKED,
            )  # fmt: skip
            Booking.objects.create(
                appointment=appointment, employee=second, attendance=Attendance.CANCELLED,
                cancelled_at=starts - datetime.timedelta(hours=1), mail_failed_at=starts,
            )  # fmt: skip
    exposures_recheck(employee_ids=list(Exposure.objects.values_list("employee_id", flat=True)))


@pytest.mark.parametrize("who", ["testweb", "bergen_hr", "kam"])
def test_every_lists_rows_are_the_cells_unfold_renders(cast, login, who, rows_in_every_list):
    """The portal works out a list's columns once (portal/unfold_list.py); every row of every
    list is the same HTML as Unfold's own, cell by cell: sorted, filtered (the links keep the
    filters), searched, and as a pop-up."""
    user = getattr(cast, who)
    client = login(user)
    compared = set()
    lists = lists_with_filters(user)
    for url, parameters in lists:
        for query in ({}, {"o": "-2.1"}, {"q": "a", parameters[0]: "1"}, {"_popup": "1"}):
            response = client.get(url, query)
            if response.status_code != 200:  # a filter value the list does not know
                continue
            cl = response.context["cl"]
            with translation.override("nb"):
                for row in cl.result_list:
                    ours = list(unfold_list.items_for_result(cl, row, None))
                    assert ours == list(unfold_list._items_for_result(cl, row, None)), url
                    compared.add((url, bool(query)))
    assert unfolds.items_for_result is unfold_list.items_for_result  # the one lists render with
    without_rows = {url for url, _ in lists} - {url for url, _ in compared}
    assert without_rows <= {"/background/outgoingmail/", "/health/questionnaire/"}, without_rows


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model_admin", "path", "column", "index"),
    [
        (EmployeeAdmin, "/portal/employee/", "employer", "department_name_idx"),
        (InvoiceAdmin, "/portal/invoice/", "payer", "department_name_idx"),
        (OrderAdmin, "/portal/order/", "customer", "customer_name_idx"),
    ],
)
def test_staff_lists_sorted_by_a_related_name_walk_that_names_index(
    demo, login, monkeypatch, model_admin, path, column, index
):
    """Sorting half a million rows by the name of their company would otherwise read them all;
    the name index gives the first page's rows in order, company by company."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    monkeypatch.setattr(model_admin, "list_per_page", 3)
    client = login("kam")
    sort_by_column = f"?o={client.get(path).context['cl'].list_display.index(column)}"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path + sort_by_column).status_code == 200
    ids_query = next(
        q["sql"] for q in queries if '"id" AS "pk"' in q["sql"] and "LIMIT" in q["sql"]
    )
    assert '"name" DESC' in ids_query or '"name" ASC' in ids_query, ids_query
    with connection.cursor() as cursor:
        # On the demo's few rows reading everything is cheapest; forbid that to see the plan a
        # large world gets.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {ids_query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


@pytest.mark.parametrize("url", ["/portal/order/", "/portal/invoice/", "/portal/employee/"])
def test_a_customer_sees_no_sort_markers_until_they_sort(demo, login, url):
    client = login("testweb")

    assert not re.search(r'class="sort(options|priority)', client.get(url).text)
    sorted_by_them = client.get(url, {"o": "-1"}).text
    assert re.search(r'class="sortoptions', sorted_by_them)


def test_staff_see_the_sort_markers_of_the_lists_own_order(demo, login):
    page = login("kam").get("/portal/employee/").text

    assert re.search(r'class="sortoptions', page)
