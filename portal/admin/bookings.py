"""Who is on an appointment: the order page's list of appointments with the booked
employees, the appointment page's list of bookings, and the staff's list of bookings
(attendance, late cancellations, e-mails that failed). Names come only through
`permissions.scoping`: an employee of a department the user has no access to takes a seat
but is not named."""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Case, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from health.models import AnswerStatus
from health.selectors import declaration_of, declaration_status_text
from permissions.capabilities import Capability
from permissions.health import may_read_health_answers
from permissions.policies import BOOKINGS
from permissions.scoping import is_unscoped
from portal import services
from portal.admin.actions import run_service
from portal.admin.base import OrderNumberOrTextSearch, PortalModelAdmin, ReadOnlyInline
from portal.formatting import format_date, format_datetime, format_who_when
from portal.models import Appointment, Booking, Employee
from portal.models.appointments import Attendance
from portal.services.booking_links import EMPLOYEE_VIA_LINK
from portal.services.bookings import booking_may_have_attendance_set_by


def seat_holders_prefetch(request) -> Prefetch:
    """The bookings holding a seat, as `seat_holders`: only those whose employee the user may
    see by name (an employee of a department the user has no access to still takes a seat,
    and is counted, not named)."""
    queryset = BOOKINGS.of_own_employees(
        Booking.objects.holding_seats(), request.user, Capability.VIEW_ORDERS
    )
    return Prefetch(
        "bookings",
        queryset=queryset.select_related("employee").order_by(
            "employee__last_name", "employee__first_name", "pk"
        ),
        to_attr="seat_holders",
    )


def booked_names(appointment) -> str:
    """'Dolly Duck, Donald Duck (Attended)' from `seat_holders` and `booked_count`."""
    names = []
    for booking in appointment.seat_holders:
        name = booking.employee.full_name
        if booking.attendance != Attendance.BOOKED:
            name += f" ({booking.get_attendance_display()})"
        elif booking.employee_confirmed_at:
            name += f" ({gettext('Confirmed by the employee')})"
        names.append(name)
    hidden = appointment.seats_taken() - len(appointment.seat_holders)
    if hidden > 0:
        names.append(
            ngettext(
                "%(count)d from another department", "%(count)d from other departments", hidden
            )
            % {"count": hidden}
        )
    return ", ".join(names) or "–"


def seats_text(appointment) -> str:
    """'3 / 6' (free / capacity); 'Fullt (0 / 6)' when every seat is taken."""
    free = appointment.free_seats()
    seats = f"{free} / {appointment.capacity}"
    if free == 0:
        return f"{pgettext('appointment', 'Full')} ({seats})"
    return seats


def free_seats_text(appointment) -> str:
    """The seats as `seats_text` words them; 'Avlyst' for a cancelled appointment."""
    if appointment.is_cancelled:
        return pgettext("appointment", "Cancelled")
    return seats_text(appointment)


def appointment_status_text(appointment, now=None) -> str:
    """Cancelled, taken place, full, open for booking or booking closed: a full appointment
    never reads as open with no seat left."""
    now = now or timezone.now()
    if appointment.is_cancelled:
        return pgettext("appointment", "Cancelled")
    if appointment.ends_at < now:
        return gettext("Taken place")
    if appointment.free_seats() == 0:
        return pgettext("appointment", "Full")
    if appointment.is_open_for_customers(now):
        return gettext("Open for booking")
    return gettext("Booking closed")


class AppointmentInline(ReadOnlyInline):
    """The order's appointments on the order page: time (a link to the appointment), place,
    free seats, when booking closes and who is booked — never any health content."""

    model = Appointment
    fields = ("time", "location", "free_seats", "deadline", "booked")
    readonly_fields = fields
    verbose_name_plural = _("Appointments and bookings")
    empty_text = _(
        "No appointments yet. The provider adds the appointments when the order has been approved."
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_seats()
            .prefetch_related(seat_holders_prefetch(request))
            .order_by("starts_at", "pk")
        )

    @admin.display(description=_("Time"))
    def time(self, appointment):
        url = reverse("admin:portal_appointment_change", args=[appointment.pk])
        return format_html(
            '<a class="text-primary-600" href="{}">{}</a>', url, appointment.time_range
        )

    @admin.display(description=_("Free seats"))
    def free_seats(self, appointment):
        return free_seats_text(appointment)

    @admin.display(description=_("Booking closes"))
    def deadline(self, appointment):
        return format_datetime(appointment.booking_deadline)

    @admin.display(description=_("Booked"))
    def booked(self, appointment):
        return booked_names(appointment)


class BookingInline(ReadOnlyInline):
    """Who is on the appointment, and whether they came."""

    model = Booking
    fields = (
        "employee_name",
        "attendance_shown",
        "employee_confirmed",
        "health_declaration_status",
        "booked",
        "cancelled",
    )
    readonly_fields = fields
    verbose_name_plural = _("Booked employees")
    empty_text = _(
        "No one is booked on this appointment yet. Book employees with «Book employee» above "
        "while booking is open."
    )

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related("employee", "booked_by", "cancelled_by", "health_declaration")
            .order_by(
                Case(When(attendance=Attendance.CANCELLED, then=Value(1)), default=Value(0)),
                "employee__last_name",
                "employee__first_name",
            )
        )
        return BOOKINGS.of_own_employees(queryset, request.user, Capability.VIEW_ORDERS)

    def get_fields(self, request, obj=None):
        if is_unscoped(request.user, Capability.BOOK_EMPLOYEES):
            return (*self.fields, "mail")
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("Employee"))
    def employee_name(self, booking):
        return booking.employee.full_name

    @admin.display(description=_("Attendance"))
    def attendance_shown(self, booking):
        return booking.get_attendance_display()

    @admin.display(description=_("Confirmed by the employee"))
    def employee_confirmed(self, booking):
        return employee_confirmed(booking)

    def get_formset(self, request, obj=None, **kwargs):
        self._reads_health_answers = may_read_health_answers(request.user)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("Health declaration"))
    def health_declaration_status(self, booking):
        """Sent and received, for whoever sees the booking; the way to the answers for
        health personnel alone."""
        status = declaration_status_text(booking)
        declaration = declaration_of(booking)
        received = declaration is not None and declaration.status == AnswerStatus.SUBMITTED
        if declaration is not None and not received and declaration.customer_reminded_at:
            return gettext("%(status)s · reminder sent %(date)s") % {
                "status": status,
                "date": format_date(timezone.localtime(declaration.customer_reminded_at)),
            }
        if received and getattr(self, "_reads_health_answers", False):
            return format_html(
                '{} · <a class="text-primary-600 hover:underline" href="{}">{}</a>',
                status,
                reverse("health_declaration", args=[booking.pk]),
                gettext("Read"),
            )
        return status

    @admin.display(description=_("Booked"))
    def booked(self, booking):
        return format_who_when(booking.booked_by, booking.booked_at)

    @admin.display(description=_("Cancelled"))
    def cancelled(self, booking):
        return cancelled_who_when(booking)

    @admin.display(description=_("E-mail"))
    def mail(self, booking):
        return mail_status(booking)


def attendance_record(request, booking, attendance: Attendance) -> None:
    """Record through the service whether the employee came, and say so (or why not)."""
    run_service(
        request,
        services.booking_attendance_set,
        success=_("%(name)s: %(attendance)s.")
        % {"name": booking.employee.full_name, "attendance": attendance.label},
        booking=booking,
        actor=request.user,
        attendance=attendance,
    )


def cancelled_who_when(booking) -> str:
    """Who cancelled and when; the employee from their link is named as on the audit trail."""
    if booking.cancelled_by_employee and booking.cancelled_at:
        return f"{EMPLOYEE_VIA_LINK}, {format_datetime(booking.cancelled_at)}"
    return format_who_when(booking.cancelled_by, booking.cancelled_at)


def employee_confirmed(booking) -> str:
    """When the employee said «Jeg kommer» on their page (the column says «Bekreftet av
    ansatt»), or '–'."""
    return format_datetime(booking.employee_confirmed_at) or "–"


def mail_status(booking) -> str:
    if booking.mail_failed_at:
        return _("Failed %(when)s") % {"when": format_datetime(booking.mail_failed_at)}
    return "–"


@admin.register(Booking)
class BookingAdmin(OrderNumberOrTextSearch, PortalModelAdmin):
    """Staff's list of bookings: attendance, cancellations, and e-mails that failed."""

    list_display = (
        "employee",
        "appointment_time",
        "location",
        "order_number",
        "attendance",
        "confirmed",
        "late_cancellation",
        "mail",
    )
    list_select_related = ("employee", "appointment__order")
    list_filter = ("attendance", ("mail_failed_at", admin.EmptyFieldListFilter))
    search_fields = ("employee__first_name", "employee__last_name", "=appointment__order__number")
    order_number_path = "appointment__order__number"
    page_select_related = ("employee", "appointment", "booked_by", "cancelled_by")

    readonly_fields = (
        "appointment",
        "employee",
        "attendance",
        "booked_by",
        "booked_at",
        "employee_confirmed_at",
        "cancelled_by",
        "cancelled_by_employee",
        "cancelled_at",
        "mail_failed_at",
    )
    fields = readonly_fields
    actions = ["mark_attended", "mark_no_show", "resend_mail"]

    def search_text(self, word):
        """A word of the employee's name: the employees found first, by their own indexes."""
        return Q(
            employee__in=Employee.objects.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
        )

    def get_changelist(self, request, **kwargs):
        """A search in the list's own order (by time), sorted after the search: the same order
        by an expression no index answers. Ordered by the start's index, PostgreSQL walks every
        booking from the first appointment on, looking for the fifty whose employee has the
        name searched for (half a second over 400,000 bookings); the bookings of the employees
        found first and then sorted, a few thousand at most, take a tenth of that."""
        base = super().get_changelist(request, **kwargs)

        class SearchedThenSorted(base):  # type: ignore[misc,valid-type]
            def get_ordering(self, request, queryset):
                if not self.query.strip() or ORDER_VAR in self.params:
                    return super().get_ordering(request, queryset)
                starts = Coalesce("appointment__starts_at", "appointment__ends_at")
                return [starts.asc(), "pk"]

        return SearchedThenSorted

    def has_add_permission(self, request):
        return False  # bookings are made on the appointment, through the booking service

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a cancelled booking stays, for the record

    def has_record_permission(self, request):
        return booking_may_have_attendance_set_by(request.user)

    def has_resend_permission(self, request):
        return is_unscoped(request.user, Capability.BOOK_EMPLOYEES)

    @admin.display(description=_("Time"), ordering="appointment__starts_at")
    def appointment_time(self, booking):
        return booking.appointment.time_range

    @admin.display(description=_("Location"))
    def location(self, booking):
        return booking.appointment.location

    @admin.display(description=_("Order number"), ordering="appointment__order__number")
    def order_number(self, booking):
        return booking.appointment.order.number

    @admin.display(description=_("Confirmed by the employee"), ordering="employee_confirmed_at")
    def confirmed(self, booking):
        return employee_confirmed(booking)

    @admin.display(description=_("Late cancellation"), boolean=True)
    def late_cancellation(self, booking):
        return booking.is_late_cancellation if booking.cancelled_at else None

    @admin.display(description=_("E-mail"), ordering="mail_failed_at")
    def mail(self, booking):
        return mail_status(booking)

    def _attendance(self, request, queryset, attendance):
        for booking in queryset.select_related("employee"):
            attendance_record(request, booking, attendance)

    @admin.action(description=_("Mark as attended"), permissions=["record"])
    def mark_attended(self, request, queryset):
        self._attendance(request, queryset, Attendance.ATTENDED)

    @admin.action(description=_("Mark as no-show"), permissions=["record"])
    def mark_no_show(self, request, queryset):
        self._attendance(request, queryset, Attendance.NO_SHOW)

    @admin.action(description=_("Send the e-mail again"), permissions=["resend"])
    def resend_mail(self, request, queryset):
        for booking in queryset.select_related("employee"):
            services.booking_mail_resend(booking=booking, actor=request.user)
            messages.success(
                request,
                _("The e-mail to %(name)s is queued again.") % {"name": booking.employee.full_name},
            )
