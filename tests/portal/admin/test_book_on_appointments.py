"""«Book på timeavtaler» from the employee list: choose an order, choose each employee's
appointment in the grid, confirm, see who got which time."""

import re

import pytest

from portal.admin.booking_views import SELECTION_KEY
from tests.factories import BookingFactory


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def select(client, employees):
    session = client.session
    session[SELECTION_KEY] = [e.pk for e in employees]
    session.save()


def test_hr_books_three_employees_and_the_result_says_who_got_which_time(
    cast, hk_order, make_appointment, login, on_commit, mailoutbox
):
    # given two free one-seat appointments on order 290467, and three employees selected
    first = make_appointment(at="08:00")
    second = make_appointment(at="08:20")
    client = login(cast.hr)
    select(client, [cast.donald, cast.dolly, cast.anton])

    # when HR opens «Book på timeavtaler» and chooses the order
    page = client.get("/portal/appointment/book/")
    assert page.status_code == 200
    choices = [str(c[1]) for c in page.context["form"].fields["order"].choices]
    assert len(choices) == 1
    assert choices[0].startswith("290467 Helsekontroll (HK)")
    assert choices[0].endswith(", 2 ledige plasser")  # free seats
    response = client.post("/portal/appointment/book/", {"order": hk_order.pk})
    assert response["Location"] == f"/portal/appointment/book/{hk_order.pk}/"
    # the grid suggests the two times to the first two in name order; nothing is booked yet
    grid = client.get(response["Location"])
    suggested = {r["employee"].full_name: r["suggested"] for r in grid.context["rows"]}
    assert suggested == {"Anton Duck": first, "Dolly Duck": second, "Donald Duck": None}
    assert not mailoutbox
    with on_commit():
        response = client.post(
            f"/portal/appointment/book/{hk_order.pk}/",
            {
                f"appointment-{cast.anton.pk}": first.pk,
                f"appointment-{cast.dolly.pk}": second.pk,
                f"appointment-{cast.donald.pk}": first.pk,  # full by then
            },
        )

    # then the result page lists who got which time and who got none
    assert response.status_code == 302
    result = client.get(response["Location"])
    rows = {row["employee"].full_name: row for row in result.context["rows"]}
    assert rows["Anton Duck"]["booking"].appointment == first
    assert rows["Dolly Duck"]["booking"].appointment == second
    assert rows["Donald Duck"]["booking"] is None
    page = text_of(result)
    assert first.time_range in page
    assert second.time_range in page
    assert rows["Donald Duck"]["reason"] in page
    # the two booked employees are told, and HR gets one summary
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.anton.email, cast.dolly.email, cast.hr.email]
    )


def test_only_orders_with_free_appointments_the_user_may_book_are_offered(
    cast, make_appointment, ek_order, make_order, login
):
    make_appointment()  # 290467, free
    full = make_order("approved")
    appointment = make_appointment(order=full)
    appointment.bookings.create(employee=cast.donald)
    make_appointment(order=ek_order)  # another customer's
    closed = make_order("approved")
    make_appointment(order=closed, in_days=1, closes_hours=48)  # booking has closed
    client = login(cast.hr)
    select(client, [cast.donald])

    page = client.get("/portal/appointment/book/")

    offered = {order.number for order in page.context["form"].fields["order"].queryset}
    assert offered == {290467}


def test_without_a_selection_the_user_is_sent_to_the_employees(cast, login):
    response = login(cast.hr).get("/portal/appointment/book/")

    assert response["Location"] == "/portal/employee/"


def test_another_customers_employee_in_a_forged_selection_is_ignored(
    cast, hk_order, make_appointment, login
):
    appointment = make_appointment(capacity=5)
    client = login(cast.hr)
    select(client, [cast.donald, cast.ola])

    page = client.get("/portal/appointment/book/")
    assert [e.full_name for e in page.context["employees"]] == ["Donald Duck"]
    assert "Ola Nordmann" not in text_of(page)
    grid = client.get(f"/portal/appointment/book/{hk_order.pk}/")
    assert [r["employee"].full_name for r in grid.context["rows"]] == ["Donald Duck"]
    client.post(
        f"/portal/appointment/book/{hk_order.pk}/",
        {f"appointment-{e.pk}": appointment.pk for e in [cast.donald, cast.ola]},
    )

    assert not cast.ola.bookings.exists()
    assert cast.donald.bookings.count() == 1


def test_an_order_the_user_may_not_book_on_is_not_a_valid_choice(
    cast, ek_order, make_appointment, login
):
    make_appointment(order=ek_order, capacity=5)
    client = login(cast.hr)
    select(client, [cast.donald])

    response = client.post("/portal/appointment/book/", {"order": ek_order.pk})

    assert response.status_code == 200
    assert "order" in response.context["form"].errors
    assert not cast.donald.bookings.exists()


@pytest.mark.parametrize("member", ["orderer", "finance"])
def test_who_may_not_book_gets_no_booking_pages(cast, login, member):
    client = login(getattr(cast, member))

    assert client.get("/portal/appointment/book/").status_code == 403
    assert client.get("/portal/appointment/book/result/").status_code == 403
    assert client.get("/portal/appointment/book/1/").status_code in (403, 404)


def test_the_employee_list_offers_book_on_appointments(cast, hk_order, make_appointment, login):
    """The action on the employee list puts the selection in the session and opens the page."""
    make_appointment(capacity=5)
    client = login(cast.hr)

    response = client.post(
        "/portal/employee/",
        {
            "action": "book_on_appointments",
            "_selected_action": [cast.donald.pk, cast.dolly.pk],
            "index": 0,
        },
    )

    assert response["Location"] == "/portal/appointment/book/"
    page = client.get(response["Location"])
    assert [e.full_name for e in page.context["employees"]] == ["Dolly Duck", "Donald Duck"]


def grid_url(order) -> str:
    return f"/portal/appointment/book/{order.pk}/"


def test_the_grid_suggests_the_own_place_and_books_exactly_what_hr_chose(
    cast, hk_order, make_appointment, login, on_commit, mailoutbox
):
    # given an Oslo appointment early and a Bergen one later, one seat each, plus a late Oslo
    oslo = make_appointment(at="08:00", location="Oslo, Akersgata 1")
    bergen = make_appointment(at="10:00", location="Bergen, Strandkaien 2")
    late = make_appointment(at="12:00", location="Oslo, Akersgata 1")
    client = login(cast.hr)
    select(client, [cast.anton, cast.dolly])

    # when HR opens the grid for the order
    grid = client.get(grid_url(hk_order))

    # then Anton of Bergen TEST is suggested Bergen (his place first in his list), Dolly the
    # earliest time; nothing is booked yet
    rows = {r["employee"].first_name: r for r in grid.context["rows"]}
    assert rows["Anton"]["suggested"] == bergen
    assert rows["Anton"]["near"] == [bergen]
    assert rows["Dolly"]["suggested"] == oslo
    page = text_of(grid)
    assert "Bergen, Strandkaien 2" in page
    assert "Bekreft booking" in page
    assert not cast.anton.bookings.exists()

    # when HR moves Dolly to the late time and confirms
    with on_commit():
        response = client.post(
            grid_url(hk_order),
            {f"appointment-{cast.anton.pk}": bergen.pk, f"appointment-{cast.dolly.pk}": late.pk},
        )

    # then exactly the chosen appointments are booked, and HR gets the summary
    assert response["Location"] == "/portal/appointment/book/result/"
    assert [b.appointment for b in cast.anton.bookings.all()] == [bergen]
    assert [b.appointment for b in cast.dolly.bookings.all()] == [late]
    assert not oslo.bookings.exists()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.anton.email, cast.dolly.email, cast.hr.email]
    )


def test_a_row_full_meanwhile_is_reported_and_the_others_are_booked(
    cast, hk_order, make_appointment, login, on_commit
):
    first = make_appointment(at="08:00")
    second = make_appointment(at="09:00")
    client = login(cast.hr)
    select(client, [cast.anton, cast.dolly, cast.donald])
    client.get(grid_url(hk_order))
    # someone else takes the 08:00 seat while HR looks at the grid
    BookingFactory(appointment=first, employee=cast.skrue)

    with on_commit():
        response = client.post(
            grid_url(hk_order),
            {
                f"appointment-{cast.anton.pk}": first.pk,
                f"appointment-{cast.dolly.pk}": second.pk,
                f"appointment-{cast.donald.pk}": "",  # «Ikke book»
            },
        )

    result = client.get(response["Location"])
    rows = {row["employee"].first_name: row for row in result.context["rows"]}
    assert rows["Anton"]["booking"] is None
    assert "ingen ledige plasser" in rows["Anton"]["reason"]
    assert rows["Anton"]["reason"] in text_of(result)
    assert rows["Dolly"]["booking"].appointment == second
    assert "Donald" not in rows
    assert not cast.anton.bookings.exists()
    assert not cast.donald.bookings.exists()


def test_an_employee_already_on_the_order_is_shown_and_not_booked_twice(
    cast, hk_order, make_appointment, login
):
    first = make_appointment(at="08:00", capacity=3)
    second = make_appointment(at="09:00", capacity=3)
    BookingFactory(appointment=first, employee=cast.dolly)
    client = login(cast.hr)
    select(client, [cast.dolly])

    grid = client.get(grid_url(hk_order))
    assert grid.context["rows"][0]["existing"].appointment == first
    assert grid.context["rows"][0]["suggested"] is None
    client.post(grid_url(hk_order), {f"appointment-{cast.dolly.pk}": second.pk})

    assert [b.appointment for b in cast.dolly.bookings.all()] == [first]


def test_the_grid_of_another_customers_order_is_refused(cast, ek_order, make_appointment, login):
    appointment = make_appointment(order=ek_order, capacity=5)
    client = login(cast.hr)
    select(client, [cast.donald])

    assert client.get(grid_url(ek_order)).status_code == 403
    response = client.post(grid_url(ek_order), {f"appointment-{cast.donald.pk}": appointment.pk})
    assert response.status_code == 403
    assert not cast.donald.bookings.exists()


def test_a_department_limited_hr_user_gets_only_their_departments_employees(
    cast, bergen_order, make_appointment, login
):
    appointment = make_appointment(order=bergen_order, capacity=5)
    client = login(cast.bergen_hr)
    select(client, [cast.anton, cast.donald])

    grid = client.get(grid_url(bergen_order))
    assert [r["employee"].full_name for r in grid.context["rows"]] == ["Anton Duck"]
    assert "Donald" not in text_of(grid)
    client.post(
        grid_url(bergen_order),
        {f"appointment-{e.pk}": appointment.pk for e in [cast.anton, cast.donald]},
    )

    assert cast.anton.bookings.count() == 1
    assert not cast.donald.bookings.exists()
