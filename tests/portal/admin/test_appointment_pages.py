"""The appointment pages as users see them: the customer's list and the order page, the
dialogs that book and take off, the staff's series, form and booking list."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Appointment, Booking
from portal.models.appointments import Attendance
from tests.factories import AppointmentFactory, BookingFactory, EmployeeFactory
from tests.permissions.helpers import form_data


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def result_pks(response) -> list[int]:
    return [a.pk for a in response.context["cl"].result_list]


# -- the customer's list --------------------------------------------------------------------


def test_the_list_shows_upcoming_first_then_the_past_latest_first(cast, make_appointment, login):
    past_old = make_appointment(in_days=-20)
    soon = make_appointment(in_days=2)
    later = make_appointment(in_days=9)
    past_recent = make_appointment(in_days=-2)

    response = login(cast.testweb).get("/portal/appointment/")

    assert result_pks(response) == [soon.pk, later.pk, past_recent.pk, past_old.pk]


def test_every_page_of_a_long_list_follows_upcoming_first_then_the_past_latest_first(
    cast, make_appointment, login
):
    # given 130 appointments, 40 upcoming and 90 past, some starting at the same time
    made = [make_appointment(in_days=days, at="08:00") for days in range(1, 41)]
    made += [make_appointment(in_days=-days, at="09:00") for days in range(1, 81)]
    made += [make_appointment(in_days=-days, at="09:00") for days in range(1, 11)]
    now = timezone.now()
    upcoming = sorted((a for a in made if a.ends_at >= now), key=lambda a: (a.starts_at, a.pk))
    past = sorted(
        (a for a in made if a.ends_at < now), key=lambda a: (-a.starts_at.timestamp(), a.pk)
    )
    client = login(cast.kam)

    # when staff page through the list
    shown = [
        pk
        for page in (1, 2, 3)
        for pk in result_pks(client.get("/portal/appointment/", {"p": page}))
    ]

    # then upcoming by start, then past, the latest first, each once
    assert shown == [a.pk for a in upcoming + past]


def test_upcoming_alone_are_the_next_first_and_past_alone_the_latest_first(
    cast, make_appointment, login
):
    past_old = make_appointment(in_days=-20)
    soon = make_appointment(in_days=2)
    later = make_appointment(in_days=9)
    past_recent = make_appointment(in_days=-2)
    client = login(cast.testweb)

    upcoming = client.get("/portal/appointment/?when=upcoming")
    past = client.get("/portal/appointment/?when=past")
    past_by_time = client.get("/portal/appointment/?when=past&o=1")

    assert result_pks(upcoming) == [soon.pk, later.pk]
    assert result_pks(past) == [past_recent.pk, past_old.pk]
    assert result_pks(past_by_time) == [past_old.pk, past_recent.pk]  # a sorted column wins


def test_the_list_shows_order_time_place_free_seats_and_who_is_booked(
    cast, make_appointment, login
):
    appointment = make_appointment(capacity=3, location="Bryggen legekontor")
    BookingFactory(appointment=appointment, employee=cast.donald)
    BookingFactory(appointment=appointment, employee=cast.dolly, attendance=Attendance.CANCELLED)

    page = text_of(login(cast.hr).get("/portal/appointment/"))

    assert "290467" in page
    assert appointment.time_range in page
    assert "Bryggen legekontor" in page
    assert "2 / 3" in page  # the cancelled booking frees its seat
    assert "Donald Duck" in page
    assert "Dolly Duck" not in page


def test_another_customers_appointments_and_seats_are_not_in_the_list(
    cast, make_appointment, ek_order, login
):
    ours = make_appointment(location="Bergen")
    make_appointment(order=ek_order, location="Trondheim sentrum", capacity=7)

    response = login(cast.testweb).get("/portal/appointment/")

    assert result_pks(response) == [ours.pk]
    page = text_of(response)
    assert "Trondheim sentrum" not in page
    assert "301122" not in page
    assert "/ 7" not in page


def test_a_department_user_sees_a_colleague_of_another_department_as_a_number(
    cast, bergen_order, make_appointment, login
):
    # given a Bergen TEST appointment with Anton (Bergen) and Donald (Testbedriften AS)
    appointment = make_appointment(order=bergen_order, capacity=3)
    BookingFactory(appointment=appointment, employee=cast.anton)
    BookingFactory(appointment=appointment, employee=cast.donald)

    page = text_of(login(cast.bergen).get("/portal/appointment/"))

    assert "Anton Duck" in page
    assert "Donald Duck" not in page
    assert "1 / 3" in page


def test_the_list_costs_the_same_queries_for_5_and_50_appointments(cast, hk_order, login):
    client = login(cast.testweb)
    start = timezone.now() + datetime.timedelta(days=3)

    def make(count):
        for n in range(count):
            appointment = AppointmentFactory(
                order=hk_order,
                starts_at=start + datetime.timedelta(minutes=30 * n),
                capacity=2,
            )
            BookingFactory(
                appointment=appointment, employee=EmployeeFactory(department=cast.tb_main)
            )

    make(5)
    client.get("/portal/appointment/")
    with CaptureQueriesContext(connection) as five:
        client.get("/portal/appointment/")
    make(45)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get("/portal/appointment/")

    assert len(response.context["cl"].result_list) == 50
    assert len(fifty) == len(five), "\n".join(q["sql"] for q in fifty.captured_queries)
    assert len(fifty) <= 14


# -- the order page ---------------------------------------------------------------------------


def test_the_order_page_lists_the_appointments_with_a_link_free_seats_and_names(
    cast, hk_order, make_appointment, login
):
    appointment = make_appointment(capacity=2)
    BookingFactory(appointment=appointment, employee=cast.donald)
    cancelled = make_appointment(at="10:00", is_cancelled=True)

    page = text_of(login(cast.testweb).get(f"/portal/order/{hk_order.pk}/change/"))

    assert f'href="/portal/appointment/{appointment.pk}/change/"' in page
    assert appointment.time_range in page
    assert "1 / 2" in page
    assert "Donald Duck" in page
    assert cancelled.time_range in page
    assert re.search(r"Cancelled|Avlyst|Avbestilt", page)


# -- the dialogs ----------------------------------------------------------------------------


def test_hr_books_an_employee_from_the_appointments_page_and_sees_the_deadline(
    cast, make_appointment, login, on_commit, mailoutbox
):
    appointment = make_appointment(capacity=2)
    client = login(cast.hr)
    url = f"/portal/appointment/{appointment.pk}/book-employee/"

    dialog = text_of(client.get(url))
    found = client.get(
        f"/portal/appointment/{appointment.pk}/bookable-employees/", {"term": "donald"}
    ).json()["results"]
    deadline = timezone.localtime(appointment.booking_deadline).strftime("%d.%m.%Y %H:%M")
    assert deadline in dialog
    assert found == [
        {"id": str(cast.donald.pk), "text": f"Donald Duck – {cast.donald.department.name}"}
    ]

    with on_commit():
        response = client.post(url, {"employee": cast.donald.pk, "_form_submitted": "on"})

    assert response.status_code == 302
    assert appointment.bookings.get().employee == cast.donald
    # Donald is told, and HR gets a summary (tests/portal/services/test_booking_summary.py)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.donald.email, cast.hr.email])
    page = text_of(client.get(response["Location"]))
    assert "Donald Duck" in page


def test_hr_takes_an_employee_off_from_the_appointments_page(cast, make_appointment, login):
    appointment = make_appointment(capacity=2)
    booking = BookingFactory(appointment=appointment, employee=cast.donald)
    client = login(cast.hr)

    response = client.post(
        f"/portal/appointment/{appointment.pk}/unbook-employee/",
        {"booking": booking.pk, "_form_submitted": "on"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.attendance == Attendance.CANCELLED


def test_after_the_deadline_the_customer_has_no_buttons_and_staff_still_do(
    cast, make_appointment, login
):
    appointment = make_appointment(in_days=1, closes_hours=48, capacity=2)
    BookingFactory(appointment=appointment, employee=cast.donald)

    for url in ("book-employee", "unbook-employee"):
        full = f"/portal/appointment/{appointment.pk}/{url}/"
        assert login(cast.hr).get(full).status_code == 403
        assert login(cast.kam).get(full).status_code == 200
    page = text_of(login(cast.hr).get(f"/portal/appointment/{appointment.pk}/change/"))
    assert "book-employee" not in page


def test_a_full_appointment_offers_no_booking(cast, make_appointment, login):
    appointment = make_appointment(capacity=1)
    BookingFactory(appointment=appointment, employee=cast.donald)

    response = login(cast.hr).get(f"/portal/appointment/{appointment.pk}/book-employee/")

    assert response.status_code == 403


def test_the_employee_choice_holds_only_the_users_active_employees_not_yet_on_it(
    cast, bergen_order, make_appointment, login
):
    appointment = make_appointment(order=bergen_order, capacity=3)
    BookingFactory(appointment=appointment, employee=cast.anton)
    cast.skrue.is_active = False
    cast.skrue.save(update_fields=["is_active"])
    client = login(cast.bergen)
    url = f"/portal/appointment/{appointment.pk}/book-employee/"

    # Anton is on it, Skrue deactivated, Donald and Dolly of another department
    assert client.get(url).status_code == 403  # nobody left to book

    newcomer = EmployeeFactory(department=cast.tb_bergen, last_name="Duck")
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["form"].fields["employee"].queryset) == [newcomer]


def test_the_appointment_page_fetches_its_appointment_once_for_all_its_buttons(
    cast, make_appointment, login
):
    """Each button asks whether its step is allowed on this appointment: they share one fetch
    of it, besides the page's own."""
    appointment = make_appointment(capacity=2)
    BookingFactory(appointment=appointment, employee=cast.donald)
    client = login(cast.kam)
    client.get(appointment.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        response = client.get(appointment.get_absolute_url())

    buttons = [str(action["title"]) for action in response.context["actions_detail"]]
    assert buttons == ["Book ansatt", "Meld av ansatt", "Avlys timeavtale"]
    fetches = [q["sql"] for q in queries if q["sql"].startswith('SELECT "portal_appointment"."id"')]
    assert len(fetches) == 2, "\n".join(fetches)


def test_staff_record_attendance_from_the_appointments_page(cast, make_appointment, login):
    appointment = make_appointment(in_days=-1)
    booking = BookingFactory(appointment=appointment, employee=cast.donald)

    response = login(cast.customer_service).post(
        f"/portal/appointment/{appointment.pk}/attendance/",
        {"booking": booking.pk, "attendance": "no_show", "_form_submitted": "on"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.attendance == Attendance.NO_SHOW
    page = text_of(login(cast.testweb).get(appointment.get_absolute_url()))
    assert booking.get_attendance_display() in page


def test_kam_cancels_an_appointment(cast, make_appointment, login):
    appointment = make_appointment()
    booking = BookingFactory(appointment=appointment, employee=cast.donald)

    response = login(cast.kam).post(
        f"/portal/appointment/{appointment.pk}/cancel/", {"_form_submitted": "on"}
    )

    assert response.status_code == 302
    appointment.refresh_from_db()
    booking.refresh_from_db()
    assert appointment.is_cancelled
    assert booking.attendance == Attendance.CANCELLED


# -- the staff's pages ----------------------------------------------------------------------


def test_kam_creates_a_series_from_the_form(cast, hk_order, login):
    day = timezone.localdate() + datetime.timedelta(days=14)
    client = login(cast.kam)

    form = client.get(f"/portal/appointment/series/?order={hk_order.pk}")
    assert form.context["form"].initial["order"] == 290467
    response = client.post(
        "/portal/appointment/series/",
        {
            "order": "290467",
            "first_date": day.isoformat(),
            "start": "08:00",
            "end": "15:00",
            "every_minutes": "20",
            "lunch_start": "11:30",
            "lunch_end": "12:00",
            "location": "Bergen",
            "capacity": "1",
            "closes_hours_before": "24",
            "instructions": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/portal/order/{hk_order.pk}/change/"
    assert Appointment.objects.filter(order=hk_order).count() == 19


def test_the_series_form_says_what_is_wrong_on_its_field(cast, login):
    response = login(cast.kam).post(
        "/portal/appointment/series/",
        {
            "order": "999",
            "first_date": "2026-03-29",
            "start": "02:30",
            "end": "05:00",
            "every_minutes": "20",
            "location": "Bergen",
            "capacity": "1",
            "closes_hours_before": "24",
        },
    )

    assert response.status_code == 200
    assert "order" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_kam_moves_an_appointment_in_the_form_and_the_employee_is_told(
    cast, make_appointment, login, on_commit, mailoutbox
):

    appointment = make_appointment(capacity=2)
    BookingFactory(appointment=appointment, employee=cast.donald)
    client = login(cast.kam)
    url = f"/portal/appointment/{appointment.pk}/change/"
    data = form_data(client.get(url))
    for name in ("starts_at", "ends_at", "booking_deadline"):  # split into date and time
        value = timezone.localtime(getattr(appointment, name))
        data[f"{name}_0"], data[f"{name}_1"] = f"{value:%d.%m.%Y}", f"{value:%H:%M:%S}"
    data["location"] = "Oslo, Karl Johans gate 1"

    with on_commit():
        response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment.refresh_from_db()
    assert appointment.location == "Oslo, Karl Johans gate 1"
    assert [m.to for m in mailoutbox] == [["Duck@testikkeibruk.no"]]


def test_the_staff_booking_list_shows_a_failed_mail_and_sends_it_again(
    cast, make_appointment, login, mailoutbox, on_commit
):
    booking = BookingFactory(
        appointment=make_appointment(), employee=cast.donald, mail_failed_at=timezone.now()
    )
    client = login(cast.kam)

    page = text_of(client.get("/portal/booking/?mail_failed_at__isnull=False"))
    assert "Donald Duck" in page

    with on_commit():
        response = client.post(
            "/portal/booking/",
            {"action": "resend_mail", "_selected_action": [booking.pk], "index": "0"},
            follow=True,
        )
    assert "E-posten til Donald Duck er lagt i kø igjen." in text_of(response)

    booking.refresh_from_db()
    assert booking.mail_failed_at is None
    assert len(mailoutbox) == 1


def test_the_staff_booking_search_finds_the_name_in_time_order(cast, make_appointment, login):
    # given Donald booked on three appointments, created out of time order, and Dolly on one
    later, first, middle = (make_appointment(in_days=days) for days in (9, -5, 2))
    bookings = {
        appointment: BookingFactory(appointment=appointment, employee=cast.donald)
        for appointment in (later, first, middle)
    }
    BookingFactory(appointment=middle, employee=cast.dolly)
    client = login(cast.kam)

    # when staff search for him, and then sort the found by time, latest first
    found = client.get("/portal/booking/", {"q": "donald"})
    latest_first = client.get("/portal/booking/", {"q": "donald", "o": "-2"})

    # then his bookings alone, the earliest first; the column's own order when sorted
    assert result_pks(found) == [bookings[a].pk for a in (first, middle, later)]
    assert result_pks(latest_first) == [bookings[a].pk for a in (later, middle, first)]


def test_staff_mark_attendance_on_many_bookings_at_once(cast, make_appointment, login):
    appointment = make_appointment(in_days=-1, capacity=2)
    bookings = [
        BookingFactory(appointment=appointment, employee=e) for e in (cast.donald, cast.dolly)
    ]

    login(cast.kam).post(
        "/portal/booking/",
        {
            "action": "mark_attended",
            "_selected_action": [b.pk for b in bookings],
            "index": "0",
        },
    )

    assert set(Booking.objects.values_list("attendance", flat=True)) == {Attendance.ATTENDED}


@pytest.mark.parametrize("member", ["testweb", "hr"])
def test_customers_see_the_appointment_read_only(cast, make_appointment, login, member):
    appointment = make_appointment()

    response = login(getattr(cast, member)).get(appointment.get_absolute_url())

    assert response.status_code == 200
    assert not response.context["has_change_permission"]


@pytest.mark.parametrize("member", ["testweb", "finance", "kam"])
def test_the_orders_and_the_appointments_are_two_tabs_of_bestilling(cast, login, member):
    client = login(getattr(cast, member))

    for url in ("/portal/order/", "/portal/appointment/"):
        page = client.get(url).content.decode()
        tabs = re.search(r'<nav id="tabs-items".*?</nav>', page, re.S).group(0)
        assert 'href="/portal/order/"' in tabs
        assert 'href="/portal/appointment/"' in tabs


# -- one customer's appointments, for staff -------------------------------------------------


def test_staff_narrow_the_list_to_one_customer(cast, make_appointment, ek_order, login):
    ours = make_appointment()
    theirs = make_appointment(order=ek_order)
    customer = ek_order.department.customer

    response = login(cast.kam).get(f"/portal/appointment/?customer={customer.pk}")

    assert result_pks(response) == [theirs.pk]
    assert customer.name in text_of(response)  # the active filter, to be cleared
    everyone = login(cast.kam).get("/portal/appointment/")
    assert set(result_pks(everyone)) == {ours.pk, theirs.pk}


def test_a_customer_cannot_reach_another_customers_appointments_by_the_filter(
    cast, make_appointment, ek_order, login
):
    ours = make_appointment()
    make_appointment(order=ek_order)
    other = ek_order.department.customer

    response = login(cast.testweb).get(f"/portal/appointment/?customer={other.pk}")

    assert response.status_code == 200
    assert result_pks(response) == [ours.pk]  # the parameter means nothing to them
    assert other.name not in text_of(response)
