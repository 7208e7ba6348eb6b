"""The customer user who books employees gets one summary: who is on which appointment, when
and where; staff booking on the customer's behalf get none."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.services import booking_create, bookings_place

pytestmark = [
    pytest.mark.usefixtures("norwegian"),
    # Monday 4 May 2026, 09:00 in Oslo: the appointments are ten days on, Thursday 14 May.
    pytest.mark.time_machine(
        datetime.datetime(2026, 5, 4, 9, 0, tzinfo=ZoneInfo("Europe/Oslo")), tick=False
    ),
]


def test_hr_booking_two_employees_gets_one_summary_listing_both(
    cast, hk_order, make_appointment, on_commit, mailoutbox
):
    # given two one-seat appointments at Bergen on order 290467
    make_appointment(at="08:00")
    make_appointment(at="08:20", location="Bergen, Kokstadvegen 4")

    # when HR books Dolly and Donald in one go
    with on_commit():
        bookings_place(order=hk_order, employees=[cast.donald, cast.dolly], actor=cast.hr)

    # then each employee gets their own mail, and HR one summary of both
    summaries = [m for m in mailoutbox if m.to == [cast.hr.email]]
    assert len(summaries) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.donald.email, cast.dolly.email, cast.hr.email]
    )
    summary = summaries[0]
    assert summary.subject == "2 ansatte booket på bestilling 290467"
    body = summary.body
    assert "Du har booket 2 ansatte på bestilling 290467 (Helsekontroll (HK) – Avonova):" in body
    assert "torsdag 14.05.2026 kl. 08:00–08:20, Bergen:\n  - Dolly Duck\n" in body
    assert "torsdag 14.05.2026 kl. 08:20–08:40, Bergen, Kokstadvegen 4:\n  - Donald Duck\n" in body
    assert "Hver ansatt får en e-post med tid, sted og en kalenderoppføring." in body
    assert f"/portal/order/{hk_order.pk}/change/" in body
    assert "Ikke booket" not in body
    assert summary.reply_to == ["kam@example.no"]


def test_the_summary_says_who_could_not_be_booked(
    cast, hk_order, make_appointment, on_commit, mailoutbox
):
    make_appointment(at="08:00")

    with on_commit():
        bookings_place(order=hk_order, employees=[cast.donald, cast.dolly], actor=cast.hr)

    [summary] = [m for m in mailoutbox if m.to == [cast.hr.email]]
    assert summary.subject == "1 ansatt booket på bestilling 290467"
    assert "  - Dolly Duck\n" in summary.body
    assert "Ikke booket:\n  - Donald Duck: " in summary.body


def test_staff_booking_for_the_customer_get_no_summary(
    cast, hk_order, make_appointment, on_commit, mailoutbox
):
    make_appointment(at="08:00", capacity=2)

    with on_commit():
        bookings_place(order=hk_order, employees=[cast.donald, cast.dolly], actor=cast.kam)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.donald.email, cast.dolly.email])


def test_nothing_booked_means_no_summary(cast, hk_order, on_commit, mailoutbox):
    with on_commit():
        bookings_place(order=hk_order, employees=[cast.donald], actor=cast.hr)

    assert mailoutbox == []


def test_one_employee_booked_from_the_appointment_gives_a_summary_of_one(
    cast, make_appointment, on_commit, mailoutbox
):
    appointment = make_appointment(at="08:00")

    with on_commit():
        booking_create(
            appointment=appointment, employee=cast.donald, actor=cast.hr, tell_booker=True
        )

    [summary] = [m for m in mailoutbox if m.to == [cast.hr.email]]
    assert "Du har booket 1 ansatt på bestilling 290467" in summary.body
    assert "  - Donald Duck\n" in summary.body


def test_the_appointment_page_books_one_and_tells_the_booker(
    cast, make_appointment, login, on_commit, mailoutbox
):
    appointment = make_appointment(at="08:00")
    client = login(cast.hr)

    with on_commit():
        response = client.post(
            f"/portal/appointment/{appointment.pk}/book-employee/",
            {"employee": str(cast.donald.pk), "_form_submitted": "on"},
        )

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.donald.email, cast.hr.email])
