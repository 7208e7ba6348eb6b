"""Capabilities a customer user holds on a department, and the roles that bundle them.

Permission names live here and nowhere else.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Capability(StrEnum):
    VIEW_ORDERS = "view_orders"
    PLACE_ORDERS = "place_orders"
    CONFIRM_ORDERS = "confirm_orders"
    VIEW_EMPLOYEES = "view_employees"
    MANAGE_EMPLOYEES = "manage_employees"
    BOOK_EMPLOYEES = "book_employees"
    VIEW_INVOICES = "view_invoices"


class Role(models.TextChoices):
    ORDERER = "orderer", _("Orderer")
    HR = "hr", _("HR")
    FINANCE = "finance", _("Finance")
    ADMIN = "admin", _("Administrator")


ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.ORDERER: frozenset(
        {Capability.VIEW_ORDERS, Capability.PLACE_ORDERS, Capability.CONFIRM_ORDERS}
    ),
    Role.HR: frozenset(
        {
            Capability.VIEW_ORDERS,
            Capability.VIEW_EMPLOYEES,
            Capability.MANAGE_EMPLOYEES,
            Capability.BOOK_EMPLOYEES,
        }
    ),
    Role.FINANCE: frozenset({Capability.VIEW_ORDERS, Capability.VIEW_INVOICES}),
    Role.ADMIN: frozenset(Capability),
}

# The global model permission that makes a staff user unscoped for a capability.
STAFF_PERMISSION: dict[Capability, str] = {
    Capability.VIEW_ORDERS: "portal.view_order",
    Capability.PLACE_ORDERS: "portal.add_order",
    Capability.CONFIRM_ORDERS: "portal.change_order",
    Capability.VIEW_EMPLOYEES: "portal.view_employee",
    Capability.MANAGE_EMPLOYEES: "portal.change_employee",
    Capability.BOOK_EMPLOYEES: "portal.add_booking",
    Capability.VIEW_INVOICES: "portal.view_invoice",
}

# Acts only staff do, each a global permission given by the staff groups.
ADD_APPOINTMENTS = "portal.add_appointment"
CHANGE_APPOINTMENTS = "portal.change_appointment"
SET_ATTENDANCE = "portal.change_booking"
IMPORT_INVOICES = "portal.import_invoice"
ADD_INVOICES = "portal.add_invoice"
CHANGE_INVOICES = "portal.change_invoice"
DELETE_INVOICES = "portal.delete_invoice"
REVEAL_NATIONAL_ID = "portal.reveal_national_id"
INVITE_CONTACTS = "permissions.add_grant"
VIEW_OUTGOING_MAIL = "background.view_outgoingmail"
SEND_MAIL_AGAIN = "background.change_outgoingmail"

STAFF_GROUP_ACCOUNT_MANAGERS = "KA/KAM"
STAFF_GROUP_CUSTOMER_SERVICE = "Kundeservice"
