from .appointments import Appointment, Booking
from .customers import Contract, Customer, Department, ProductGroup
from .employees import Employee
from .exposures import Exposure, ExposureType, SurveillanceDue
from .invitations import BookingInvitation
from .invoices import Invoice, InvoiceLine
from .messages import OrderMessage, OrderMessageRead
from .notifications import Notification
from .orders import Order, OrderEvent
from .profiles import StaffProfile
from .reminders import BookingReminder, HrSummarySent, ReminderKind
from .sequences import Sequence
from .summaries import BookingMonth

__all__ = [
    "Appointment",
    "Booking",
    "BookingInvitation",
    "BookingMonth",
    "BookingReminder",
    "Contract",
    "Customer",
    "Department",
    "Employee",
    "Exposure",
    "ExposureType",
    "HrSummarySent",
    "Invoice",
    "InvoiceLine",
    "Notification",
    "Order",
    "OrderEvent",
    "OrderMessage",
    "OrderMessageRead",
    "ProductGroup",
    "ReminderKind",
    "Sequence",
    "StaffProfile",
    "SurveillanceDue",
]
