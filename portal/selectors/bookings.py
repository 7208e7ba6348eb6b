"""Reads of «Book på timeavtaler»: whether the user may book anyone, and the appointments
still open to them with a free seat. Scoped through `permissions.scoping`."""

from django.db.models import F

from permissions.capabilities import Capability
from permissions.policies import APPOINTMENTS
from permissions.scoping import has_capability_anywhere, is_unscoped
from portal.models import Appointment


def may_book_anywhere(user) -> bool:
    return has_capability_anywhere(user, Capability.BOOK_EMPLOYEES)


def free_appointments(user, customer_ids):
    """Appointments still open to `user` for booking, with a free seat, of these customers."""
    staff = is_unscoped(user, Capability.BOOK_EMPLOYEES)
    queryset = Appointment.objects.bookable(staff=staff).filter(
        department__customer_id__in=customer_ids
    )
    if not staff:
        queryset = APPOINTMENTS.narrow(queryset, user, Capability.VIEW_ORDERS)
        queryset = APPOINTMENTS.narrow(queryset, user, Capability.BOOK_EMPLOYEES)
    return queryset.with_seats().filter(booked_count__lt=F("capacity"))
