"""Permission callbacks for the sidebar: a tab shows only where its list would show rows."""

from .capabilities import MANAGE_API_TOKENS, VIEW_OUTGOING_MAIL, VIEW_WEBHOOKS, Capability, Perm
from .delegation import may_manage_colleagues_at_a_glance
from .health import may_define_questionnaires
from .scoping import has_capability_anywhere, is_staff_with


def can_view_orders(request) -> bool:
    return has_capability_anywhere(request.user, Capability.VIEW_ORDERS)


def can_view_employees(request) -> bool:
    return has_capability_anywhere(request.user, Capability.VIEW_EMPLOYEES)


def can_view_invoices(request) -> bool:
    return has_capability_anywhere(request.user, Capability.VIEW_INVOICES)


def can_view_reports(request) -> bool:
    return any(
        has_capability_anywhere(request.user, capability)
        for capability in (
            Capability.VIEW_ORDERS,
            Capability.VIEW_EMPLOYEES,
            Capability.VIEW_INVOICES,
        )
    )


def can_manage_colleagues(request) -> bool:
    """«Brukere og tilganger»: a customer's administrators only."""
    return may_manage_colleagues_at_a_glance(request.user)


def _staff_with(perm: str):
    def check(request) -> bool:
        return is_staff_with(request.user, perm)

    check.__name__ = f"staff_with_{perm.replace('.', '_')}"
    return check


can_view_customers = _staff_with(Perm.VIEW_CUSTOMER)
can_view_departments = _staff_with(Perm.VIEW_DEPARTMENT)
can_view_contracts = _staff_with(Perm.VIEW_CONTRACT)
can_view_product_groups = _staff_with(Perm.VIEW_PRODUCTGROUP)
can_view_exposure_types = _staff_with(Perm.VIEW_EXPOSURETYPE)
can_view_appointments = _staff_with(Perm.VIEW_APPOINTMENT)
can_view_bookings = _staff_with(Perm.VIEW_BOOKING)
can_view_users = _staff_with(Perm.AUTH_VIEW_USER)
can_view_groups = _staff_with(Perm.AUTH_VIEW_GROUP)
can_view_grants = _staff_with(Perm.PERMISSIONS_VIEW_GRANT)
can_view_outgoing_mail = _staff_with(VIEW_OUTGOING_MAIL)
can_view_webhooks = _staff_with(VIEW_WEBHOOKS)
can_manage_api_tokens = _staff_with(MANAGE_API_TOKENS)


def can_define_questionnaires(request) -> bool:
    return may_define_questionnaires(request.user)


def is_staff(request) -> bool:
    return request.user.is_active and request.user.is_staff
