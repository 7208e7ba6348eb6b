"""iCalendar (RFC 5545) for a booking: the attachment that puts the appointment in the
employee's calendar, and replaces or removes it when the booking changes.

One VEVENT per booking, with a UID that never changes for that booking and a SEQUENCE that
grows with every change (RFC 5546: a later SEQUENCE replaces the entry; METHOD:CANCEL removes
it). Times are written in UTC, so no VTIMEZONE is needed and no calendar can misread them.
"""

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings

from portal.text import text_clean

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11); control characters other than line breaks
    are not allowed in a TEXT value at all, and are left out."""
    return (
        text_clean(str(text))
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def ics_param(value: str) -> str:
    """A parameter value (e.g. CN=…): quoted when it holds ':', ';' or ','; no DQUOTE inside."""
    value = str(value).replace('"', "'").replace("\r", " ").replace("\n", " ")
    value = text_clean(value, multiline=False)
    return f'"{value}"' if any(c in value for c in ":;,") else value


def ics_fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets (RFC 5545 3.1), never inside a
    UTF-8 character: continuation lines start with one space."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = MAX_LINE_OCTETS if not parts else MAX_LINE_OCTETS - 1  # the leading space
        if size + octets > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def ics_datetime(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_domain() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "kundeportal"


def booking_calendar_uid(booking) -> str:
    """Stable for the life of the booking, so an update or a cancellation replaces the entry."""
    return f"booking-{booking.pk}@{calendar_domain()}"


def booking_ics(
    *,
    booking,
    summary: str,
    description: str,
    method: str = METHOD_REQUEST,
    now: datetime.datetime | None = None,
) -> str:
    """The calendar object for `booking`: a request (new or changed) or a cancellation."""
    appointment, employee = booking.appointment, booking.employee
    organizer_name = settings.PORTAL_PROVIDER_NAME
    organizer_email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "kundeportal@localhost"
    cancelled = method == METHOD_CANCEL
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ics_escape(organizer_name)}//Kundeportal//NO",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{booking_calendar_uid(booking)}",
        f"SEQUENCE:{booking.calendar_sequence}",
        f"DTSTAMP:{ics_datetime(now or datetime.datetime.now(datetime.UTC))}",
        f"DTSTART:{ics_datetime(appointment.starts_at)}",
        f"DTEND:{ics_datetime(appointment.ends_at)}",
        f"SUMMARY:{ics_escape(summary)}",
        f"LOCATION:{ics_escape(appointment.location)}",
        f"DESCRIPTION:{ics_escape(description)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        f"ORGANIZER;CN={ics_param(organizer_name)}:mailto:{organizer_email}",
        f"ATTENDEE;CN={ics_param(employee.full_name)};ROLE=REQ-PARTICIPANT;"
        f"PARTSTAT={'DECLINED' if cancelled else 'ACCEPTED'}:mailto:{employee.email}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(ics_fold(line) + CRLF for line in lines)
