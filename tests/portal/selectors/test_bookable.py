"""«Still bookable», the one rule the booking service and «Book på timeavtaler» share: not
cancelled, still to start, and for customers before the booking deadline."""

import pytest

from portal.models import Appointment
from portal.selectors.bookings import free_appointments
from portal.services.bookings import bookable_appointments


@pytest.fixture
def appointments(make_appointment):
    return {
        "open": make_appointment(in_days=10),
        "closed": make_appointment(in_days=1, closes_hours=48),  # the deadline has passed
        "started": make_appointment(in_days=0, at="00:00", minutes=24 * 60 - 1),
        "cancelled": make_appointment(in_days=10, at="09:00", is_cancelled=True),
    }


def names(appointments, found) -> set[str]:
    return {name for name, a in appointments.items() if a.pk in {f.pk for f in found}}


@pytest.mark.parametrize(("staff", "expected"), [(False, {"open"}), (True, {"open", "closed"})])
def test_staff_may_book_after_the_deadline_and_customers_may_not(appointments, staff, expected):
    assert names(appointments, Appointment.objects.bookable(staff=staff)) == expected


@pytest.mark.parametrize(("member", "expected"), [("hr", {"open"}), ("kam", {"open", "closed"})])
def test_the_service_and_the_booking_page_offer_the_same_appointments(
    cast, hk_order, appointments, member, expected
):
    user = getattr(cast, member)

    by_service = bookable_appointments(order=hk_order, actor=user)
    on_the_page = free_appointments(user, [cast.testbedriften.pk])

    assert names(appointments, by_service) == names(appointments, on_the_page) == expected
