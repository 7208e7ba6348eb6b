"""A token restricted to one customer reads and writes that customer's rows and nothing else:
another customer's row is answered as one that does not exist, in lists, on its page, in a
filter and as a reference in a write; its names appear in no answer. The same checks as the
permission matrix (tests/permissions/test_matrix.py) makes of the customer's administrator."""

import re

import pytest

from portal.models import Employee, Order

from .conftest import crawl

pytestmark = pytest.mark.django_db

MISSING = 999999


def other_customers_rows(cast, world) -> dict[str, int]:
    return {
        "customers": cast.eksempel.pk,
        "departments": cast.ek_main.pk,
        "contracts": cast.ek_contract.pk,
        "orders": world.ek_order.pk,
        "employees": cast.ola.pk,
        "appointments": world.ek_appointment.pk,
        "bookings": world.ek_booking.pk,
        "invoices": world.ek_invoice.pk,
    }


def other_customers_words(cast) -> list[str]:
    return ["Eksempel", "Trondheim", "Nordmann", cast.eksempel.org_number, "EI-2021"]


def test_its_lists_and_pages_hold_its_own_rows_only(tb_api, cast, world):
    answers = crawl(tb_api)

    for response in answers:
        text = response.content.decode()
        for word in other_customers_words(cast):
            assert word not in text, (response.wsgi_request.get_full_path(), word)
    customers = {
        row["customer"]
        for response in answers
        for row in response.json().get("results", [response.json()])
        if "customer" in row
    }
    assert customers == {cast.testbedriften.pk}


def test_the_staff_token_sees_every_customer(staff_api, cast, world):
    answers = crawl(staff_api, page_size=50)

    text = "".join(response.content.decode() for response in answers)
    assert "Eksempel Industri AS" in text
    assert "Testbedriften AS" in text


@pytest.mark.parametrize(
    "resource",
    [
        "customers",
        "departments",
        "contracts",
        "orders",
        "employees",
        "appointments",
        "bookings",
        "invoices",
    ],
)
def test_another_customers_row_reads_as_one_that_does_not_exist(tb_api, cast, world, resource):
    other = tb_api.get(f"/api/v1/{resource}/{other_customers_rows(cast, world)[resource]}/")
    missing = tb_api.get(f"/api/v1/{resource}/{MISSING}/")

    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    assert "ETag" not in other


@pytest.mark.parametrize(
    ("resource", "query"),
    [
        ("orders", "department={ek_main}"),
        ("employees", "department={ek_main}"),
        ("appointments", "order={ek_order}"),
        ("bookings", "employee={ola}"),
        ("invoices", "payer={ek_main}"),
        ("invoices", "order={ek_order}"),
    ],
)
def test_filtering_by_another_customers_row_finds_nothing(tb_api, cast, world, resource, query):
    ids = {"ek_main": cast.ek_main.pk, "ek_order": world.ek_order.pk, "ola": cast.ola.pk}
    other = tb_api.get(f"/api/v1/{resource}/?{query.format(**ids)}")
    missing = tb_api.get(f"/api/v1/{resource}/?{query.split('=')[0]}={MISSING}")

    assert other.status_code == missing.status_code == 200
    assert other.json()["results"] == missing.json()["results"] == []


def _without_ids(errors: dict) -> dict:
    return {field: [re.sub(r"\d+", "N", m) for m in messages] for field, messages in errors.items()}


def new_employee(department_id) -> dict:
    return {
        "department": department_id,
        "first_name": "Ny",
        "last_name": "Ansatt",
        "email": "ny.ansatt@example.no",
    }


def test_an_employee_in_another_customers_department_is_refused_as_a_missing_one(tb_api, cast):
    other = tb_api.post("/api/v1/employees/", new_employee(cast.ek_main.pk), format="json")
    missing = tb_api.post("/api/v1/employees/", new_employee(MISSING), format="json")

    assert other.status_code == missing.status_code == 400
    assert list(other.json()["errors"]) == ["department"]
    assert _without_ids(other.json()["errors"]) == _without_ids(missing.json()["errors"])
    assert not Employee.objects.filter(email="ny.ansatt@example.no").exists()


def test_its_own_department_takes_the_new_employee(tb_api, cast):
    response = tb_api.post("/api/v1/employees/", new_employee(cast.tb_bergen.pk), format="json")

    assert response.status_code == 201, response.content
    employee = Employee.objects.get(email="ny.ansatt@example.no")
    assert employee.department == cast.tb_bergen
    assert response.json()["id"] == employee.pk


@pytest.mark.parametrize("field", ["department", "contract"])
def test_an_order_referring_to_another_customers_row_is_refused(tb_api, cast, field):
    data = {"department": cast.tb_main.pk, "contract": cast.tb_contract.pk}
    before = Order.objects.count()

    other = tb_api.post(
        "/api/v1/orders/",
        data | {field: getattr(cast, f"ek_{'main' if field == 'department' else 'contract'}").pk},
        format="json",
    )
    missing = tb_api.post("/api/v1/orders/", data | {field: MISSING}, format="json")

    assert other.status_code == missing.status_code == 400
    assert list(other.json()["errors"]) == [field]
    assert _without_ids(other.json()["errors"]) == _without_ids(missing.json()["errors"])
    assert Order.objects.count() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("patch", "/api/v1/employees/{ola}/"),
        ("post", "/api/v1/employees/{ola}/deactivate/"),
        ("post", "/api/v1/employees/{ola}/reactivate/"),
    ],
)
def test_another_customers_employee_cannot_be_changed(tb_api, cast, method, path):
    version = cast.ola.version

    response = getattr(tb_api, method)(
        path.format(ola=cast.ola.pk),
        {"first_name": "Endret"},
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )

    assert response.status_code == 404
    cast.ola.refresh_from_db()
    assert (cast.ola.first_name, cast.ola.is_active, cast.ola.version) == ("Ola", True, version)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/api/v1/orders/{order}/confirm-seller/", {}),
        ("/api/v1/orders/{order}/confirm/", {}),
        ("/api/v1/orders/{order}/delivered/", {}),
        ("/api/v1/orders/{order}/accept-enquiry/", {}),
        ("/api/v1/orders/{order}/state/", {"state": "closed"}),
        ("/api/v1/bookings/{booking}/attendance/", {"attendance": "attended"}),
    ],
)
def test_another_customers_order_and_booking_take_no_step(tb_api, world, path, data):
    order = Order.objects.get(pk=world.ek_order.pk)
    attendance = world.ek_booking.attendance

    response = tb_api.post(
        path.format(order=order.pk, booking=world.ek_booking.pk),
        data,
        format="json",
        HTTP_IF_MATCH=f'"{order.version}"',
    )

    assert response.status_code == 404
    assert Order.objects.values_list("status", "state", "version").get(pk=order.pk) == (
        order.status,
        order.state,
        order.version,
    )
    world.ek_booking.refresh_from_db()
    assert world.ek_booking.attendance == attendance


def test_the_audit_trail_is_closed_to_it(tb_api, cast):
    response = tb_api.get("/api/v1/audit-events/")

    assert response.status_code == 403
    assert "Eksempel" not in response.content.decode()
