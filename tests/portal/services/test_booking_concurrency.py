"""The last seats, taken by many at the same moment: never more bookings than seats.

Only PostgreSQL shows it: each thread has its own connection, they meet at a barrier and
book together. SQLite serialises every writer, so there these tests are skipped.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from portal.models import Appointment, Booking, Employee
from portal.services import booking_create, booking_move
from portal.services.booking_links import EMPLOYEE_VIA_LINK
from tests.factories import EmployeeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20
SEATS = 5


def together(work, count) -> list:
    """Run `work(index)` in `count` threads released at once; each outcome or exception."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=20)
            outcomes[index] = work(index)
        except Exception as error:  # every outcome is kept and judged by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a booking hung"
    return outcomes


@pytest.fixture
def twenty_employees(cast):
    return [
        EmployeeFactory(department=cast.tb_main, first_name=f"Ansatt{n:02d}", last_name="Kø")
        for n in range(THREADS)
    ]


def test_20_simultaneous_bookings_on_5_seats_give_5_bookings_and_15_clear_refusals(
    cast, make_appointment, twenty_employees, mailoutbox
):
    # given an appointment with 5 seats and 20 employees
    appointment = make_appointment(capacity=SEATS)
    hr_pk = cast.hr.pk

    # when HR books all 20 at the same moment, each on its own connection
    def book(index):
        actor = get_user_model().objects.get(pk=hr_pk)
        employee = Employee.objects.get(pk=twenty_employees[index].pk)
        return booking_create(
            appointment=Appointment.objects.get(pk=appointment.pk), employee=employee, actor=actor
        )

    outcomes = together(book, THREADS)

    # then exactly 5 are booked, the 15 others are told there is no free seat, nothing else
    booked = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    others = [o for o in outcomes if not isinstance(o, Booking | ValidationError)]
    assert others == []
    assert len(booked) == SEATS
    assert len(refused) == THREADS - SEATS
    assert {error.code for error in refused} == {"full"}
    assert all(appointment.time_range in error.messages[0] for error in refused)
    assert Booking.objects.filter(appointment=appointment).count() == SEATS
    assert len(mailoutbox) == SEATS  # only the booked are told


def test_20_people_pressing_book_on_the_last_seats_get_no_error_page(
    cast, make_appointment, twenty_employees
):
    # given an appointment with 5 seats, and 20 browsers of HR on its page
    appointment = make_appointment(capacity=SEATS)
    url = f"/portal/appointment/{appointment.pk}/book-employee/"
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(cast.hr)
        clients.append(client)

    # when all 20 press «Book» in the dialog at once, each for another employee
    def press(index):
        response = clients[index].post(
            url, {"employee": twenty_employees[index].pk, "_form_submitted": "on"}
        )
        return response.status_code

    outcomes = together(press, THREADS)

    # then every one gets the page back (a redirect with a message), and 5 are booked
    assert outcomes == [302] * THREADS
    assert Booking.objects.filter(appointment=appointment).count() == SEATS


def test_one_employee_booked_on_overlapping_appointments_at_once_gets_one(cast, make_appointment):
    # given ten appointments that all overlap 08:00–08:20, with room on each
    appointments = [make_appointment(at=f"08:{n:02d}", capacity=5) for n in range(10)]
    hr_pk = cast.hr.pk

    def book(index):
        return booking_create(
            appointment=appointments[index],
            employee=Employee.objects.get(pk=cast.donald.pk),
            actor=get_user_model().objects.get(pk=hr_pk),
        )

    outcomes = together(book, len(appointments))

    booked = [o for o in outcomes if isinstance(o, Booking)]
    assert len(booked) == 1, outcomes
    assert all(
        isinstance(o, ValidationError) and o.code == "overlap" for o in outcomes if o not in booked
    )
    assert Booking.objects.filter(employee=cast.donald).count() == 1


def test_20_simultaneous_moves_into_the_last_seat_give_exactly_one(
    cast, make_appointment, twenty_employees
):
    # given 20 employees booked at 08:00, and one seat left at 10:00 at the same place
    source = make_appointment(at="08:00", capacity=THREADS)
    target = make_appointment(at="10:00", capacity=1)
    bookings = [
        booking_create(appointment=source, employee=employee, actor=cast.hr)
        for employee in twenty_employees
    ]

    # when all 20 press «Bytt tid» into 10:00 at the same moment, each from their own link
    def move(index):
        return booking_move(
            booking=Booking.objects.get(pk=bookings[index].pk),
            appointment=Appointment.objects.get(pk=target.pk),
            actor=EMPLOYEE_VIA_LINK,
        )

    outcomes = together(move, THREADS)

    # then exactly one is moved, the 19 others are told it is full and keep their time
    moved = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(moved) == 1, outcomes
    assert len(refused) == THREADS - 1
    assert {error.code for error in refused} == {"full"}
    assert Booking.objects.holding_seats().filter(appointment=target).count() == 1
    assert Booking.objects.holding_seats().filter(appointment=source).count() == THREADS - 1
    assert Booking.objects.filter(calendar_sequence=1).count() == 1
