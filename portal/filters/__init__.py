"""The search panels of the lists ("Finn bestillinger", "Finn ansatte", "Søk etter faktura")."""

from .base import SEARCH_PANEL_ABOVE_RESULTS, FilterSetListFilter, PortalFilterSet
from .employees import EmployeeFilterSet, EmployeeSearch
from .invoices import InvoiceFilterSet, InvoiceSearch
from .orders import OrderFilterSet, OrderSearch

__all__ = [
    "SEARCH_PANEL_ABOVE_RESULTS",
    "EmployeeFilterSet",
    "EmployeeSearch",
    "FilterSetListFilter",
    "InvoiceFilterSet",
    "InvoiceSearch",
    "OrderFilterSet",
    "OrderSearch",
    "PortalFilterSet",
]
