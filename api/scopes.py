"""What a token may do: its scopes. Each scope, for a token without a customer, is the staff
permissions its service user holds; a customer's token holds the customer administrator's
department capabilities instead, and its scopes only say which endpoints it may call."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import SET_ATTENDANCE, Perm


class Scope(models.TextChoices):
    CUSTOMERS_READ = "customers:read", _("Read customers, departments and contracts")
    ORDERS_READ = "orders:read", _("Read orders")
    ORDERS_WRITE = "orders:write", _("Place orders and take their workflow steps")
    APPOINTMENTS_READ = "appointments:read", _("Read appointments and bookings")
    APPOINTMENTS_WRITE = "appointments:write", _("Create, change and cancel appointments")
    EMPLOYEES_READ = "employees:read", _("Read employees")
    EMPLOYEES_WRITE = "employees:write", _("Add, change and deactivate employees")
    AUDIT_READ = "audit:read", _("Read the audit trail (tokens without a customer only)")
    INVOICES_READ = "invoices:read", _("Read invoices")
    INVOICES_WRITE = "invoices:write", _("Create and change invoices, register payments")


#: The staff permissions a token without a customer holds for each scope.
SCOPE_PERMISSIONS: dict[Scope, tuple[str, ...]] = {
    Scope.CUSTOMERS_READ: (
        Perm.VIEW_CUSTOMER,
        Perm.VIEW_DEPARTMENT,
        Perm.VIEW_CONTRACT,
        Perm.VIEW_PRODUCTGROUP,
    ),
    Scope.ORDERS_READ: (Perm.VIEW_ORDER,),
    # change_order: the staff's workflow steps (confirm, deliver, order state).
    Scope.ORDERS_WRITE: (Perm.VIEW_ORDER, Perm.ADD_ORDER, Perm.CHANGE_ORDER),
    Scope.APPOINTMENTS_READ: (Perm.VIEW_APPOINTMENT, Perm.VIEW_BOOKING, Perm.VIEW_ORDER),
    Scope.APPOINTMENTS_WRITE: (
        Perm.VIEW_APPOINTMENT,
        Perm.VIEW_BOOKING,
        Perm.VIEW_ORDER,
        Perm.ADD_APPOINTMENT,
        Perm.CHANGE_APPOINTMENT,
        SET_ATTENDANCE,
    ),
    Scope.EMPLOYEES_READ: (Perm.VIEW_EMPLOYEE,),
    Scope.EMPLOYEES_WRITE: (Perm.VIEW_EMPLOYEE, Perm.ADD_EMPLOYEE, Perm.CHANGE_EMPLOYEE),
    Scope.AUDIT_READ: (),  # the trail is staff's: the service user is staff already
    Scope.INVOICES_READ: (Perm.VIEW_INVOICE, Perm.VIEW_INVOICELINE),
    # The orders too: a line may name the order it bills.
    Scope.INVOICES_WRITE: (
        Perm.VIEW_INVOICE,
        Perm.VIEW_INVOICELINE,
        Perm.VIEW_ORDER,
        Perm.ADD_INVOICE,
        Perm.CHANGE_INVOICE,
    ),
}

#: Scopes only a token without a customer may hold.
STAFF_ONLY_SCOPES = frozenset({Scope.AUDIT_READ})
