"""Messages on an order («Meldinger»): the customer's users and the provider's staff write in
one thread per order, and the other side is told.

The notice (in the portal and by e-mail) says only that there is a message, with a link: mail is
no place for what people may write about an order, so the text stays behind the login.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from permissions.capabilities import Capability
from permissions.policies import ORDERS
from permissions.services import users_with_capability
from portal.models import Notification, Order, OrderMessage, OrderMessageRead
from portal.models.messages import MESSAGE_MAX_LENGTH
from portal.sensitive import sensitive_text_check
from portal.text import texts_validate
from webhooks.events import emit, order_message_payload

from .notifications import account_managers_of, notification_send, notifications_mark_read

#: Where on the order's page the thread is: every notice of a message links there.
THREAD_ANCHOR = "#meldinger"


def order_thread_link(order: Order) -> str:
    return order.get_absolute_url() + THREAD_ANCHOR


def order_message_check(text: str) -> str:
    """The message as it is kept (without surrounding blanks), or a refusal under `text`: empty,
    too long, a control character, a national id number or words about someone's health."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")}, code="required")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The message is too long: at most %(max)s characters, it has %(length)s.")
                % {"max": MESSAGE_MAX_LENGTH, "length": len(text)}
            },
            code="max_length",
        )
    texts_validate({"text": text}, multiline=("text",))
    sensitive_text_check(text, field="text")
    return text


def _customer_recipients(order: Order, actor) -> list:
    """Who on the customer's side hears of a staff message: the order's submitter (while they
    may still see the order) and the users who may confirm the order's department's orders."""
    recipients = users_with_capability(
        department=order.department, capability=Capability.CONFIRM_ORDERS
    )
    submitter = order.submitted_by
    if (
        submitter is not None
        and submitter.is_active
        and not ORDERS.writes_as_staff(submitter)
        and ORDERS.may_read_messages(submitter, order)
    ):
        recipients.append(submitter)
    return [user for user in recipients if user.pk != actor.pk]


@transaction.atomic
def order_message_post(*, order: Order, actor, text: str) -> OrderMessage:
    """Write a message on `order` and tell the other side: the KA/KAM (customer service when the
    customer has none) when a customer writes, the customer's submitter and approvers when staff
    write. The author has read the thread up to their own message."""
    if not ORDERS.may_write_message(actor, order):
        raise PermissionDenied(_("You may not write messages on this order."))
    text = order_message_check(text)
    from_staff = ORDERS.writes_as_staff(actor)
    message = OrderMessage.objects.create(
        order=order, author=actor, from_staff=from_staff, text=text, created_at=timezone.now()
    )
    order_messages_mark_read(order=order, user=actor, up_to=message.pk)
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=message,
        object_repr=_("Message on order %(number)s") % {"number": order.number},
    )
    customer = order.department.customer
    if from_staff:
        recipients = _customer_recipients(order, actor)
        text_of_notice = _("New message on order %(number)s") % {"number": order.number}
    else:
        recipients = [user for user in account_managers_of(customer) if user.pk != actor.pk]
        text_of_notice = _("New message from %(customer)s on order %(number)s") % {
            "customer": customer.name,
            "number": order.number,
        }
    notification_send(
        recipients=recipients,
        text=text_of_notice,
        link=order_thread_link(order),
        mail_template="portal/email/order_message.txt",
        context={"order": order, "customer": customer, "from_staff": from_staff},
    )
    emit("order.message_posted", order_message_payload(message))
    return message


def order_messages_mark_read(*, order: Order, user, up_to: int) -> None:
    """The user has read `order`'s messages up to the one with id `up_to`; their notices of
    those messages are read too. The marker only moves forward (two tabs may race)."""
    if not user.is_authenticated:
        return
    updated = OrderMessageRead.objects.filter(user_id=user.pk, order_id=order.pk).update(
        last_read_id=Greatest(F("last_read_id"), up_to)
    )
    if not updated:
        _, created = OrderMessageRead.objects.get_or_create(
            user_id=user.pk, order_id=order.pk, defaults={"last_read_id": up_to}
        )
        if not created:  # made by a request beside this one meanwhile
            OrderMessageRead.objects.filter(user_id=user.pk, order_id=order.pk).update(
                last_read_id=Greatest(F("last_read_id"), up_to)
            )
    notifications_mark_read(
        Notification.objects.filter(recipient_id=user.pk, link=order_thread_link(order))
    )
