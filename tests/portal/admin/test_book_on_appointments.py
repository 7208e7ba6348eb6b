"""«Book på timeavtaler» from the employee list: choose an order, see who got which time."""

import re

import pytest

from portal.admin.booking_views import SELECTION_KEY


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
    with on_commit():
        response = client.post("/portal/appointment/book/", {"order": hk_order.pk})

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
    make_appointment(capacity=5)
    client = login(cast.hr)
    select(client, [cast.donald, cast.ola])

    page = client.get("/portal/appointment/book/")
    assert [e.full_name for e in page.context["employees"]] == ["Donald Duck"]
    assert "Ola Nordmann" not in text_of(page)
    client.post("/portal/appointment/book/", {"order": hk_order.pk})

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
