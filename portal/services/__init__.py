"""The domain services: every write with a rule. Keyword-only, the acting user as `actor`;
they raise ValidationError (a rule) or PermissionDenied (access) and then change nothing."""

from .orders import (
    order_confirm_as_customer,
    order_confirm_as_seller,
    order_mark_delivered,
    order_set_state,
    order_submit,
)

__all__ = [
    "order_confirm_as_customer",
    "order_confirm_as_seller",
    "order_mark_delivered",
    "order_set_state",
    "order_submit",
]
