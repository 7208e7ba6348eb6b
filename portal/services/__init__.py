"""The domain services: every write with a rule. Keyword-only, the acting user as `actor`;
they raise ValidationError (a rule) or PermissionDenied (access) and then change nothing."""

from .employees import (
    employee_create,
    employee_deactivate,
    employee_reactivate,
    employee_update,
    national_id_reveal,
)
from .orders import (
    order_confirm_as_customer,
    order_confirm_as_seller,
    order_mark_delivered,
    order_set_state,
    order_submit,
)

__all__ = [
    "employee_create",
    "employee_deactivate",
    "employee_reactivate",
    "employee_update",
    "national_id_reveal",
    "order_confirm_as_customer",
    "order_confirm_as_seller",
    "order_mark_delivered",
    "order_set_state",
    "order_submit",
]
