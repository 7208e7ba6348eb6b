"""Appointments (timeavtaler).

Staff create appointments one by one or as a series, move and cancel them, and record
attendance. Customers see the appointments of their orders (scoped like the orders), with
free seats and who is booked, and put employees on them or take them off until booking
closes. Every change goes through `portal.services`.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.db import connections
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import Capability
from permissions.scoping import is_unscoped
from portal import services
from portal.admin.actions import ServiceRefusalMixin, adopt_saved
from portal.admin.appointment_actions import AppointmentActionsMixin
from portal.admin.appointment_forms import AppointmentForm
from portal.admin.base import OrderNumberOrTextSearch, PortalModelAdmin
from portal.admin.booking_views import BookingViewsMixin
from portal.admin.bookings import (
    BookingInline,
    appointment_status_text,
    booked_names,
    free_seats_text,
    seat_holders_prefetch,
)
from portal.admin.versions import StaleEditAdminMixin, edit_version
from portal.filters.fields import AUTOCOMPLETE_CSS, AUTOCOMPLETE_JS
from portal.formatting import format_datetime
from portal.models import Appointment, Customer
from portal.services.appointments import (
    CHANGEABLE_FIELDS,
    appointments_may_be_changed_by,
    appointments_may_be_created_by,
)

#: The dialogs of an appointment's page come in after the page: what their typed selects need.
DIALOG_AUTOCOMPLETE = forms.Media(
    js=[*AUTOCOMPLETE_JS, "portal/dialog_autocomplete.js"], css={"screen": AUTOCOMPLETE_CSS}
)


class WhenFilter(admin.SimpleListFilter):
    title = _("When")
    parameter_name = "when"
    UPCOMING, PAST = "upcoming", "past"

    def lookups(self, request, model_admin):
        return [(self.UPCOMING, _("Upcoming")), (self.PAST, _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == self.UPCOMING:
            return queryset.filter(ends_at__gte=now)
        if self.value() == self.PAST:
            return queryset.filter(ends_at__lt=now)
        return queryset


class CustomerFilter(admin.SimpleListFilter):
    """Staff: one customer's appointments (`?customer=<id>`), shown as an active filter that can
    be cleared. No list of choices: there are thousands of customers; the link comes from the
    customer. Customers never get it (their list holds their own appointments only)."""

    title = _("Customer")
    parameter_name = "customer"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value and value.isdigit()) or not is_unscoped(
            request.user, model_admin.view_capability
        ):
            return ()
        customer = Customer.objects.filter(pk=value).first()
        return [(value, customer.name)] if customer else ()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(department__customer_id=self.value())
        return queryset


def list_now(request):
    """The moment that splits upcoming from past, one for the whole request: the list's order
    and the page's rows agree on which side of it an appointment is."""
    if not hasattr(request, "_portal_list_now"):
        request._portal_list_now = timezone.now()
    return request._portal_list_now


def upcoming_then_past_ids(queryset, *, now, offset: int, limit: int) -> list[int]:
    """The ids of rows `offset` to `offset + limit` of `queryset` in the list's own order —
    upcoming by start, then past, the latest first — in one query (PostgreSQL): the first
    `offset + limit` of each side put together and cut.

    The past are read in order from the start's index, newest first. The upcoming are a few
    percent of the rows, at the far end of that index: read from the start's index they would
    be found only after every past row. They are read by the end's index and sorted instead
    (the planner, which assumes them spread over the index, is not given the choice)."""
    end = offset + limit
    rows = queryset.prefetch_related(None).order_by()
    upcoming, upcoming_params = (
        rows.filter(ends_at__gte=now).values_list("pk", "starts_at").query.sql_with_params()
    )
    past, past_params = (
        rows.filter(ends_at__lt=now)
        .order_by("-starts_at", "pk")
        .values_list("pk", "starts_at")[:end]
        .query.sql_with_params()
    )
    sql = f"""
        WITH upcoming (id, starts_at) AS MATERIALIZED ({upcoming})
        SELECT id FROM (
            (SELECT id, starts_at, 0 AS part FROM upcoming ORDER BY starts_at, id LIMIT %s)
            UNION ALL
            (SELECT id, starts_at, 1 AS part FROM ({past}) AS past (id, starts_at))
        ) AS page
        ORDER BY part, CASE WHEN part = 0 THEN starts_at END, starts_at DESC, id
        LIMIT %s OFFSET %s
    """  # noqa: S608 (Django's own SQL of the two querysets; every value is a parameter)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, (*upcoming_params, end, *past_params, limit, offset))
        return [row[0] for row in cursor.fetchall()]


@admin.register(Appointment)
class AppointmentAdmin(
    ServiceRefusalMixin,
    StaleEditAdminMixin,
    AppointmentActionsMixin,
    BookingViewsMixin,
    OrderNumberOrTextSearch,
    ScopedAdminMixin,
    PortalModelAdmin,
):
    missing_text = _("The appointment does not exist, or you do not have access to it.")
    view_capability = Capability.VIEW_ORDERS
    form = AppointmentForm
    list_display = ("time", "order_number", "location", "free_seats", "booked")
    list_display_links = ("time",)
    list_select_related = ("order",)
    list_filter = (WhenFilter, CustomerFilter)
    search_fields = ("=order__number", "location")
    order_number_path = "order__number"
    autocomplete_fields = ("order",)
    inlines = [BookingInline]
    actions_list = ["create_series"]
    actions_detail = [
        "book_employee",
        "unbook_employee",
        "record_attendance",
        "remind_declaration",
        "cancel_appointment",
    ]
    view_fields = (
        "order_link",
        "time",
        "location",
        "free_seats",
        "deadline",
        "instructions",
        "status",
    )

    # -- the list: upcoming first ------------------------------------------------------------

    def search_text(self, word):
        return Q(location__icontains=word)

    def get_queryset(self, request):
        now = list_now(request)
        return (
            super()
            .get_queryset(request)
            .with_seats()
            .prefetch_related(seat_holders_prefetch(request))
            .annotate(
                is_past=Case(When(ends_at__lt=now, then=Value(1)), default=Value(0)),
                upcoming_start=Case(
                    When(ends_at__gte=now, then=F("starts_at")),
                    default=None,
                    output_field=DateTimeField(),
                ),
            )
            .order_by("starts_at", "pk")
        )

    def get_changelist(self, request, **kwargs):
        """Upcoming appointments first, the next one at the top; then past ones, the latest
        first. A sorted column wins."""
        base = super().get_changelist(request, **kwargs)

        class UpcomingFirst(base):
            def get_ordering(self, request, queryset):
                if ORDER_VAR in self.params:
                    return super().get_ordering(request, queryset)
                # Narrowed to one side of now, the same order by the start alone, which the
                # start's index answers (the two-sided order sorts every row of the list).
                when = request.GET.get(WhenFilter.parameter_name)
                if when == WhenFilter.UPCOMING:
                    return ["starts_at", "pk"]
                if when == WhenFilter.PAST:
                    return ["-starts_at", "pk"]
                return ["is_past", "upcoming_start", "-starts_at", "pk"]

            def page_rows(self, paginator, number):
                """Upcoming first, then past: on PostgreSQL a page deep in the list reads
                each side by its own index (`upcoming_then_past_ids`) instead of sorting
                every row of the list by the two-sided order (~140 ms at 200,000)."""
                when = self.params.get(WhenFilter.parameter_name)
                database = connections[self.queryset.db]
                if (
                    ORDER_VAR in self.params
                    or when in (WhenFilter.UPCOMING, WhenFilter.PAST)
                    or not database.features.supports_slicing_ordering_in_compound
                ):
                    return super().page_rows(paginator, number)
                offset = (number - 1) * paginator.per_page
                return upcoming_then_past_ids(
                    self.queryset, now=list_now(request), offset=offset, limit=paginator.per_page
                )

        return UpcomingFirst

    def get_list_display(self, request):
        if self._is_staff_view(request):
            return (*self.list_display, "customer", "deadline", "mail_problems")
        return self.list_display

    def get_list_select_related(self, request):
        if self._is_staff_view(request):
            return ("order", "department__customer")
        return self.list_select_related

    @admin.display(description=_("Time"), ordering="starts_at")
    def time(self, appointment):
        return appointment.time_range

    @admin.display(description=_("Order number"), ordering="order__number")
    def order_number(self, appointment):
        return appointment.order.number

    @admin.display(description=_("Free seats"))
    def free_seats(self, appointment):
        return free_seats_text(appointment)

    @admin.display(description=_("Booked employees"))
    def booked(self, appointment):
        return booked_names(appointment)

    @admin.display(description=_("Customer"), ordering="department__customer__name")
    def customer(self, appointment):
        return appointment.department.customer

    @admin.display(description=_("Booking closes"), ordering="booking_deadline")
    def deadline(self, appointment):
        return format_datetime(appointment.booking_deadline)

    @admin.display(description=_("E-mail problems"))
    def mail_problems(self, appointment):
        failed = sum(1 for b in appointment.seat_holders if b.mail_failed_at)
        return str(failed) if failed else "–"

    @admin.display(description=_("Order number"))
    def order_link(self, appointment):
        url = reverse("admin:portal_order_change", args=[appointment.order_id])
        return format_html('<a class="text-primary-600" href="{}">{}</a>', url, appointment.order)

    @admin.display(description=_("Status"))
    def status(self, appointment):
        return appointment_status_text(appointment)

    # -- the page: staff edit, customers read -----------------------------------------------

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.view_fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.view_fields
        return ("order",) if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and not self.has_change_permission(request, obj):
            kwargs["fields"] = ()
        return super().get_form(request, obj, change, **kwargs)

    def has_add_permission(self, request, *args):
        return appointments_may_be_created_by(request.user) and super().has_add_permission(
            request, *args
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and not isinstance(obj, Appointment):
            obj = self._resolve(request, obj)
            if obj is False:
                return False
        if obj is not None and obj.is_cancelled:
            return False
        return appointments_may_be_changed_by(request.user) and super().has_change_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change):
        """Through the services: a move tells the booked employees."""
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.changed_data if name in CHANGEABLE_FIELDS}
            fields.setdefault("booking_deadline", data["booking_deadline"])
            saved = services.appointment_update(
                appointment=obj, actor=request.user, version=edit_version(form), **fields
            )
        else:
            saved = services.appointment_create(
                order=data["order"],
                actor=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                location=data["location"],
                capacity=data["capacity"],
                booking_deadline=data["booking_deadline"],
                instructions=data.get("instructions", ""),
            )
        adopt_saved(obj, saved)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["title"] = _("Appointment %(time)s") % {"time": obj.time_range}
            context["media"] = context["media"] + DIALOG_AUTOCOMPLETE
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        bookable = path(
            "<path:object_id>/bookable-employees/",
            self.admin_site.admin_view(self.bookable_employees_view),
            name="portal_appointment_bookable_employees",
        )
        return [*self.booking_view_urls(), bookable, *super().get_urls()]
