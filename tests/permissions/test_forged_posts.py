"""Forged POSTs: a customer user who edits the form by hand gets a form error or a refusal,
and nothing changes in the database."""

from portal.models import Employee, Order
from portal.models.orders import OrderStatus

from .helpers import form_data, staff_form_data


def _order_snapshot():
    return sorted(Order.objects.values_list("number", "department_id", "status", "state"))


def _assert_new_order_refused(client, field, **forged):
    """Given the user's new-order form, when it is posted with `forged` values, then the form
    marks `field` as not valid and no order is placed."""
    data = form_data(client.get("/portal/order/add/"))
    data.update(forged)
    before = _order_snapshot()

    response = client.post("/portal/order/add/", data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert _order_snapshot() == before


def _assert_move_refused(client, employee, department):
    """Given the user's page of `employee`, when their department is forged to `department`,
    then the form refuses it and the employee stays where they were."""
    url = f"/portal/employee/{employee.pk}/change/"
    data = form_data(client.get(url))
    data["department"] = str(department.pk)
    home = employee.department

    response = client.post(url, data)

    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    employee.refresh_from_db()
    assert employee.department == home


def test_an_order_for_another_customers_department_is_refused(world, cast, login):
    """Given testweb's new-order form, when the department is forged to Eksempel Industri's,
    then the form says the choice is not valid and no order is placed."""
    client = login(cast.testweb)

    _assert_new_order_refused(
        client, "department", department=str(cast.ek_main.pk), description="Forfalsket"
    )
    assert not Order.objects.filter(department__customer=cast.eksempel).exclude(
        number__in=[301122, 301188]
    )


def test_an_order_on_another_customers_contract_is_refused(world, cast, login):
    client = login(cast.testweb)

    _assert_new_order_refused(
        client,
        "contract",
        department=str(cast.tb_main.pk),
        contract=str(cast.ek_contract.pk),
        description="X",
    )


def test_an_order_outside_the_users_department_is_refused(world, cast, login):
    """Given the Bergen TEST user, when they forge the department to Testbedriften AS (their own
    customer, not their department), then the form refuses it."""
    client = login(cast.bergen)

    _assert_new_order_refused(
        client, "department", department=str(cast.tb_main.pk), description="Utenfor avdelingen"
    )


def test_an_employee_cannot_be_moved_to_another_customers_department(world, cast, login):
    """Given Donald Duck's page, when testweb forges his department to Eksempel Industri's,
    then the form refuses it and Donald stays where he was."""
    _assert_move_refused(login(cast.testweb), cast.donald, cast.ek_main)

    assert cast.donald.department == cast.tb_main
    assert cast.donald.customer == cast.testbedriften


def test_an_employee_cannot_be_added_to_another_customers_department(world, cast, login):
    client = login(cast.testweb)
    data = form_data(client.get("/portal/employee/add/"))
    data.update(
        first_name="Fetter",
        last_name="Anton",
        email="fetter@testikkeibruk.no",
        department=str(cast.ek_trondheim.pk),
    )
    before = Employee.objects.count()

    response = client.post("/portal/employee/add/", data)

    assert response.status_code == 200
    assert "department" in response.context["adminform"].form.errors
    assert Employee.objects.count() == before


def test_the_department_user_cannot_move_an_employee_out_of_their_department(world, cast, login):
    _assert_move_refused(login(cast.bergen), cast.anton, cast.tb_main)

    assert cast.anton.department == cast.tb_bergen


def _renamed_donald(cast) -> dict:
    """Donald's form, whole and valid, with a new name and e-mail: were the POST let through,
    it would change him."""
    data = staff_form_data(f"/portal/employee/{cast.donald.pk}/change/")
    data.update(first_name="Dolly", email="hacked@example.no")
    return data


def test_a_user_who_may_only_view_employees_cannot_change_one(world, cast, login):
    """Given a user with view_employees only, when they POST Donald's form with a new name,
    then the POST is refused and Donald keeps his name."""
    client = login(cast.viewer)
    url = f"/portal/employee/{cast.donald.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # they may look

    response = client.post(url, _renamed_donald(cast))

    assert response.status_code == 403
    cast.donald.refresh_from_db()
    assert (cast.donald.first_name, cast.donald.email) == ("Donald", "Duck@testikkeibruk.no")


def test_an_orderer_cannot_change_an_employee(world, cast, login):
    client = login(cast.orderer)

    response = client.post(f"/portal/employee/{cast.donald.pk}/change/", _renamed_donald(cast))

    assert response.status_code == 403
    cast.donald.refresh_from_db()
    assert cast.donald.first_name == "Donald"


def test_a_post_to_another_customers_employee_answers_like_a_missing_one(world, cast, login):
    """Given the HR user of Testbedriften, when they POST to Ola Nordmann's change URL, then
    it answers as for an id that does not exist, and Ola is untouched."""
    payload = staff_form_data(f"/portal/employee/{cast.ola.pk}/change/")
    payload.update(first_name="Hacked", email="x@example.no", department=str(cast.tb_main.pk))
    client = login(cast.hr)

    other = client.post(f"/portal/employee/{cast.ola.pk}/change/", payload)
    missing = client.post("/portal/employee/999999/change/", payload)

    assert (other.status_code, other.get("Location")) == (
        missing.status_code,
        missing.get("Location"),
    )
    cast.ola.refresh_from_db()
    assert (cast.ola.first_name, cast.ola.department) == ("Ola", cast.ek_main)


def test_customers_cannot_change_or_delete_an_order_by_posting(world, cast, login):
    client = login(cast.testweb)
    url = f"/portal/order/{world.tb_order.pk}/"
    before = _order_snapshot()

    change = client.post(url + "change/", {"description": "Endret", "state": "closed"})
    delete = client.post(url + "delete/", {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    assert _order_snapshot() == before


def test_a_customer_cannot_confirm_another_customers_order(world, cast, login):
    """Given an Eksempel Industri order awaiting the customer, when testweb posts its confirm
    action, then it is refused like a missing order and the status stays."""
    Order.objects.filter(number=301188).update(status=OrderStatus.AWAITING_CUSTOMER)
    order = Order.objects.get(number=301188)
    client = login(cast.testweb)

    other = client.post(f"/portal/order/{order.pk}/confirm/", {})
    missing = client.post("/portal/order/999999/confirm/", {})

    assert other.status_code == missing.status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_CUSTOMER
    assert not order.events.exists()
