"""Each exposure's stored last check is what the bookings say, after every write that can move
it: attendance recorded and undone, an order's product group changed, an exposure's start
moved. (An appointment's time can only move into the future, where no one has attended yet.)"""

import datetime

import pytest
import time_machine

from portal import services
from portal.models import Exposure, ExposureType, ProductGroup
from portal.models.appointments import Attendance
from portal.services.exposures import exposure_create, exposure_update
from portal.services.surveillance import last_attended_check
from tests.factories import AppointmentFactory, BookingFactory, OrderFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)


def stored_is_direct() -> list:
    """Every exposure's (stored, direct) last check where the two differ."""
    rows = Exposure.objects.annotate(direct=last_attended_check())
    return [(row.last_check_on, row.direct) for row in rows if row.last_check_on != row.direct]


def last(exposure) -> datetime.date | None:
    exposure.refresh_from_db()
    return exposure.last_check_on


@time_machine.travel(NOW, tick=False)
def test_the_stored_last_check_follows_every_write(cast):
    hearing = ProductGroup.objects.create(name="Hørselskontroll")
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=hearing, first_check_months=6, interval_months=36
    )
    exposure = exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=noise, starts_on=D(2025, 1, 1)
    )
    order = OrderFactory(department=cast.tb_main, product_group=hearing)
    held = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    appointment = AppointmentFactory(
        order=order, starts_at=held, ends_at=held + datetime.timedelta(minutes=20),
        booking_deadline=held - datetime.timedelta(days=1), capacity=3,
    )  # fmt: skip
    booking = BookingFactory(appointment=appointment, employee=cast.donald)
    assert last(exposure) is None

    services.booking_attendance_set(booking=booking, actor=cast.kam, attendance=Attendance.NO_SHOW)
    assert last(exposure) is None
    services.booking_attendance_set(booking=booking, actor=cast.kam, attendance=Attendance.ATTENDED)
    assert last(exposure) == D(2026, 3, 2)

    services.order_update(order=order, actor=cast.kam, product_group=cast.product_group)
    assert last(exposure) is None  # a health check, not a hearing check
    services.order_update(
        order=order.__class__.objects.get(pk=order.pk), actor=cast.kam, product_group=hearing
    )
    assert last(exposure) == D(2026, 3, 2)

    exposure_update(actor=cast.testweb, exposure=exposure, starts_on=D(2026, 6, 1))
    assert last(exposure) is None  # the check was before this exposure began
    exposure_update(actor=cast.testweb, exposure=exposure, starts_on=D(2026, 1, 1))
    assert last(exposure) == D(2026, 3, 2)

    services.booking_attendance_set(booking=booking, actor=cast.kam, attendance=Attendance.BOOKED)
    assert last(exposure) is None
    assert stored_is_direct() == []
