"""The Info tab (the admin index) and the sidebar badge."""

from portal.models import Notification
from portal.models.orders import OrderStatus


def dashboard_callback(request, context):
    context.update(
        {
            "order_statuses": ORDER_STATUS_EXPLANATIONS,
            "unread_notifications": Notification.objects.filter(recipient=request.user)
            .unread()
            .order_by("-created_at")[:10],
        }
    )
    return context


def _explanations():
    from django.utils.translation import gettext_lazy as _

    return [
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
