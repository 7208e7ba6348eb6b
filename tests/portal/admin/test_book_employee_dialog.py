"""«Book employee» on an appointment's page: the employee is found by typing, among those of
the appointment's customer the user may book and who are not on it already — however many
thousands the customer has, the dialog holds none of them until asked."""

import re

import pytest

from portal.admin.appointment_actions import BOOKABLE_PER_PAGE
from portal.models import Employee
from tests.factories import BookingFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def _found(client, appointment, **params) -> list[str]:
    response = client.get(f"/portal/appointment/{appointment.pk}/bookable-employees/", params)
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_dialog_lists_nobody_and_asks_the_appointments_own_list(cast, make_appointment, login):
    appointment = make_appointment(capacity=2)

    dialog = login(cast.hr).get(f"/portal/appointment/{appointment.pk}/book-employee/")

    select = re.search(r'<select name="employee"([^>]*)>(.*?)</select>', dialog.text, re.S)
    assert select, dialog.text
    assert f'data-ajax--url="/portal/appointment/{appointment.pk}/bookable-employees/"' in (
        select.group(1)
    )
    assert re.findall(r'<option value="\d+"', select.group(2)) == []


def test_only_the_customers_employees_not_yet_on_it_are_found(cast, make_appointment, login):
    appointment = make_appointment(capacity=3)
    BookingFactory(appointment=appointment, employee=cast.dolly)
    EmployeeFactory(first_name="Donald", last_name="Annen", department=cast.ek_main)
    Employee.objects.filter(
        pk=EmployeeFactory(first_name="Donald", last_name="Sluttet", department=cast.tb_main).pk
    ).update(is_active=False)
    client = login(cast.hr)

    found = _found(client, appointment, term="duck")

    assert f"Donald Duck – {cast.donald.department.name}" in found
    assert not any("Dolly" in name for name in found)  # on it already
    assert _found(client, appointment, term="donald") == [
        f"Donald Duck – {cast.donald.department.name}"
    ]  # not the other customer's Donald, nor the one who left


def test_a_department_user_finds_only_their_departments_employees(
    cast, make_appointment, bergen_order, login
):
    appointment = make_appointment(order=bergen_order, capacity=5)
    in_bergen = EmployeeFactory(first_name="Berit", department=cast.tb_bergen)
    EmployeeFactory(first_name="Berit", department=cast.tb_main)

    found = _found(login(cast.bergen), appointment, term="berit")

    assert found == [f"{in_bergen.full_name} – Bergen TEST"]


def test_many_found_come_twenty_at_a_time(cast, make_appointment, login):
    appointment = make_appointment(capacity=5)
    for n in range(BOOKABLE_PER_PAGE + 3):
        EmployeeFactory(first_name="Mange", last_name=f"Ansatt{n:02}", department=cast.tb_main)
    client = login(cast.hr)

    first = client.get(
        f"/portal/appointment/{appointment.pk}/bookable-employees/", {"term": "mange"}
    ).json()
    second = client.get(
        f"/portal/appointment/{appointment.pk}/bookable-employees/", {"term": "mange", "page": 2}
    ).json()

    assert len(first["results"]) == BOOKABLE_PER_PAGE
    assert first["pagination"]["more"]
    assert len(second["results"]) == 3
    assert not second["pagination"]["more"]
