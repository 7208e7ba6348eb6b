from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from permissions.admin_mixins import ScopedAdminMixin
from permissions.capabilities import Capability
from portal.admin.base import PortalModelAdmin
from portal.filters import SEARCH_PANEL_ABOVE_RESULTS, InvoiceSearch
from portal.formatting import format_nok
from portal.models import Invoice, InvoiceLine
from portal.models.invoices import InvoiceStatus


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = ("description", "quantity", "unit_price", "amount", "order")
    autocomplete_fields = ("order",)


@admin.register(Invoice)
class InvoiceAdmin(ScopedAdminMixin, PortalModelAdmin):
    view_capability = Capability.VIEW_INVOICES
    scope_path = "payer"
    list_display = (
        "number",
        "invoice_date",
        "due_date",
        "payer",
        "total_display",
        "outstanding_display",
        "status_display",
    )
    list_select_related = ("payer",)
    search_fields = ("=number", "kid")
    list_filter = (InvoiceSearch,)
    list_before_template = SEARCH_PANEL_ABOVE_RESULTS
    search_in_panel = True
    inlines = [InvoiceLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    @admin.display(description=_("Total"), ordering="total")
    def total_display(self, invoice):
        return format_nok(invoice.total)

    @admin.display(description=_("Outstanding"), ordering="outstanding")
    def outstanding_display(self, invoice):
        return format_nok(invoice.outstanding)

    @admin.display(description=_("Status"), ordering="status_value")
    def status_display(self, invoice):
        return InvoiceStatus(invoice.status_value).label
