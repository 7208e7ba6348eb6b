"""The Info tab (the admin index): what waits for the user this morning.

A customer user sees their KA/KAM, the orders waiting for their confirmation, the orders with
messages they have not read, the coming appointments with free seats, overdue invoices, their
employees, the order statuses explained and their unread notifications. Staff see what waits
for the provider, the customers' unanswered messages first. Every block shows only where the
user has its capability (`portal.selectors.info` answers None otherwise).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Notification
from portal.models.orders import OrderStatus
from portal.selectors import info
from portal.selectors import messages as order_messages

UNREAD_SHOWN = 10
RECENT_READ_SHOWN = 5
RECENT_READ_DAYS = 14


def dashboard_callback(request, context):
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    notifications = Notification.objects.filter(recipient_id=user.pk)
    context.update(
        {
            "order_statuses": ORDER_STATUS_EXPLANATIONS,
            "unread_notifications": notifications.unread().order_by("-created_at")[:UNREAD_SHOWN],
        }
    )
    if user.is_staff:
        context.update(
            {
                "staff_info": True,
                "staff_orders": info.staff_orders_waiting(user),
                "unanswered_messages": order_messages.orders_awaiting_answer(user),
                "staff_appointments": info.staff_appointments_soon(request, now=now),
                "staff_invoices": info.staff_invoices_overdue(user, today=today),
                "recent_notifications": notifications.filter(
                    read_at__gte=now - datetime.timedelta(days=RECENT_READ_DAYS)
                ).order_by("-created_at")[:RECENT_READ_SHOWN],
            }
        )
    else:
        context.update(
            {
                "account_managers": info.account_managers(user),
                "awaiting_orders": info.orders_awaiting_customer(user),
                "unread_messages": order_messages.orders_with_unread_messages(user),
                "appointments": info.appointments_upcoming(request, now=now),
                "overdue_invoices": info.invoices_overdue(user, today=today),
                "employees": info.employees_summary(user, now=now),
                "surveillance": info.surveillance_overdue(user, today=today),
            }
        )
    return context


def _explanations():
    return [
        (
            OrderStatus.ENQUIRY.label,
            _(
                "You have asked about a service with «Ask about a service». The provider "
                "answers under «Messages»; then it can become an order."
            ),
        ),
        (
            OrderStatus.AWAITING_SELLER.label,
            _(
                "The order has not been confirmed by the seller in the CRM system; "
                "the provider has not reviewed it yet."
            ),
        ),
        (
            OrderStatus.AWAITING_CUSTOMER.label,
            _(
                "Confirmed by the seller: the order is set up correctly and you need to "
                "verify that the delivery is to go ahead."
            ),
        ),
        (
            OrderStatus.APPROVED.label,
            _(
                "You have clicked «Confirm order» in the portal, or the provider has "
                "confirmed on your behalf in the CRM system."
            ),
        ),
        (
            OrderStatus.DELIVERED.label,
            _("The provider has confirmed the order as delivered."),
        ),
    ]


ORDER_STATUS_EXPLANATIONS = _explanations()
