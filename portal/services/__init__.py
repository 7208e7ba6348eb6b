"""The domain services: every write with a rule. Keyword-only, the acting user as `actor`;
they raise ValidationError (a rule) or PermissionDenied (access) and then change nothing."""

from .appointments import (
    appointment_cancel,
    appointment_create,
    appointment_series_create,
    appointment_update,
)
from .booking_invitations import (
    booking_choose_by_employee,
    bookings_invite,
    invitations_remind,
)
from .bookings import (
    booking_attendance_set,
    booking_cancel,
    booking_cancel_by_employee,
    booking_confirm_by_employee,
    booking_create,
    booking_mail_resend,
    booking_move,
    bookings_book_chosen,
    bookings_cancel_future_for_employee,
    bookings_place,
)
from .employees import (
    employee_create,
    employee_deactivate,
    employee_reactivate,
    employee_update,
    national_id_reveal,
)
from .enquiries import order_enquire, order_enquiry_accept
from .messages import order_message_post
from .orders import (
    order_confirm_as_customer,
    order_confirm_as_seller,
    order_mark_delivered,
    order_move_department,
    order_set_state,
    order_submit,
    order_update,
)

__all__ = [
    "appointment_cancel",
    "appointment_create",
    "appointment_series_create",
    "appointment_update",
    "booking_attendance_set",
    "booking_cancel",
    "booking_cancel_by_employee",
    "booking_choose_by_employee",
    "booking_confirm_by_employee",
    "booking_create",
    "booking_mail_resend",
    "booking_move",
    "bookings_book_chosen",
    "bookings_cancel_future_for_employee",
    "bookings_invite",
    "bookings_place",
    "employee_create",
    "employee_deactivate",
    "employee_reactivate",
    "employee_update",
    "invitations_remind",
    "national_id_reveal",
    "order_confirm_as_customer",
    "order_confirm_as_seller",
    "order_enquire",
    "order_enquiry_accept",
    "order_mark_delivered",
    "order_message_post",
    "order_move_department",
    "order_set_state",
    "order_submit",
    "order_update",
]
