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
    #: «Brukere og tilganger»: the colleagues' grants on the department (the Administrator's).
    MANAGE_ACCESS = "manage_access"


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


class Perm(StrEnum):
    """The global (model) permissions the portal asks for: staff hold them through their
    groups. A member is its "app.codename" string."""

    VIEW_CUSTOMER = "portal.view_customer"
    CHANGE_CUSTOMER = "portal.change_customer"
    VIEW_DEPARTMENT = "portal.view_department"
    ADD_DEPARTMENT = "portal.add_department"
    CHANGE_DEPARTMENT = "portal.change_department"
    VIEW_CONTRACT = "portal.view_contract"
    ADD_CONTRACT = "portal.add_contract"
    CHANGE_CONTRACT = "portal.change_contract"
    VIEW_PRODUCTGROUP = "portal.view_productgroup"
    VIEW_ORDER = "portal.view_order"
    ADD_ORDER = "portal.add_order"
    CHANGE_ORDER = "portal.change_order"
    EXPORT_ORDER = "portal.export_order"
    VIEW_APPOINTMENT = "portal.view_appointment"
    ADD_APPOINTMENT = "portal.add_appointment"
    CHANGE_APPOINTMENT = "portal.change_appointment"
    VIEW_BOOKING = "portal.view_booking"
    ADD_BOOKING = "portal.add_booking"
    CHANGE_BOOKING = "portal.change_booking"
    VIEW_EMPLOYEE = "portal.view_employee"
    ADD_EMPLOYEE = "portal.add_employee"
    CHANGE_EMPLOYEE = "portal.change_employee"
    EXPORT_EMPLOYEE = "portal.export_employee"
    IMPORT_EMPLOYEE = "portal.import_employee"
    REVEAL_NATIONAL_ID = "portal.reveal_national_id"
    VIEW_EXPOSURE = "portal.view_exposure"
    ADD_EXPOSURE = "portal.add_exposure"
    CHANGE_EXPOSURE = "portal.change_exposure"
    DELETE_EXPOSURE = "portal.delete_exposure"
    VIEW_EXPOSURETYPE = "portal.view_exposuretype"
    ADD_EXPOSURETYPE = "portal.add_exposuretype"
    CHANGE_EXPOSURETYPE = "portal.change_exposuretype"
    VIEW_SURVEILLANCEDUE = "portal.view_surveillancedue"
    EXPORT_SURVEILLANCEDUE = "portal.export_surveillancedue"
    VIEW_INVOICE = "portal.view_invoice"
    ADD_INVOICE = "portal.add_invoice"
    CHANGE_INVOICE = "portal.change_invoice"
    DELETE_INVOICE = "portal.delete_invoice"
    VIEW_INVOICELINE = "portal.view_invoiceline"
    EXPORT_INVOICE = "portal.export_invoice"
    IMPORT_INVOICE = "portal.import_invoice"
    PERMISSIONS_VIEW_GRANT = "permissions.view_grant"
    PERMISSIONS_ADD_GRANT = "permissions.add_grant"
    PERMISSIONS_DELETE_GRANT = "permissions.delete_grant"
    AUTH_VIEW_USER = "auth.view_user"
    AUTH_CHANGE_USER = "auth.change_user"
    AUTH_VIEW_GROUP = "auth.view_group"
    BACKGROUND_VIEW_OUTGOINGMAIL = "background.view_outgoingmail"
    BACKGROUND_CHANGE_OUTGOINGMAIL = "background.change_outgoingmail"
    HEALTH_VIEW_QUESTIONNAIRE = "health.view_questionnaire"
    HEALTH_ADD_QUESTIONNAIRE = "health.add_questionnaire"
    HEALTH_CHANGE_QUESTIONNAIRE = "health.change_questionnaire"
    HEALTH_READ_ANSWERS = "health.read_answers"
    WEBHOOKS_VIEW_ENDPOINT = "webhooks.view_webhookendpoint"
    WEBHOOKS_ADD_ENDPOINT = "webhooks.add_webhookendpoint"
    WEBHOOKS_CHANGE_ENDPOINT = "webhooks.change_webhookendpoint"
    WEBHOOKS_DELETE_ENDPOINT = "webhooks.delete_webhookendpoint"
    WEBHOOKS_VIEW_DELIVERY = "webhooks.view_webhookdelivery"
    WEBHOOKS_CHANGE_DELIVERY = "webhooks.change_webhookdelivery"
    API_ADD_APITOKEN = "api.add_apitoken"
    API_CHANGE_APITOKEN = "api.change_apitoken"


# The global model permission that makes a staff user unscoped for a capability.
STAFF_PERMISSION: dict[Capability, str] = {
    Capability.VIEW_ORDERS: Perm.VIEW_ORDER,
    Capability.PLACE_ORDERS: Perm.ADD_ORDER,
    Capability.CONFIRM_ORDERS: Perm.CHANGE_ORDER,
    Capability.VIEW_EMPLOYEES: Perm.VIEW_EMPLOYEE,
    Capability.MANAGE_EMPLOYEES: Perm.CHANGE_EMPLOYEE,
    Capability.BOOK_EMPLOYEES: Perm.ADD_BOOKING,
    Capability.VIEW_INVOICES: Perm.VIEW_INVOICE,
    Capability.MANAGE_ACCESS: Perm.PERMISSIONS_ADD_GRANT,
}

# Acts only staff do, each a global permission given by the staff groups.
ADD_APPOINTMENTS = Perm.ADD_APPOINTMENT
CHANGE_APPOINTMENTS = Perm.CHANGE_APPOINTMENT
SET_ATTENDANCE = Perm.CHANGE_BOOKING
IMPORT_INVOICES = Perm.IMPORT_INVOICE
ADD_INVOICES = Perm.ADD_INVOICE
CHANGE_INVOICES = Perm.CHANGE_INVOICE
DELETE_INVOICES = Perm.DELETE_INVOICE
REVEAL_NATIONAL_ID = Perm.REVEAL_NATIONAL_ID
INVITE_CONTACTS = Perm.PERMISSIONS_ADD_GRANT
VIEW_OUTGOING_MAIL = Perm.BACKGROUND_VIEW_OUTGOINGMAIL
SEND_MAIL_AGAIN = Perm.BACKGROUND_CHANGE_OUTGOINGMAIL
# Whoever may change a user may lift the lock-out after their failed logins.
LIFT_LOCKOUTS = Perm.AUTH_CHANGE_USER
# Defining the health questionnaires (egenerklæringer): their questions, not anyone's answers.
DEFINE_QUESTIONNAIRES = Perm.HEALTH_CHANGE_QUESTIONNAIRE
# Reading an employee's answers: health personnel only, and never implied by being a superuser
# (`permissions.health.may_read_health_answers`).
READ_HEALTH_ANSWERS = Perm.HEALTH_READ_ANSWERS
# The provider's other systems (the CRM): registering webhook endpoints, reading their delivery
# log and sending a delivery again. No staff group holds them by default: superusers, and staff
# given them, who are also told when an endpoint is disabled.
VIEW_WEBHOOKS = Perm.WEBHOOKS_VIEW_ENDPOINT
MANAGE_WEBHOOKS = Perm.WEBHOOKS_CHANGE_ENDPOINT
ADD_WEBHOOKS = Perm.WEBHOOKS_ADD_ENDPOINT
DELETE_WEBHOOKS = Perm.WEBHOOKS_DELETE_ENDPOINT
VIEW_WEBHOOK_DELIVERIES = Perm.WEBHOOKS_VIEW_DELIVERY
SEND_WEBHOOK_AGAIN = Perm.WEBHOOKS_CHANGE_DELIVERY

# Issuing, changing and revoking API tokens for other systems (api/).
MANAGE_API_TOKENS = Perm.API_ADD_APITOKEN

STAFF_GROUP_ACCOUNT_MANAGERS = "KA/KAM"
STAFF_GROUP_CUSTOMER_SERVICE = "Kundeservice"
STAFF_GROUP_HEALTH_PERSONNEL = "Helsepersonell"
