"""Orders and their events, and the days of the health checks that get appointments."""

import array
import datetime
import math
import time

from django.db.models import Max
from django.utils import timezone

from portal.demo import HK, PRODUCT_GROUPS
from portal.models import Order, OrderEvent, Sequence
from portal.models.orders import OrderState, OrderStatus

from .base import WorldBase
from .names import HEALTH_CHECK_KINDS, ORDER_DESCRIPTIONS
from .plan import DepartmentPlan, apportion, weighted
from .writer import CHUNK

# Above the demo's order numbers (load_demo writes fixed ones), so the two worlds never meet.
ORDER_NUMBER_FLOOR = 400_000

SLOT_MINUTES = 30
SLOTS_PER_DAY = 14  # 08:00 to 15:00

# The order arrays hold a status or a state as its position in the workflow. The world has
# no enquiries («Forespørsel»): its orders were all placed.
STATUSES = [status.value for status in OrderStatus if status != OrderStatus.ENQUIRY]
STATES = [state.value for state in OrderState]
AWAITING_SELLER, AWAITING_CUSTOMER, APPROVED, DELIVERED = range(len(STATUSES))
STARTED, ACTIVE, CLOSED = range(len(STATES))
# Order state by status: awaiting orders mostly not started yet, approved ones active,
# delivered ones mostly closed.
STATE_BY_STATUS = {
    AWAITING_SELLER: ((0.8, STARTED), (0.95, ACTIVE), (1, CLOSED)),
    AWAITING_CUSTOMER: ((0.8, STARTED), (0.95, ACTIVE), (1, CLOSED)),
    APPROVED: ((0.1, STARTED), (1, ACTIVE)),
    DELIVERED: ((0.2, ACTIVE), (1, CLOSED)),
}


class OrderTables(WorldBase):
    """Orders and their events. The orders are drawn first into compact arrays, which the
    appointments and invoices read later."""

    def _skeleton(self) -> None:
        """Each order's department, date, product group, status and state, in compact arrays,
        and the health-check days of the orders that have appointments. Order numbers rise
        with the order date."""
        rng, s = self.rng, self.sizes
        count = s.orders
        groups = [self.product_groups[name] for name, _hc in PRODUCT_GROUPS]
        hk_index = [name for name, _hc in PRODUCT_GROUPS].index(HK)
        group_table = ((0.45, hk_index), (0.7, 1), (0.85, 2), (0.95, 3), (1, -1))
        self.order_groups = groups
        self.hk_index = hk_index
        self.o_department = array.array("i", [0]) * count
        self.o_day = array.array("i", [0]) * count
        self.o_group = array.array("b", [0]) * count
        self.o_status = array.array("b", [0]) * count
        self.o_state = array.array("b", [0]) * count
        span = (self.today - self.start_day).days
        start = self.start_day.toordinal()
        forced = [
            (status, state) for status in range(len(STATUSES)) for state in range(len(STATES))
        ]
        for i in range(count):
            self.o_department[i] = self._department_by_size()
            day = start + (i * span) // count
            self.o_day[i] = day
            age = self.today.toordinal() - day
            if i >= count - len(forced):
                # The newest orders show every status and state, whatever chance did before.
                status, state = forced[i - (count - len(forced))]
                self.o_group[i] = 1
            else:
                self.o_group[i] = weighted(rng, group_table)
                if age > 180:
                    status = weighted(rng, ((0.03, AWAITING_SELLER), (0.05, AWAITING_CUSTOMER),
                                            (0.13, APPROVED), (1, DELIVERED)))  # fmt: skip
                elif age > 30:
                    status = weighted(rng, ((0.05, AWAITING_SELLER), (0.1, AWAITING_CUSTOMER),
                                            (0.55, APPROVED), (1, DELIVERED)))  # fmt: skip
                else:
                    status = weighted(rng, ((0.3, AWAITING_SELLER), (0.5, AWAITING_CUSTOMER),
                                            (0.95, APPROVED), (1, DELIVERED)))  # fmt: skip
                state = weighted(rng, STATE_BY_STATUS[status])
            self.o_status[i], self.o_state[i] = status, state

        # Appointments: health-check orders that are approved or delivered, more for larger
        # departments, never more than the department's employees can fill.
        eligible = [
            i for i in range(count)
            if self.o_group[i] == hk_index and self.o_status[i] in (APPROVED, DELIVERED)
        ]  # fmt: skip
        actives = [self.departments[self.o_department[i]].active for i in eligible]
        today = self.today.toordinal()
        # Recent approved orders weigh double: the season ahead is planned, so a fair share
        # of the appointments lies in the future.
        counts = apportion(
            s.appointments,
            [
                (active + 1) ** 0.8
                * (2 if self.o_status[i] == APPROVED and today - self.o_day[i] < 180 else 1)
                for i, active in zip(eligible, actives, strict=True)
            ],
            minimum=1 if s.appointments >= len(eligible) else 0,
            caps=[max(1, active // 2) if active else 0 for active in actives],
        )
        last_day = [0] * len(self.departments)
        self.schedule: dict[int, tuple[int, int, int]] = {}  # order → first day, count, rooms
        for i, appointments in zip(eligible, counts, strict=True):
            if not appointments:
                continue
            d = self.o_department[i]
            rooms = max(1, math.ceil(appointments / (SLOTS_PER_DAY * 5)))
            # One health-check at a time per department: nobody is booked twice at once.
            lead = rng.randint(10, 90 if self.o_status[i] == APPROVED else 40)
            first = _weekday(max(self.o_day[i] + lead, last_day[d] + 1))
            self.schedule[i] = (first, appointments, rooms)
            last = self._days_of(i)[-1]
            last_day[d] = last
            if self.o_status[i] == DELIVERED and last >= today:
                self.o_status[i] = APPROVED  # not delivered before the last day has been
                if self.o_state[i] == CLOSED:
                    self.o_state[i] = ACTIVE

    def _orders(self) -> None:
        started = time.perf_counter()
        self._skeleton()
        s = self.sizes
        highest = Order.objects.aggregate(m=Max("number"))["m"] or 0
        last = Sequence.objects.filter(name="order").values_list("last_value", flat=True).first()
        self.first_order_number = max(highest, last or 0, ORDER_NUMBER_FLOOR) + 1
        self.last_order_number = self.first_order_number + s.orders - 1
        self.first_order_id = self.writer.first_id(Order)
        self.event_id = self.writer.first_id(OrderEvent)
        order_columns = ("id", "number", "department_id", "contract_id", "product_group_id",
                         "customer_reference", "description", "order_date", "status", "state",
                         "submitted_by_id", "submitted_at", "seller_confirmed_by_id",
                         "seller_confirmed_at", "customer_confirmed_by_id",
                         "customer_confirmed_at", "confirmed_on_behalf", "delivered_by_id",
                         "delivered_at")  # fmt: skip
        event_columns = ("id", "order_id", "actor_id", "field", "from_value", "to_value",
                         "on_behalf_of_customer", "note", "created_at")  # fmt: skip
        # Orders that get an invoice of their own: (invoice day, order index).
        self.invoiced_orders: list[tuple[int, int]] = []
        orders: list[tuple] = []
        events: list[tuple] = []
        for i in range(s.orders):
            orders.append(self._order(i, events))
            if len(orders) >= CHUNK or i == s.orders - 1:
                started = self._write_chunk(
                    started,
                    ("orders", Order, order_columns, orders),
                    ("order events", OrderEvent, event_columns, events),
                )
        self._done("orders", "order events")

    def _order(self, i: int, events: list[tuple]) -> tuple:
        """The i-th order's row, with who took each step and when, consistent with its status;
        its events go to `events`, one per change of status or state as the services write."""
        rng = self.rng
        department = self.departments[self.o_department[i]]
        customer = self.customers[department.customer]
        day = datetime.date.fromordinal(self.o_day[i])
        status, state, group = self.o_status[i], self.o_state[i], self.o_group[i]
        order_id = self.first_order_id + i
        kam = customer.account_manager
        status_field, state_field = OrderEvent.Field.STATUS.value, OrderEvent.Field.STATE.value

        def event(actor, when, field, from_, to, on_behalf=False):
            events.append((self.event_id, order_id, actor, field, from_, to, on_behalf, "", when))
            self.event_id += 1

        def status_step(actor, when, to, on_behalf=False):
            """Into status `to` from the one before it (from none: submitted)."""
            before = STATUSES[to - 1] if to > AWAITING_SELLER else ""
            event(actor, when, status_field, before, STATUSES[to], on_behalf)

        def state_step(when, from_, to):
            event(kam, when, state_field, STATES[from_], STATES[to])

        submitted_by = rng.choice(customer.orderers) if rng.random() < 0.7 else kam
        submitted_at = self._office_time(day)
        if submitted_at > self.now:
            submitted_at = self.now - datetime.timedelta(minutes=rng.randint(1, 120))
        status_step(submitted_by, submitted_at, AWAITING_SELLER)
        seller_by = customer_by = delivered_by = None
        seller_at: datetime.datetime | None = None
        customer_at: datetime.datetime | None = None
        delivered_at: datetime.datetime | None = None
        on_behalf = False
        moments = [submitted_at]
        if status >= AWAITING_CUSTOMER:
            seller_by, seller_at = kam, self._later(submitted_at, 1, 72)
            status_step(kam, seller_at, AWAITING_CUSTOMER)
            moments.append(seller_at)
        if status >= APPROVED:
            on_behalf = rng.random() < 0.15
            customer_by = kam if on_behalf else rng.choice(customer.orderers)
            assert seller_at is not None  # the statuses come in order
            customer_at = self._later(seller_at, 1, 120)
            status_step(customer_by, customer_at, APPROVED, on_behalf)
            moments.append(customer_at)
        if status >= DELIVERED:
            assert customer_at is not None
            after = customer_at
            if i in self.schedule:
                # A health check is delivered after its last day.
                last_day = datetime.date.fromordinal(self._days_of(i)[-1])
                after = max(after, self._at(last_day, 16 * 60))
            delivered_by = kam if rng.random() < 0.8 else rng.choice(self.staff["service"])
            delivered_at = self._later(after, 2, 24 * 20)
            status_step(delivered_by, delivered_at, DELIVERED)
            moments.append(delivered_at)
            if rng.random() < 0.9:
                invoice_day = timezone.localdate(delivered_at) + datetime.timedelta(
                    days=rng.randint(0, 14)
                )
                self.invoiced_orders.append((min(invoice_day, self.today).toordinal(), i))
        if state == CLOSED and status < APPROVED:
            state_step(self._later(moments[-1], 24, 24 * 60), STARTED, CLOSED)
        elif state >= ACTIVE:
            # Active once the customer has confirmed (or as soon as the seller has looked).
            active_at = moments[2] if status >= APPROVED else self._later(moments[-1], 1, 48)
            state_step(active_at, STARTED, ACTIVE)
            if state == CLOSED:
                closed_at = self._later(max(moments[-1], active_at), 1, 24 * 30)
                state_step(closed_at, ACTIVE, CLOSED)
        reference = weighted(rng, ((0.7, customer.contract_reference),
                                    (0.9, f"PO-{rng.randrange(10**5):05d}"), (1, "")))  # fmt: skip
        return (
            order_id, self.first_order_number + i, department.id, customer.contract,
            self.order_groups[group] if group >= 0 else None, reference,
            self._description(group, day, department), day, STATUSES[status], STATES[state],
            submitted_by, submitted_at, seller_by, seller_at,
            customer_by, customer_at, on_behalf, delivered_by, delivered_at,
        )  # fmt: skip

    def _days_of(self, i: int) -> list[int]:
        first, count, rooms = self.schedule[i]
        return _workdays(first, math.ceil(count / (SLOTS_PER_DAY * rooms)))

    def _description(self, group: int, day: datetime.date, department: DepartmentPlan) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            return ""
        if group == self.hk_index:
            return f"Helsekontroll {day.year} - {rng.choice(HEALTH_CHECK_KINDS)}"
        return f"{rng.choice(ORDER_DESCRIPTIONS)} {department.city}"


def _weekday(ordinal: int) -> int:
    """The day itself, or the Monday after a weekend."""
    weekday = datetime.date.fromordinal(ordinal).weekday()
    return ordinal + (7 - weekday if weekday >= 5 else 0)


def _workdays(first: int, count: int) -> list[int]:
    days: list[int] = []
    ordinal = first
    while len(days) < count:
        if datetime.date.fromordinal(ordinal).weekday() < 5:
            days.append(ordinal)
        ordinal += 1
    return days
