"""Reads of «Book på timeavtaler»: whether the user may book anyone, and the appointments
still open to them with a free seat. Scoped through `permissions.scoping`."""

from django.db.models import F

from permissions.capabilities import Capability
from permissions.scoping import has_capability_anywhere, is_unscoped, scope
from portal.models import Appointment
from portal.services.bookings import APPOINTMENT_PATH


def may_book_anywhere(user) -> bool:
    return has_capability_anywhere(user, Capability.BOOK_EMPLOYEES)


def free_appointments(user, customer_ids):
    """Appointments still open to `user` for booking, with a free seat, of these customers."""
    staff = is_unscoped(user, Capability.BOOK_EMPLOYEES)
    queryset = Appointment.objects.bookable(staff=staff).filter(
        department__customer_id__in=customer_ids
    )
    if not staff:
        queryset = scope(queryset, user, Capability.VIEW_ORDERS, path=APPOINTMENT_PATH)
        queryset = scope(queryset, user, Capability.BOOK_EMPLOYEES, path=APPOINTMENT_PATH)
    return queryset.with_seats().filter(booked_count__lt=F("capacity"))
