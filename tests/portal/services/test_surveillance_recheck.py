"""Each exposure's stored last check is what the bookings say, after every write that can move
it: attendance recorded and undone, an order's product group changed, an exposure's start
moved. (An appointment's time can only move into the future, where no one has attended yet.)
The stored next due day follows the last check and the type's months."""

import datetime

import pytest
import time_machine

from portal import services
from portal.models import Exposure, ExposureType, ProductGroup
from portal.models.appointments import Attendance
from portal.selectors.periods import months_add
from portal.services.exposures import exposure_create, exposure_type_save, exposure_update
from portal.services.surveillance import last_attended_check
from tests.factories import AppointmentFactory, BookingFactory, OrderFactory

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)


def stored_is_direct() -> list:
    """Every exposure's (stored, direct) last check and next due day where the two differ."""
    rows = Exposure.objects.annotate(direct=last_attended_check()).select_related("exposure_type")
    stored = [(row.last_check_on, row.next_due_on) for row in rows]
    direct = [(row.direct, _due(row, row.direct)) for row in rows]
    return [pair for pair in zip(stored, direct, strict=True) if pair[0] != pair[1]]


def _due(exposure, last_check) -> datetime.date | None:
    kind = exposure.exposure_type
    if kind.interval_months is None:
        return None
    if last_check is None:
        return months_add(exposure.starts_on, kind.first_check_months)
    return months_add(last_check, kind.interval_months)


def last(exposure) -> datetime.date | None:
    exposure.refresh_from_db()
    return exposure.last_check_on


def due(exposure) -> datetime.date | None:
    exposure.refresh_from_db()
    return exposure.next_due_on


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
    assert due(exposure) == D(2025, 7, 1)  # six months after it began

    services.booking_attendance_set(booking=booking, actor=cast.kam, attendance=Attendance.NO_SHOW)
    assert last(exposure) is None
    services.booking_attendance_set(booking=booking, actor=cast.kam, attendance=Attendance.ATTENDED)
    assert last(exposure) == D(2026, 3, 2)
    assert due(exposure) == D(2029, 3, 2)  # 36 months after the check

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
    assert due(exposure) == D(2026, 7, 1)
    assert stored_is_direct() == []


@time_machine.travel(NOW, tick=False)
def test_a_types_new_months_move_the_due_day_of_its_exposures(cast):
    hearing = ProductGroup.objects.create(name="Hørselskontroll")
    noise = ExposureType.objects.create(
        name="Støy over 80 dB", product_group=hearing, first_check_months=6, interval_months=36
    )
    night = ExposureType.objects.create(
        name="Nattarbeid", product_group=hearing, first_check_months=1, interval_months=None
    )
    exposure = exposure_create(
        actor=cast.testweb, employee=cast.donald, exposure_type=noise, starts_on=D(2025, 8, 31)
    )
    other = exposure_create(
        actor=cast.testweb, employee=cast.anton, exposure_type=night, starts_on=D(2025, 1, 1)
    )
    assert (due(exposure), due(other)) == (D(2026, 2, 28), None)  # no 31 February

    noise.first_check_months = 3
    exposure_type_save(actor=cast.kam, exposure_type=noise, version=noise.version)
    assert due(exposure) == D(2025, 11, 30)
    night.interval_months = 24  # offered only no longer: due a month after it began
    exposure_type_save(actor=cast.kam, exposure_type=night, version=night.version)
    assert due(other) == D(2025, 2, 1)
    assert stored_is_direct() == []
