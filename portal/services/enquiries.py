"""«Spør om en tjeneste»: a question about a service, asked before ordering it.

Some services must be clarified with the KA/KAM first. An enquiry is an order in the status
«Forespørsel» whose question is its first message; the KA/KAM answers in its thread and turns
it into an order (it then awaits the seller's approval, and the workflow goes on as for any
order) or closes it (the order state «Avsluttet», `order_set_state`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from permissions.capabilities import Capability
from portal.models import Contract, Department, Order, ProductGroup
from portal.models.orders import OrderStatus

from .messages import order_message_check, order_message_post
from .orders import _require_staff, _transition, order_open


@transaction.atomic
def order_enquire(
    *,
    actor,
    department: Department,
    text: str,
    contract: Contract | None = None,
    product_group: ProductGroup | None = None,
    customer_reference: str = "",
) -> Order:
    """Open an enquiry with `text` as its first message; the KA/KAM is told as of any message
    (customer service when the customer has none). Whoever may place orders may ask."""
    try:
        order_message_check(text)
    except ValidationError as error:  # the question is the form's description
        raise ValidationError({"description": error.message_dict["text"]}) from error
    order = order_open(
        actor=actor,
        department=department,
        status=OrderStatus.ENQUIRY,
        contract=contract,
        product_group=product_group,
        customer_reference=customer_reference,
    )
    order_message_post(order=order, actor=actor, text=text)
    return order


@transaction.atomic
def order_enquiry_accept(*, order: Order, actor, version: int | None = None) -> Order:
    """The KA/KAM turns an enquiry into an order: it awaits the seller's approval from now."""
    _require_staff(actor, Capability.CONFIRM_ORDERS)
    return _transition(
        order=order,
        actor=actor,
        from_status=OrderStatus.ENQUIRY,
        to_status=OrderStatus.AWAITING_SELLER,
        now=timezone.now(),
        fields={},
        version=version,
    )
