"""The demo's living part (`portal.demo_enrich`): on any day, every feature has something to
show, and loading again brings the same world back."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from health.models import AnswerStatus, Questionnaire, QuestionnaireAnswer
from health.services import declaration_read
from permissions.models import Grant
from portal.demo_enrich import BERGEN_ORDER, HR_BERGEN, demo_enrich
from portal.models import (
    Contract,
    Department,
    Employee,
    Invoice,
    InvoiceLine,
    Notification,
    Order,
)
from portal.models.appointments import Appointment, Attendance, Booking
from portal.models.invoices import InvoiceStatus
from portal.models.messages import OrderMessage
from portal.validators import kid_mod10_check_digit, validate_kid

OSLO = ZoneInfo("Europe/Oslo")

# New Year's Day, a leap day, a Saturday night, a Sunday, New Year's Eve late, Maundy Thursday.
MOMENTS = [
    datetime.datetime(2027, 1, 1, 0, 30, tzinfo=OSLO),
    datetime.datetime(2028, 2, 29, 10, 0, tzinfo=OSLO),
    datetime.datetime(2026, 12, 5, 23, 30, tzinfo=OSLO),
    datetime.datetime(2026, 12, 6, 12, 0, tzinfo=OSLO),
    datetime.datetime(2026, 12, 31, 23, 50, tzinfo=OSLO),
    datetime.datetime(2027, 3, 25, 15, 0, tzinfo=OSLO),
]
IDS = [f"{m:%Y-%m-%d-%H%M}" for m in MOMENTS]


@pytest.fixture(params=MOMENTS, ids=IDS)
def enriched(request, demo):
    """The demo world with its living part, loaded (and looked at) at one of the moments."""
    with time_machine.travel(request.param, tick=False):
        demo_enrich()
        yield request.param


def _testbedriften_appointments():
    return Appointment.objects.filter(department__customer__name="Testbedriften AS").with_seats()


def test_every_invoice_status_is_there(enriched):
    invoices = Invoice.objects.filter(payer__customer__name="Testbedriften AS")

    statuses = {invoice.status for invoice in invoices}

    assert statuses == set(InvoiceStatus)


def test_the_new_invoices_are_of_this_year_with_lines_linked_to_orders(enriched):
    today = timezone.localdate()
    new = Invoice.objects.filter(number__contains="-1201")

    assert new.count() == 5
    assert not InvoiceLine.objects.filter(invoice__in=new, order__isnull=True).exists()
    for invoice in new:
        assert invoice.order is not None
        assert sum(line.amount for line in invoice.lines.all()) == invoice.total
        assert invoice.number.startswith(f"{invoice.invoice_date.year}-")
    # Overdue today means due yesterday at the latest: on 1 January, of last year.
    last_year = [i.status for i in new if i.invoice_date.year != today.year]
    assert last_year == ([InvoiceStatus.OVERDUE] if (today.month, today.day) == (1, 1) else [])


def test_every_demo_invoice_has_a_valid_kid(enriched):
    """The seed's invoices and the living part's: a customer could pay each one from the PDF."""
    kids = list(Invoice.objects.values_list("kid", flat=True))

    assert len(kids) >= 12
    for kid in kids:
        assert kid
        validate_kid(kid)
        assert kid_mod10_check_digit(kid[:-1]) == kid[-1]


def test_upcoming_appointments_free_full_and_closed(enriched):
    now = timezone.now()
    upcoming = [a for a in _testbedriften_appointments() if a.starts_at > now]

    open_with_seats = [a for a in upcoming if a.is_open_for_customers() and a.free_seats() > 0]
    full = [a for a in upcoming if a.is_open_for_customers() and a.free_seats() == 0]
    closed = [a for a in upcoming if not a.is_open_for_customers()]
    assert len(open_with_seats) >= 2
    assert len(full) == 1
    assert len(closed) == 1
    assert all(a.starts_at.astimezone(OSLO).weekday() < 5 for a in upcoming)
    assert not any(
        (a.starts_at.astimezone(OSLO).month, a.starts_at.astimezone(OSLO).day)
        in {(1, 1), (12, 25), (12, 26)}
        for a in upcoming
    )


def test_past_appointments_have_attendance_both_ways(enriched):
    past = Booking.objects.filter(appointment__ends_at__lt=timezone.now())

    attendance = set(past.values_list("attendance", flat=True))
    assert {Attendance.ATTENDED, Attendance.NO_SHOW} <= attendance
    assert not past.filter(attendance=Attendance.BOOKED).exists()


def test_the_chain_order_appointments_attendance_invoice_lines(enriched):
    for number in (282207, BERGEN_ORDER):
        order = Order.objects.get(number=number)
        assert Booking.objects.filter(
            appointment__order=order, attendance=Attendance.ATTENDED
        ).exists()
        assert InvoiceLine.objects.filter(order=order).exists()


def test_testbedriften_s_agreement_allows_sms_reminders_and_the_other_customer_s_not(enriched):
    allows = dict(Contract.objects.values_list("customer__name", "allows_sms"))

    assert allows == {"Testbedriften AS": True, "Eksempel Industri AS": False}


def test_both_departments_have_more_employees(enriched):
    counts = {
        name: Employee.objects.active().filter(department__name=name).count()
        for name in ("Testbedriften AS", "Bergen TEST")
    }

    assert counts == {"Testbedriften AS": 2 + 4, "Bergen TEST": 2 + 3}


def test_notifications_wait_for_testweb_and_kam(enriched):
    unread = Notification.objects.unread()

    # an order to approve, an invoice, and kam's messages on two orders
    assert unread.filter(recipient__username="testweb").count() == 2 + 2
    # an order from Bergen and a confirmed order (Bergen's question he has answered)
    assert unread.filter(recipient__username="kam").count() == 2
    assert not unread.filter(created_at__gt=timezone.now()).exists()


def test_the_notifications_written_for_the_demo_read_in_norwegian(enriched):
    texts = set(Notification.objects.values_list("recipient__username", "text"))

    assert ("hr.bergen", f"Timeavtaler er lagt inn på bestilling {BERGEN_ORDER}") in texts
    assert any(
        user == "testweb" and text.startswith("Ny faktura ") and text.endswith("-120103")
        for user, text in texts
    )


def test_two_orders_have_threads_whose_last_message_is_unread_by_the_customer(enriched):
    thread = list(
        OrderMessage.objects.filter(order__number=BERGEN_ORDER).values_list(
            "author__username", "from_staff"
        )
    )
    assert thread == [(HR_BERGEN, False), ("kam", True)]
    unread = Notification.objects.unread().filter(text__startswith="Ny melding på bestilling")
    assert sorted(unread.values_list("recipient__username", flat=True)) == [
        HR_BERGEN,
        "testweb",
        "testweb",
    ]
    assert not OrderMessage.objects.filter(created_at__gt=timezone.now()).exists()


def test_hr_bergen_logs_in_as_hr_of_bergen_only(enriched, client):
    assert client.login(username=HR_BERGEN, password="demo")
    grant = Grant.objects.get(user__username=HR_BERGEN)
    assert (grant.customer.name, grant.role) == ("Testbedriften AS", "hr")
    assert list(grant.departments.values_list("name", flat=True)) == ["Bergen TEST"]


def _world():
    return {
        "appointments": sorted(
            Appointment.objects.values_list(
                "order__number", "location", "starts_at", "capacity", "booking_deadline"
            )
        ),
        "bookings": sorted(
            Booking.objects.values_list(
                "appointment__location", "appointment__starts_at", "employee__email", "attendance"
            )
        ),
        "invoices": sorted(
            Invoice.objects.values_list(
                "pk", "number", "invoice_date", "due_date", "total", "outstanding", "order"
            )
        ),
        "lines": sorted(
            InvoiceLine.objects.values_list("invoice__number", "description", "amount", "order")
        ),
        "employees": sorted(Employee.objects.values_list("pk", "email", "is_active")),
        "addresses": sorted(
            Department.objects.values_list("name", "postal_address", "postal_code", "city")
        ),
        "notifications": sorted(
            Notification.objects.values_list("recipient__username", "text", "read_at")
        ),
        "orders": sorted(Order.objects.values_list("pk", "number", "status", "order_date")),
        "messages": sorted(
            OrderMessage.objects.values_list("order__number", "author__username", "text")
        ),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    }


def test_the_seeds_departments_have_postal_addresses(demo):
    """The seed's rows are kept as they are; the living part gives them their addresses."""
    demo_enrich(today=datetime.date(2026, 12, 6))

    addresses = {d.name: d.address_lines for d in Department.objects.all()}

    assert addresses["Testbedriften AS"] == ["Storgata 10", "0155 Oslo"]
    assert addresses["Bergen TEST"] == ["Strandkaien 2", "5013 Bergen"]
    assert all(addresses.values()), addresses
    for department in Department.objects.all():
        department.full_clean()


@pytest.mark.parametrize("moment", MOMENTS[:3], ids=IDS[:3])
def test_loading_again_brings_the_same_world_back(demo, moment):
    with time_machine.travel(moment, tick=False):
        # given the enriched demo, played with: a booking, a notification read, an invoice paid,
        # an address changed
        demo_enrich()
        before = _world()
        free = Appointment.objects.open_for_customers().get(capacity=8, bookings=None)
        Booking.objects.create(appointment=free, employee=Employee.objects.get(first_name="Ingrid"))
        Notification.objects.update(read_at=timezone.now())
        Invoice.objects.filter(number__contains="-1201").update(outstanding=0)
        Department.objects.filter(name="Bergen TEST").update(postal_address="", city="Bergen")

        # when it is loaded again
        demo_enrich()

        # then it is the world of the first load
        assert _world() == before


def test_loaded_a_year_later_the_invoices_are_renumbered_not_doubled(demo):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=OSLO), tick=False):
        demo_enrich()
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=OSLO), tick=False):
        demo_enrich()

        numbers = Invoice.objects.filter(number__contains="-1201").values_list("number", flat=True)

        assert sorted(numbers) == [f"2027-12010{n}" for n in range(1, 6)]


def test_health_personnel_have_a_received_declaration_to_read(enriched):
    # the questionnaire of Helsekontroll (HK), with its follow-up
    questionnaire = Questionnaire.objects.offered().get(name="Egenerklæring helsekontroll")
    assert [g.name for g in questionnaire.product_groups.all()] == ["Helsekontroll (HK)"]
    assert questionnaire.questions.filter(parent__isnull=False).exists()
    # sent with the approved order's upcoming bookings; Dolly's received, the others not yet
    statuses = {
        d.booking.employee.first_name: d.status
        for d in QuestionnaireAnswer.objects.select_related("booking__employee")
    }
    assert statuses.pop("Dolly") == AnswerStatus.SUBMITTED
    assert statuses
    assert set(statuses.values()) == {AnswerStatus.SENT}
    # and helse reads Dolly's answers
    dollys = QuestionnaireAnswer.objects.get(booking__employee__first_name="Dolly")
    helse = get_user_model().objects.get(username="helse")
    read = declaration_read(answer_set=dollys, actor=helse)
    assert "Astma, bruker inhalator." in [item.answer for item in read]
