from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import Capability
from portal.admin.base import PortalModelAdmin
from portal.models import Order, OrderEvent


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "field", "from_value", "to_value", "on_behalf_of_customer")
    readonly_fields = fields
    verbose_name_plural = _("History")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ScopedAdminMixin, PortalModelAdmin):
    view_capability = Capability.VIEW_ORDERS
    add_capability = Capability.PLACE_ORDERS
    list_display = (
        "number",
        "order_date",
        "product_group",
        "short_description",
        "department",
        "state",
        "status",
    )
    list_display_links = ("number",)
    list_select_related = ("department", "product_group")
    search_fields = ("=number", "customer_reference")
    list_filter = ("status", "state")
    readonly_fields = (
        "number",
        "status",
        "submitted_by",
        "submitted_at",
        "seller_confirmed_by",
        "seller_confirmed_at",
        "customer_confirmed_by",
        "customer_confirmed_at",
        "confirmed_on_behalf",
        "delivered_by",
        "delivered_at",
    )
    inlines = [OrderEventInline]

    @admin.display(description=_("Description"), ordering="description")
    def short_description(self, order):
        return Truncator(order.description).chars(160)
