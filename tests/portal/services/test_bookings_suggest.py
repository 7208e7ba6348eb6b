"""The grid's suggestion: each employee's own place first, then the earliest time, the seats
counted down as they are handed out; and booking exactly what HR chose."""

from portal.services import bookings_book_chosen
from portal.services.bookings import appointment_is_near, bookings_suggest
from tests.factories import BookingFactory


def names(suggestion, cast):
    by_pk = {e.pk: e.first_name for e in (cast.anton, cast.skrue, cast.dolly, cast.donald)}
    return {by_pk[pk]: a for pk, a in suggestion.items()}


def test_the_department_name_places_bergen_test_in_bergen(cast, make_appointment):
    bergen = make_appointment(location="Bergen, Strandkaien 2")
    oslo = make_appointment(location="Oslo sentrum")

    assert appointment_is_near(bergen, cast.tb_bergen)
    assert not appointment_is_near(oslo, cast.tb_bergen)
    # «TEST» and company forms such as «AS» name no place
    assert not appointment_is_near(make_appointment(location="Test AS"), cast.tb_bergen)


def test_the_city_and_postal_code_win_over_the_name_when_filled_in(cast, make_appointment):
    department = cast.tb_bergen
    department.city, department.postal_code = "Stavanger", "4006"

    assert appointment_is_near(make_appointment(location="Stavanger, Kirkegata 3"), department)
    assert appointment_is_near(make_appointment(location="Kirkegata 3, 4006"), department)
    assert not appointment_is_near(make_appointment(location="Bergen"), department)


def test_the_own_place_first_then_the_earliest_and_the_seats_run_out(
    cast, hk_order, make_appointment
):
    # given one Bergen seat at noon and two Oslo seats in the morning
    oslo = make_appointment(at="08:00", location="Oslo", capacity=2)
    bergen = make_appointment(at="12:00", location="Bergen")

    suggestion = bookings_suggest(
        order=hk_order,
        employees=[cast.anton, cast.skrue, cast.dolly, cast.donald],
        actor=cast.hr,
    )

    # then in name order: Anton of Bergen TEST gets Bergen's seat though Oslo is earlier;
    # Dolly and Donald the Oslo seats; Skrue McDuck, last, nothing
    assert names(suggestion, cast) == {
        "Anton": bergen,
        "Dolly": oslo,
        "Donald": oslo,
        "Skrue": None,
    }


def test_an_employee_already_on_the_order_gets_no_suggestion(cast, hk_order, make_appointment):
    appointment = make_appointment(capacity=3)
    BookingFactory(appointment=appointment, employee=cast.anton)

    suggestion = bookings_suggest(order=hk_order, employees=[cast.anton], actor=cast.hr)

    assert suggestion == {cast.anton.pk: None}


def test_an_appointment_of_another_order_is_refused_for_that_employee(
    cast, hk_order, make_order, make_appointment
):
    other = make_appointment(order=make_order("approved"), capacity=3)
    own = make_appointment(at="09:00", capacity=3)

    placements = bookings_book_chosen(
        order=hk_order,
        choices=[(cast.anton, other), (cast.dolly, own), (cast.donald, None)],
        actor=cast.hr,
    )

    assert [(p.employee.first_name, bool(p.booking)) for p in placements] == [
        ("Anton", False),
        ("Dolly", True),
    ]
    assert "290467" in placements[0].reason
    assert not other.bookings.exists()
