# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""Who gets what on the appointment and booking pages: the buttons on an appointment, the
series, «Book på timeavtaler», over the fixed cast.

The expected answers are written out here, not worked out from the code under test. Every
customer user's page is searched for the other customer's names, numbers and places.
"""

import datetime
import json

import pytest
from django.utils import timezone

from portal import services
from portal.admin.booking_views import SELECTION_KEY
from portal.models import Booking, BookingInvitation, Order
from portal.models.appointments import Attendance
from tests.factories import AppointmentFactory, BookingFactory

from .helpers import (
    CAST,
    CUSTOMER_USERS,
    DENY,
    GONE,
    LOGIN,
    OK,
    assert_matrix,
    hidden_names,
    outcome,
)

TO_EMPLOYEES = "302 → /portal/employee/"
TO_APPOINTMENTS = "302 → /portal/appointment/"
TB_PLACE = "Testbedriften helsestasjon"
BERGEN_PLACE = "Bergen TEST bedriftshelse"
EK_PLACE = "Trondheim Eksempelgata 5"


@pytest.fixture
def rooms(world, cast):
    """Appointments with free seats ten days ahead, each with one booking: on Testbedriften's
    order 290467 (Donald), on a Bergen TEST order (Anton) and on Eksempel Industri's order
    301122 (Ola); and one of 290467 yesterday (Donald), for attendance."""

    def appointment(order, place, days=10, capacity=3):
        starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
        return AppointmentFactory(
            order=order,
            location=place,
            capacity=capacity,
            starts_at=starts,
            booking_deadline=starts - datetime.timedelta(days=1),
        )

    tb_open = appointment(world.approved_order, TB_PLACE)
    bergen_open = appointment(world.bergen_order, BERGEN_PLACE)
    ek_open = appointment(world.ek_order, EK_PLACE, capacity=7)
    tb_past = appointment(world.approved_order, TB_PLACE, days=-1)
    return {
        "tb_open": tb_open,
        "bergen_open": bergen_open,
        "ek_open": ek_open,
        "tb_past": tb_past,
        "donald_booking": BookingFactory(appointment=tb_open, employee=cast.donald),
        "anton_booking": BookingFactory(appointment=bergen_open, employee=cast.anton),
        "ola_booking": BookingFactory(appointment=ek_open, employee=cast.ola),
        "past_booking": BookingFactory(appointment=tb_past, employee=cast.donald),
    }


# fmt: off
#  columns:                                         superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
MATRIX = [
    # The buttons on an appointment's page (a GET shows the dialog; it changes nothing).
    ("/portal/appointment/{tb_open.pk}/book-employee/",      (OK,   OK,    OK,      DENY,   OK,   DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{bergen_open.pk}/book-employee/",  (OK,   OK,    OK,      DENY,   OK,   DENY,   OK,    DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{ek_open.pk}/book-employee/",      (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/999999/book-employee/",            (DENY, DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{tb_open.pk}/bookable-employees/",     (OK,   OK,    OK,      DENY,   OK,   DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{bergen_open.pk}/bookable-employees/", (OK,   OK,    OK,      DENY,   OK,   DENY,   OK,    DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{ek_open.pk}/bookable-employees/",     (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/999999/bookable-employees/",           (DENY, DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{tb_open.pk}/unbook-employee/",    (OK,   OK,    OK,      DENY,   OK,   DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{bergen_open.pk}/unbook-employee/", (OK,  OK,    OK,      DENY,   OK,   DENY,   OK,    DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{ek_open.pk}/unbook-employee/",    (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{tb_past.pk}/unbook-employee/",    (DENY, DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{tb_past.pk}/attendance/",         (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{tb_open.pk}/attendance/",         (DENY, DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{tb_open.pk}/cancel/",             (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{ek_open.pk}/cancel/",             (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{tb_past.pk}/cancel/",             (DENY, DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # The appointment pages of a department: its own user sees them.
    ("/portal/appointment/{bergen_open.pk}/change/",         (OK,   OK,    OK,      OK,     OK,   OK,     OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/{bergen_open.pk}/history/",        (OK,   OK,    OK,      OK,     OK,   OK,     OK,    GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/?when=upcoming",                   (OK,   OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/appointment/?q=helse",                         (OK,   OK,    OK,      OK,     OK,   OK,     OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    # Staff make the series; the customer's KA/KAM may, customer service may not.
    ("/portal/appointment/series/",                          (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # «Book på timeavtaler»: without a selection, back to the employees; without the right, 403.
    ("/portal/appointment/book/",                            (TO_EMPLOYEES, TO_EMPLOYEES, TO_EMPLOYEES, DENY, TO_EMPLOYEES, DENY, TO_EMPLOYEES, TO_EMPLOYEES, LOGIN, LOGIN, LOGIN)),
    # The grid of an order (no selection in these sessions): back to the employees where the
    # user may book on the order, else 403 — the same for an order that does not exist.
    ("/portal/appointment/book/{tb_open.order_id}/",         (TO_EMPLOYEES, TO_EMPLOYEES, TO_EMPLOYEES, DENY, TO_EMPLOYEES, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    ("/portal/appointment/book/{bergen_open.order_id}/",     (TO_EMPLOYEES, TO_EMPLOYEES, TO_EMPLOYEES, DENY, TO_EMPLOYEES, DENY, TO_EMPLOYEES, DENY, LOGIN, LOGIN, LOGIN)),
    ("/portal/appointment/book/{ek_open.order_id}/",         (TO_EMPLOYEES, TO_EMPLOYEES, DENY, DENY, DENY, DENY, DENY, TO_EMPLOYEES, LOGIN, LOGIN, LOGIN)),
    ("/portal/appointment/book/999999/",                     (DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    # Who was invited to choose on an order, and the reminder (a GET shows the list).
    ("/portal/appointment/book/{tb_open.order_id}/invitations/",     (OK, OK, OK, DENY, OK, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    ("/portal/appointment/book/{bergen_open.order_id}/invitations/", (OK, OK, OK, DENY, OK, DENY, OK, DENY, LOGIN, LOGIN, LOGIN)),
    ("/portal/appointment/book/{ek_open.order_id}/invitations/",     (OK, OK, DENY, DENY, DENY, DENY, DENY, OK, LOGIN, LOGIN, LOGIN)),
    ("/portal/appointment/book/999999/invitations/",                 (DENY, DENY, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN, LOGIN, LOGIN)),
    ("/portal/appointment/book/result/",                     (TO_APPOINTMENTS, TO_APPOINTMENTS, TO_APPOINTMENTS, DENY, TO_APPOINTMENTS, DENY, TO_APPOINTMENTS, TO_APPOINTMENTS, LOGIN, LOGIN, LOGIN)),
    # The staff's list of bookings.
    ("/portal/booking/?mail_failed_at__isnull=False",        (OK,   OK,    DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


def hidden_places(member) -> list[str]:
    """The places of the appointments `member` must not see, beside `hidden_names`."""
    if member == "annen":
        return [TB_PLACE, BERGEN_PLACE]
    if member == "bergen":
        return [EK_PLACE, TB_PLACE]
    if member in CUSTOMER_USERS:
        return [EK_PLACE]
    return []


@pytest.mark.parametrize("member", CAST)
def test_permission_matrix_of_the_appointment_pages(member, cast, world, rooms, client):
    """Given the cast, when `member` opens every appointment URL, then each answers as the
    table says and no customer user's page shows another customer's names or places."""
    before = sorted(Booking.objects.values_list("pk", "attendance"))

    assert_matrix(
        client,
        cast,
        member,
        MATRIX,
        world=world,
        fill=rooms,
        hidden=hidden_names(member, cast) + hidden_places(member),
    )
    assert sorted(Booking.objects.values_list("pk", "attendance")) == before  # GETs change nothing


@pytest.mark.parametrize(
    ("member", "own", "others"),
    [("testweb", "tb_open", "ek_open"), ("annen", "ek_open", "tb_open")],
)
def test_a_customer_never_learns_the_other_customers_appointments_or_free_seats(
    member, own, others, cast, world, rooms, client
):
    """Given both customers' appointments, the list, its search, its count and the
    autocomplete hold only the user's own."""
    client.force_login(getattr(cast, member))
    other = rooms[others]

    listed = client.get("/portal/appointment/")
    searched = client.get(f"/portal/appointment/?q={other.order.number}")
    autocomplete = client.get(
        "/autocomplete/?app_label=portal&model_name=booking&field_name=appointment&term="
    )

    assert other.pk not in [a.pk for a in listed.context["cl"].result_list]
    assert rooms[own].pk in [a.pk for a in listed.context["cl"].result_list]
    assert searched.context["cl"].result_count == 0
    assert other.location not in searched.content.decode()
    offered = {int(item["id"]) for item in json.loads(autocomplete.content)["results"]}
    assert other.pk not in offered
    assert rooms[own].pk in offered


def test_another_customers_user_cannot_book_into_or_take_off_from_an_appointment(
    cast, world, rooms, client
):
    """Given annen, when they forge the booking dialogs of Testbedriften's appointment with
    their own employee or Testbedriften's, then 403 and nothing changes."""
    client.force_login(cast.annen)
    tb_open = rooms["tb_open"]
    before = sorted(Booking.objects.values_list("pk", "attendance"))

    answers = [
        client.post(
            f"/portal/appointment/{tb_open.pk}/book-employee/",
            {"employee": employee.pk, "_form_submitted": "on"},
        ).status_code
        for employee in (cast.ola, cast.anton)
    ]
    answers.append(
        client.post(
            f"/portal/appointment/{tb_open.pk}/unbook-employee/",
            {"booking": rooms["donald_booking"].pk, "_form_submitted": "on"},
        ).status_code
    )

    assert answers == [DENY, DENY, DENY]
    assert sorted(Booking.objects.values_list("pk", "attendance")) == before


def test_a_forged_employee_of_another_customer_is_not_a_valid_choice(cast, world, rooms, client):
    """Given testweb's booking dialog, when the employee is forged to Eksempel's Ola, then the
    dialog says the choice is not valid, names nobody of the other customer, books nobody."""
    client.force_login(cast.testweb)
    url = f"/portal/appointment/{rooms['tb_open'].pk}/book-employee/"

    response = client.post(url, {"employee": cast.ola.pk, "_form_submitted": "on"})

    assert response.status_code == 200
    assert "employee" in response.context["form"].errors
    assert "Ola Nordmann" not in response.content.decode()
    assert not rooms["tb_open"].bookings.filter(employee=cast.ola).exists()


@pytest.mark.parametrize("member", ["orderer", "finance"])
def test_a_customer_user_without_book_employees_cannot_book(member, cast, world, rooms, client):
    client.force_login(getattr(cast, member))
    tb_open = rooms["tb_open"]

    response = client.post(
        f"/portal/appointment/{tb_open.pk}/book-employee/",
        {"employee": cast.anton.pk, "_form_submitted": "on"},
    )
    cancel = client.post(
        f"/portal/appointment/{tb_open.pk}/unbook-employee/",
        {"booking": rooms["donald_booking"].pk, "_form_submitted": "on"},
    )

    assert (response.status_code, cancel.status_code) == (DENY, DENY)
    assert tb_open.bookings.holding_seats().count() == 1


# With Donald (Testbedriften AS), Anton (Bergen TEST) and Ola (Eksempel) selected: the rows of
# the grid of each order, or 403.
GRID = {
    #            tb_open                    bergen_open                ek_open
    "superuser": (["Anton", "Donald"], ["Anton", "Donald"], ["Ola"]),
    "kam": (["Anton", "Donald"], ["Anton", "Donald"], ["Ola"]),
    "testweb": (["Anton", "Donald"], ["Anton", "Donald"], DENY),
    "orderer": (DENY, DENY, DENY),
    "hr": (["Anton", "Donald"], ["Anton", "Donald"], DENY),
    "finance": (DENY, DENY, DENY),
    "bergen": (DENY, ["Anton"], DENY),
    "annen": (DENY, DENY, ["Ola"]),
}


@pytest.mark.parametrize("member", GRID)
def test_the_booking_grid_shows_only_the_employees_the_user_may_book(
    member, cast, world, rooms, client
):
    """Given a selection forged to hold employees of both customers and of both departments,
    when `member` opens the grid of each order, then it lists only those they may book on that
    order, or refuses; and posting the grid books nobody else."""
    client.force_login(getattr(cast, member))
    selected = [cast.donald, cast.anton, cast.ola]
    answers = []
    for name in ("tb_open", "bergen_open", "ek_open"):
        session = client.session
        session[SELECTION_KEY] = [e.pk for e in selected]
        session.save()
        response = client.get(f"/portal/appointment/book/{rooms[name].order_id}/")
        if response.status_code != 200:
            answers.append(outcome(response))
            continue
        answers.append(sorted(r["employee"].first_name for r in response.context["rows"]))
        page = response.content.decode()
        for employee in selected:
            if employee.first_name not in answers[-1]:
                assert employee.full_name not in page

    assert tuple(answers) == GRID[member]


def test_another_customers_user_cannot_book_from_the_grid(cast, world, rooms, client):
    client.force_login(cast.annen)
    session = client.session
    session[SELECTION_KEY] = [cast.donald.pk, cast.ola.pk]
    session.save()
    before = sorted(Booking.objects.values_list("pk", flat=True))

    response = client.post(
        f"/portal/appointment/book/{rooms['tb_open'].order_id}/",
        {f"appointment-{e.pk}": rooms["tb_open"].pk for e in (cast.donald, cast.ola)},
    )

    assert response.status_code == DENY
    assert sorted(Booking.objects.values_list("pk", flat=True)) == before


def test_another_customers_user_can_neither_invite_nor_remind(cast, world, rooms, client):
    """Given annen with Testbedriften's employees forged into the selection, when they post
    «La de ansatte velge selv» on Testbedriften's order or its reminder, then 403, no mail."""
    services.bookings_invite(
        order=rooms["tb_open"].order, employees=[cast.dolly], actor=cast.testweb
    )
    client.force_login(cast.annen)
    session = client.session
    session[SELECTION_KEY] = [cast.donald.pk]
    session.save()
    order_id = rooms["tb_open"].order_id

    invite = client.post(f"/portal/appointment/book/{order_id}/", {"invite": "1"})
    remind = client.post(f"/portal/appointment/book/{order_id}/invitations/")

    assert (invite.status_code, remind.status_code) == (DENY, DENY)
    assert list(BookingInvitation.objects.values_list("employee__first_name", "reminded_at")) == [
        ("Dolly", None)
    ]


def test_customers_see_attendance_and_nothing_more_of_a_past_booking(cast, world, rooms, client):
    """Given staff recorded a no-show, the customer's page of the appointment shows it."""
    booking = rooms["past_booking"]
    booking.attendance = Attendance.NO_SHOW
    booking.save(update_fields=["attendance"])
    client.force_login(cast.testweb)

    response = client.get(f"/portal/appointment/{rooms['tb_past'].pk}/change/")

    page = response.content.decode()
    assert booking.get_attendance_display() in page
    assert "Donald Duck" in page
    assert not response.context["has_change_permission"]


def test_the_order_page_of_another_customer_shows_none_of_its_appointments(
    cast, world, rooms, client
):
    client.force_login(cast.annen)

    response = client.get(f"/portal/order/{Order.objects.get(number=290467).pk}/change/")

    assert outcome(response) == GONE
    assert TB_PLACE not in client.get("/").content.decode()
