"""What is new in the orders' threads («Meldinger»), for one user.

A message is unread for a user when someone else wrote it after the last one they read
(`OrderMessageRead`). Every figure is worked out in the database, a query or two whatever the
number of orders: the order list counts its rows' unread messages in its own query.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from permissions.capabilities import Capability
from permissions.policies import ORDER_MESSAGES
from permissions.scoping import has_capability_anywhere, is_unscoped
from portal.models import Order, OrderMessage, OrderMessageRead

INFO_LIST_LENGTH = 10


def order_thread(order: Order) -> list[OrderMessage]:
    """The order's messages, oldest first (newest last), with their authors."""
    return list(order.messages.select_related("author").order_by("created_at", "pk"))


def last_read_id(*, order: Order, user) -> int:
    marker = (
        OrderMessageRead.objects.filter(user_id=user.pk, order_id=order.pk)
        .values_list("last_read_id", flat=True)
        .first()
    )
    return marker or 0


def _unread(messages: QuerySet, user) -> QuerySet:
    """`messages` narrowed to those `user` has not read: by others, after their marker."""
    read = OrderMessageRead.objects.filter(
        user_id=user.pk, order_id=OuterRef("order_id"), last_read_id__gte=OuterRef("pk")
    )
    return messages.exclude(author_id=user.pk).filter(~Exists(read))


def unread_count(user):
    """An annotation for a list of orders: how many of each order's messages `user` has not
    read (a subquery per row of the page, in the list's own query)."""
    unread = _unread(OrderMessage.objects.filter(order_id=OuterRef("pk")), user)
    counted = unread.order_by().values("order_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class UnreadMessages:
    count: int
    orders: list[Order]


def orders_with_unread_messages(user) -> UnreadMessages | None:
    """The orders the user may see with messages they have not read, the latest first; each
    order's `unread_messages` says how many."""
    if not has_capability_anywhere(user, Capability.VIEW_ORDERS):
        return None
    messages = ORDER_MESSAGES.narrow(OrderMessage.objects.all(), user, Capability.VIEW_ORDERS)
    per_order = (
        _unread(messages, user)
        .order_by()
        .values("order_id")
        .annotate(unread=Count("pk"), latest=Max("created_at"))
        .order_by("-latest", "-order_id")
    )
    rows = list(per_order[:INFO_LIST_LENGTH])
    count = len(rows) if len(rows) < INFO_LIST_LENGTH else per_order.count()
    return UnreadMessages(count=count, orders=_orders_of(rows, unread=True))


def _orders_of(rows: list[dict], *, unread: bool) -> list[Order]:
    """The orders of `rows` (`order_id` and what was counted), in their order, for a list."""
    orders = (
        Order.objects.for_list()
        .select_related("department__customer")
        .in_bulk([row["order_id"] for row in rows])
    )
    listed = []
    for row in rows:
        order = orders[row["order_id"]]
        if unread:
            order.unread_messages = row["unread"]
        else:
            order.waiting_since = row["since"]
            order.unanswered = row["unanswered"]
        listed.append(order)
    return listed


@dataclass
class UnansweredMessages:
    count: int
    orders: list[Order]


def orders_awaiting_answer(user) -> UnansweredMessages | None:
    """For staff: the orders whose customer has written and no one at the provider has answered
    since, the one waiting longest first (`waiting_since`, its first unanswered message)."""
    if not is_unscoped(user, Capability.VIEW_ORDERS):
        return None
    answered = OrderMessage.objects.filter(
        order_id=OuterRef("order_id"), from_staff=True, pk__gt=OuterRef("pk")
    )
    per_order = (
        OrderMessage.objects.filter(from_staff=False)
        .filter(~Exists(answered))
        .order_by()
        .values("order_id")
        .annotate(since=Min("created_at"), unanswered=Count("pk"))
        .order_by("since", "order_id")
    )
    rows = list(per_order[:INFO_LIST_LENGTH])
    count = len(rows) if len(rows) < INFO_LIST_LENGTH else per_order.count()
    return UnansweredMessages(count=count, orders=_orders_of(rows, unread=False))
