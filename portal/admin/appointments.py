from django.contrib import admin
from unfold.admin import TabularInline

from portal.admin.base import PortalModelAdmin
from portal.models import Appointment, Booking


class BookingInline(TabularInline):
    model = Booking
    extra = 0
    fields = ("employee", "attendance", "booked_by", "booked_at")
    readonly_fields = ("booked_by", "booked_at")
    autocomplete_fields = ("employee",)


@admin.register(Appointment)
class AppointmentAdmin(PortalModelAdmin):
    list_display = ("starts_at", "ends_at", "location", "capacity", "order", "booking_deadline")
    list_select_related = ("order",)
    search_fields = ("location", "=order__number")
    autocomplete_fields = ("order",)
    inlines = [BookingInline]


@admin.register(Booking)
class BookingAdmin(PortalModelAdmin):
    list_display = ("employee", "appointment", "attendance", "booked_at")
    list_select_related = ("employee", "appointment")
    list_filter = ("attendance",)
    autocomplete_fields = ("employee", "appointment")
