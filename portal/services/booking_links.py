"""The personal link in a booking mail: the employee's page for that one booking, without an
account.

The token is the booking's id signed with the site's secret key and a salt of its own
(`django.core.signing`): it cannot be guessed, and it cannot be turned into another booking's
link, since the signature covers the id. It is valid until the appointment has ended (checked
against the appointment at each request, so a booking moved to a later time keeps its link),
and a cancelled booking's link only says that the booking is cancelled. Holding the link gives
nothing but that page: the time, the place and the three answers.

Here only is a token read; the views ask `booking_from_link` and act through the services
with `EMPLOYEE_VIA_LINK` as the actor (the audit trail shows «Ansatt via lenke»).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from audit.models import AuditActor
from portal.links import absolute_url
from portal.models import Booking

SALT = "portal.booking-page"


class EmployeeViaLink:
    """The actor when the employee acts from their link: no user, never staff, no grants."""

    pk = None
    is_authenticated = False
    is_active = False
    is_staff = False
    is_superuser = False
    audit_actor_label = AuditActor.EMPLOYEE_LINK.value

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def __str__(self) -> str:
        return str(AuditActor.EMPLOYEE_LINK.label)


EMPLOYEE_VIA_LINK = EmployeeViaLink()


class LinkState(StrEnum):
    VALID = "valid"
    CANCELLED = "cancelled"  # revoked: the page says only that
    EXPIRED = "expired"  # the appointment has ended
    INVALID = "invalid"  # tampered, truncated, or the booking is gone


@dataclass
class BookingLink:
    state: LinkState
    booking: Booking | None = None

    @property
    def is_valid(self) -> bool:
        return self.state == LinkState.VALID


def booking_link_token(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk}, salt=SALT)


def booking_link_path(booking: Booking) -> str:
    return reverse("booking_page", args=[booking_link_token(booking)])


def booking_link_make(booking: Booking) -> str:
    """The absolute link for the booking's mail."""
    return absolute_url(booking_link_path(booking))


def booking_from_link(token: str, now=None) -> BookingLink:
    """What a token opens: the booking and whether it may still be acted on."""
    try:
        payload = signing.loads(token, salt=SALT)
        pk = int(payload["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return BookingLink(LinkState.INVALID)
    # With its health declaration's status (never its answers): the page offers the form.
    booking = (
        Booking.objects.select_related(
            "appointment__order__product_group", "employee", "booked_by", "health_declaration"
        )
        .defer("health_declaration__answers_encrypted")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        return BookingLink(LinkState.INVALID)
    if not booking.holds_a_seat:
        return BookingLink(LinkState.CANCELLED, booking)
    if booking.appointment.ends_at <= (now or timezone.now()):
        return BookingLink(LinkState.EXPIRED, booking)
    return BookingLink(LinkState.VALID, booking)


def _counted(key: str, limit: int) -> bool:
    """Count one request under `key` in the current window; True while within `limit`."""
    window = settings.PORTAL_BOOKING_PAGE_WINDOW
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def booking_link_allowed(token: str, ip_address: str | None) -> bool:
    """Rate limit of the employee's page: per link and per client address, counted in the
    cache (shared by the app servers in production, Redis). Both are counted every time."""
    digest = salted_hmac(SALT, token, algorithm="sha256").hexdigest()[:32]
    by_link = _counted(f"booking-page:link:{digest}", settings.PORTAL_BOOKING_PAGE_PER_LINK)
    by_address = (
        _counted(f"booking-page:ip:{ip_address}", settings.PORTAL_BOOKING_PAGE_PER_ADDRESS)
        if ip_address
        else True
    )
    return by_link and by_address
