"""«Book på timeavtaler» as a service: many employees into an order's free appointments, in
time order; who got none, and why."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.services import bookings_place
from tests.factories import BookingFactory


def placed_times(placements):
    return {
        p.employee.first_name: (
            timezone.localtime(p.booking.appointment.starts_at).strftime("%H:%M")
            if p.booking
            else None
        )
        for p in placements
    }


def test_employees_fill_the_earliest_free_appointments_and_the_rest_get_none(
    cast, hk_order, make_appointment, on_commit, mailoutbox
):
    # given two one-seat appointments, the later one made first
    make_appointment(at="08:20")
    make_appointment(at="08:00")

    # when HR books Anton, Dolly and Donald (placed in name order)
    with on_commit():
        placements = bookings_place(
            order=hk_order, employees=[cast.donald, cast.dolly, cast.anton], actor=cast.hr
        )

    # then Anton gets 08:00, Dolly 08:20, and Donald none because the seats ran out
    assert [p.employee.first_name for p in placements] == ["Anton", "Dolly", "Donald"]
    assert placed_times(placements) == {"Anton": "08:00", "Dolly": "08:20", "Donald": None}
    assert placements[2].reason
    # each booked employee is told, and HR gets one summary
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.anton.email, cast.dolly.email, cast.hr.email]
    )


def test_an_appointment_with_room_for_several_is_filled_before_the_next(
    cast, hk_order, make_appointment
):
    make_appointment(at="08:00", minutes=60, capacity=2)
    make_appointment(at="09:00", minutes=60, capacity=2)

    placements = bookings_place(
        order=hk_order, employees=[cast.donald, cast.dolly, cast.anton], actor=cast.hr
    )

    assert placed_times(placements) == {"Anton": "08:00", "Dolly": "08:00", "Donald": "09:00"}


def test_an_employee_already_on_the_order_keeps_the_time(cast, hk_order, make_appointment):
    earlier = make_appointment(at="08:00")
    make_appointment(at="08:20")
    BookingFactory(appointment=earlier, employee=cast.donald)

    placements = bookings_place(order=hk_order, employees=[cast.donald, cast.dolly], actor=cast.hr)

    by_name = {p.employee.first_name: p for p in placements}
    assert by_name["Donald"].already
    assert by_name["Donald"].booking.appointment == earlier
    assert placed_times(placements)["Dolly"] == "08:20"


def test_an_employee_busy_at_the_first_time_gets_the_next(
    cast, hk_order, bergen_order, make_appointment
):
    BookingFactory(
        appointment=make_appointment(order=bergen_order, at="08:00"), employee=cast.donald
    )
    make_appointment(at="08:00")
    make_appointment(at="08:20")

    placements = bookings_place(order=hk_order, employees=[cast.donald], actor=cast.hr)

    assert placed_times(placements) == {"Donald": "08:20"}


def test_a_deactivated_employee_gets_none_and_is_told_why(cast, hk_order, make_appointment):
    make_appointment(at="08:00", capacity=5)
    cast.donald.is_active = False
    cast.donald.save(update_fields=["is_active"])

    placements = bookings_place(order=hk_order, employees=[cast.donald, cast.dolly], actor=cast.hr)

    by_name = {p.employee.first_name: p for p in placements}
    assert by_name["Donald"].booking is None
    assert "Donald Duck" in by_name["Donald"].reason
    assert by_name["Dolly"].booking is not None


def test_appointments_past_their_deadline_are_not_offered_to_customers(
    cast, hk_order, make_appointment
):
    make_appointment(in_days=1, closes_hours=48)

    placements = bookings_place(order=hk_order, employees=[cast.donald], actor=cast.hr)

    assert placements[0].booking is None


@pytest.mark.parametrize("member", ["orderer", "annen"])
def test_a_user_who_may_not_book_on_the_order_is_refused(cast, hk_order, make_appointment, member):
    make_appointment()

    with pytest.raises(PermissionDenied):
        bookings_place(order=hk_order, employees=[cast.donald], actor=getattr(cast, member))
