from .appointments import Appointment, Booking
from .customers import Contract, Customer, Department, ProductGroup
from .employees import Employee
from .invoices import Invoice, InvoiceLine
from .notifications import Notification
from .orders import Order, OrderEvent
from .profiles import StaffProfile
from .sequences import Sequence

__all__ = [
    "Appointment",
    "Booking",
    "Contract",
    "Customer",
    "Department",
    "Employee",
    "Invoice",
    "InvoiceLine",
    "Notification",
    "Order",
    "OrderEvent",
    "ProductGroup",
    "Sequence",
    "StaffProfile",
]
