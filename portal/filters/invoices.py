"""Søk etter faktura: the search panel of the invoice list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from portal.models import Invoice
from portal.models.invoices import InvoiceStatus

from .base import FilterSetListFilter, PortalFilterSet
from .fields import choice_filter, date_filter, text_input


class InvoiceFilterSet(PortalFilterSet):
    view_capability = Capability.VIEW_INVOICES

    number = django_filters.CharFilter(
        field_name="number",
        lookup_expr="contains",  # any part: "118371", "2017-" (a trigram index on PostgreSQL)
        label=_("Invoice number"),
        widget=text_input(autocomplete="off"),
    )
    invoice_date_after = date_filter(
        field_name="invoice_date", lookup_expr="gte", label=_("From date")
    )
    invoice_date_before = date_filter(
        field_name="invoice_date", lookup_expr="lte", label=_("To date")
    )
    status = choice_filter(choices=InvoiceStatus.choices, label=_("Status"), method="filter_status")

    class Meta(PortalFilterSet.Meta):
        model = Invoice
        fields = ()

    def filter_status(self, queryset, name, value):
        """Computed in the database from today's date, never stored."""
        return queryset.with_status_value(value)


class InvoiceSearch(FilterSetListFilter):
    title = _("Search for invoices")
    filterset_class = InvoiceFilterSet
