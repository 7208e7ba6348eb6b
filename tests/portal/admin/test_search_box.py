"""The search box of the appointment and booking lists: a number is an order number, any other
word a place (appointments) or a word of the employee's name (bookings); every word must match."""

import pytest

from portal.filters.fields import MAX_BIGINT
from tests.factories import (
    AppointmentFactory,
    BookingFactory,
    DepartmentFactory,
    EmployeeFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(demo):
    department = DepartmentFactory()
    first = AppointmentFactory(order=OrderFactory(department=department), location="Skien sentrum")
    second = AppointmentFactory(order=OrderFactory(department=department), location="Porsgrunn")
    return {
        "kari": BookingFactory(
            appointment=first,
            employee=EmployeeFactory(department=department, first_name="Kari", last_name="Lund"),
        ),
        "ola": BookingFactory(
            appointment=second,
            employee=EmployeeFactory(department=department, first_name="Ola", last_name="Lund"),
        ),
    }


def found(client, model, term) -> set[int]:
    response = client.get(f"/portal/{model}/", {"q": term})
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_bookings_are_found_by_each_word_of_the_employees_name(bookings, login):
    client = login("kam")
    kari, ola = bookings["kari"].pk, bookings["ola"].pk

    assert found(client, "booking", "lund") == {kari, ola}
    assert found(client, "booking", "Kari Lund") == {kari}
    assert found(client, "booking", "kar") == {kari}
    assert found(client, "booking", "Kari Hansen") == set()


def test_bookings_and_appointments_are_found_by_order_number(bookings, login):
    client = login("kam")
    kari = bookings["kari"]
    number = str(kari.appointment.order.number)

    assert found(client, "booking", number) == {kari.pk}
    assert found(client, "booking", f"Kari {number}") == {kari.pk}
    assert found(client, "booking", f"Ola {number}") == set()
    assert found(client, "appointment", number) == {kari.appointment.pk}


def test_appointments_are_found_by_place(bookings, login):
    client = login("kam")

    assert found(client, "appointment", "skien") == {bookings["kari"].appointment.pk}
    assert found(client, "appointment", "Skien sentrum") == {bookings["kari"].appointment.pk}


def test_a_number_too_large_for_an_order_number_finds_nothing_and_fails_nothing(bookings, login):
    client = login("kam")

    assert found(client, "booking", str(MAX_BIGINT + 1)) == set()
    assert found(client, "appointment", "9" * 40) == set()
