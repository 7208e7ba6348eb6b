"""The figures of the Info page: what waits for the user, counted in the database.

Every figure is scoped through `permissions.scoping` with the capability of the list it links
to, so the number on Info is the number of rows that list shows. Each block is `None` when the
user lacks its capability (the page then leaves it out). Each costs one or two queries, however
many rows there are.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone

from permissions.capabilities import Capability
from permissions.policies import (
    APPOINTMENTS,
    DEPARTMENTS,
    EMPLOYEES,
    EXPOSURES,
    INVOICES,
    ORDERS,
)
from permissions.scoping import (
    ALL,
    department_ids,
    has_capability_anywhere,
    is_unscoped,
)
from portal.models import (
    Appointment,
    BookingMonth,
    Department,
    Employee,
    Exposure,
    Invoice,
    Order,
    SurveillanceDue,
)
from portal.models.appointments import seats_taken
from portal.models.invoices import InvoiceStatus
from portal.models.orders import OrderStatus
from portal.reports.period import report_url
from portal.surveillance import DueStatus

from .periods import local_midnight, month_start, months_add
from .surveillance import due_list_counts

UPCOMING_DAYS = 30
HEALTH_CHECK_MONTHS = 24
CUSTOMER_LIST_LENGTH = 5
STAFF_LIST_LENGTH = 10


def changelist_url(model, **params) -> str:
    """The admin list of `model`, filtered by its search panel's parameters."""
    url = reverse(f"admin:portal_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


# -- shared expressions ------------------------------------------------------------------------


def health_check_booked(user, *, since: datetime.date) -> int:
    """How many of the active employees `user` may see hold a seat on a health check in a
    month from `since` (a first of the month) on, upcoming ones included: counted from the
    monthly figures (`BookingMonth`, which hold each employee's department and whether they
    are active), as the health check coverage report counts its «Booked», on the index of the
    departments' months, rather than by matching every employee with the bookings of two
    years."""
    departments = DEPARTMENTS.instances_for(user, Capability.VIEW_EMPLOYEES)
    return (
        BookingMonth.objects.filter(
            department__in=departments,
            month__gte=since,
            product_group__is_health_check=True,
            is_active=True,
            seats__gt=0,
        )
        .values("employee_id")
        .distinct()
        .count()
    )


def appointment_days(appointments: QuerySet) -> QuerySet:
    """Appointments summed up per day, order and place: a day of health checks at Bergen is
    one line ("21 appointments 08:00–15:00, 5 free seats"), not 21."""
    return (
        appointments.annotate(free=Greatest(F("capacity") - seats_taken(), 0))
        .annotate(day=TruncDate("starts_at"))
        .values(
            "day",
            "location",
            "order_id",
            "order__number",
            "order__department__name",
            "order__department__customer__name",
        )
        .annotate(
            appointments=Count("pk"),
            first_start=Min("starts_at"),
            last_end=Max("ends_at"),
            free_seats=Sum("free"),
        )
        .order_by("first_start", "order__number", "location")
    )


# -- the customer's Info -----------------------------------------------------------------------


@dataclass
class AwaitingOrders:
    count: int
    orders: list[Order]
    url: str


@dataclass
class AppointmentSummary:
    count: int
    free_seats: int
    days: list[dict]
    url: str | None
    today: int = 0
    tomorrow: int = 0


@dataclass
class OverdueInvoices:
    count: int
    amount: Decimal
    url: str
    customers: list[dict] = field(default_factory=list)


@dataclass
class EmployeeSummary:
    active: int
    without_health_check: int
    active_url: str
    without_health_check_url: str


def account_managers(user) -> list:
    """The KA/KAM of every customer the user holds a capability on, with their phone."""
    ids: set[int] = set()
    for capability in Capability:
        granted = department_ids(user, capability)
        if granted is ALL:
            return []  # staff: the provider's own people
        ids.update(granted)
    if not ids:
        return []
    managers = Department.objects.filter(pk__in=sorted(ids)).values("customer__account_manager")
    return list(
        get_user_model()
        .objects.filter(pk__in=managers, is_active=True)
        .select_related("staff_profile")
        .order_by("first_name", "last_name", "pk")
    )


def orders_awaiting_customer(user) -> AwaitingOrders | None:
    """The orders the user may confirm («Bekreft bestilling»), newest first."""
    confirmable = department_ids(user, Capability.CONFIRM_ORDERS)
    visible = department_ids(user, Capability.VIEW_ORDERS)
    if not (
        has_capability_anywhere(user, Capability.CONFIRM_ORDERS)
        and has_capability_anywhere(user, Capability.VIEW_ORDERS)
    ):
        return None
    orders = ORDERS.narrow(
        ORDERS.narrow(Order.objects.awaiting_customer(), user, Capability.CONFIRM_ORDERS),
        user,
        Capability.VIEW_ORDERS,
    )
    params: dict[str, object] = {"status": OrderStatus.AWAITING_CUSTOMER.value}
    if confirmable is not ALL and confirmable != visible and len(confirmable) == 1:
        # The list shows what the user sees; narrow it to what they may confirm.
        params["department"] = next(iter(confirmable))
    return AwaitingOrders(
        count=orders.count(),
        orders=list(orders.for_list().order_by("-order_date", "-number")[:CUSTOMER_LIST_LENGTH]),
        url=changelist_url(Order, **params),
    )


def _appointments_url(request, **params) -> str | None:
    """The appointment list, filtered, where the user may open it; else None (each line then
    links to its order, whose page lists its appointments). Cancelled ones are left out, as
    they are from every figure."""
    try:
        model_admin = admin.site.get_model_admin(Appointment)
    except NotRegistered:
        return None
    if not model_admin.has_view_permission(request):
        return None
    return changelist_url(Appointment, **params, is_cancelled__exact=0)


def appointments_upcoming(request, *, now: datetime.datetime) -> AppointmentSummary | None:
    """The appointments of the user's orders from now to 30 days ahead (not yet ended, and
    starting by the 30th day), and the seats still free on those open for booking."""
    user = request.user
    if not has_capability_anywhere(user, Capability.VIEW_ORDERS):
        return None
    last_day = timezone.localdate(now) + datetime.timedelta(days=UPCOMING_DAYS)
    appointments = APPOINTMENTS.narrow(
        Appointment.objects.upcoming(now).filter(
            is_cancelled=False, starts_at__lt=local_midnight(last_day + datetime.timedelta(days=1))
        ),
        user,
        Capability.VIEW_ORDERS,
    )
    totals = appointments.annotate(free=Greatest(F("capacity") - seats_taken(), 0)).aggregate(
        count=Count("pk"),
        free_seats=Coalesce(Sum("free", filter=Q(booking_deadline__gt=now)), 0),
    )
    open_days = appointment_days(appointments.filter(booking_deadline__gt=now))
    return AppointmentSummary(
        count=totals["count"],
        free_seats=totals["free_seats"],
        days=list(open_days.filter(free_seats__gt=0)[:CUSTOMER_LIST_LENGTH]),
        # The list's own "upcoming" filter: not yet ended, as counted here.
        url=_appointments_url(request, when="upcoming", starts_at__date__lte=last_day.isoformat()),
    )


def invoices_overdue(user, *, today: datetime.date) -> OverdueInvoices | None:
    if not has_capability_anywhere(user, Capability.VIEW_INVOICES):
        return None
    invoices = INVOICES.narrow(
        Invoice.objects.with_status_value(InvoiceStatus.OVERDUE, today=today),
        user,
        Capability.VIEW_INVOICES,
    )
    totals = invoices.aggregate(count=Count("pk"), amount=Coalesce(Sum("outstanding"), Decimal(0)))
    return OverdueInvoices(
        count=totals["count"],
        amount=totals["amount"],
        url=changelist_url(Invoice, status=InvoiceStatus.OVERDUE.value),
    )


def employees_summary(user, *, now: datetime.datetime) -> EmployeeSummary | None:
    """Active employees, and how many of them have no health check booked in the last 24
    months: from the first of the month 24 months ago, the months of the coverage report the
    figure links to, and on (a booking to come counts)."""
    if not has_capability_anywhere(user, Capability.VIEW_EMPLOYEES):
        return None
    today = timezone.localdate(now)
    since = month_start(months_add(today, -HEALTH_CHECK_MONTHS))
    active = EMPLOYEES.narrow(Employee.objects.active(), user, Capability.VIEW_EMPLOYEES).count()
    return EmployeeSummary(
        active=active,
        without_health_check=active - health_check_booked(user, since=since),
        active_url=changelist_url(Employee, active="active"),
        without_health_check_url=report_url(since, today, anchor="helsekontroll"),
    )


@dataclass
class SurveillanceSummary:
    overdue: int
    overdue_url: str


def surveillance_overdue(user, *, today: datetime.date) -> SurveillanceSummary | None:
    """How many employees are overdue for a check of health surveillance; None where the due
    list is empty (no exposures registered says nothing about who is due). One query."""
    if not has_capability_anywhere(user, Capability.VIEW_EMPLOYEES):
        return None
    exposures = EXPOSURES.narrow(Exposure.objects.all(), user, Capability.VIEW_EMPLOYEES)
    counts = due_list_counts(exposures, today)
    if not counts["listed"]:
        return None
    return SurveillanceSummary(
        overdue=counts["overdue"],
        overdue_url=changelist_url(SurveillanceDue, status=DueStatus.OVERDUE.value),
    )


# -- the provider's Info -----------------------------------------------------------------------


@dataclass
class StaffOrders:
    to_confirm: int
    to_confirm_own: int
    to_deliver: int
    to_deliver_own: int
    orders: list[Order]
    to_confirm_url: str
    to_deliver_url: str


def staff_orders_waiting(user) -> StaffOrders | None:
    """Orders waiting for the provider: to confirm as seller, and approved ones to deliver;
    the user's own customers first, then those that have waited longest."""
    if not is_unscoped(user, Capability.CONFIRM_ORDERS):
        return None
    waiting = Order.objects.filter(
        status__in=[OrderStatus.AWAITING_SELLER, OrderStatus.APPROVED]
    ).order_by()
    # By the customers' department ids, not by joining every waiting order to its customer.
    own = Q(department__in=Department.objects.managed_by(user))
    confirm, deliver = Q(status=OrderStatus.AWAITING_SELLER), Q(status=OrderStatus.APPROVED)
    totals = waiting.aggregate(
        to_confirm=Count("pk", filter=confirm),
        to_confirm_own=Count("pk", filter=confirm & own),
        to_deliver=Count("pk", filter=deliver),
        to_deliver_own=Count("pk", filter=deliver & own),
    )
    ranked = waiting.annotate(
        own_customer=Case(When(own, then=Value(0)), default=Value(1)),
        step=Case(When(confirm, then=Value(0)), default=Value(1)),
    ).order_by("own_customer", "step", "order_date", "number")
    # The first ids sorted over the orders alone, then those orders with what the list shows.
    first = list(ranked.values_list("pk", flat=True)[:STAFF_LIST_LENGTH])
    return StaffOrders(
        **totals,
        orders=list(
            ranked.filter(pk__in=first).select_related("department__customer", "product_group")
        ),
        to_confirm_url=changelist_url(Order, status=OrderStatus.AWAITING_SELLER.value),
        to_deliver_url=changelist_url(Order, status=OrderStatus.APPROVED.value),
    )


def staff_appointments_soon(request, *, now: datetime.datetime) -> AppointmentSummary | None:
    """Today's and tomorrow's appointments, a line per day, order and place."""
    user = request.user
    if not is_unscoped(user, Capability.VIEW_ORDERS):
        return None
    today = timezone.localdate(now)
    tomorrow = today + datetime.timedelta(days=1)
    appointments = Appointment.objects.filter(
        is_cancelled=False,
        starts_at__gte=local_midnight(today),
        starts_at__lt=local_midnight(today + datetime.timedelta(days=2)),
    )
    tomorrow_starts = local_midnight(tomorrow)
    totals = appointments.annotate(free=Greatest(F("capacity") - seats_taken(), 0)).aggregate(
        count=Count("pk"),
        today=Count("pk", filter=Q(starts_at__lt=tomorrow_starts)),
        tomorrow=Count("pk", filter=Q(starts_at__gte=tomorrow_starts)),
        free_seats=Coalesce(Sum("free"), 0),
    )
    return AppointmentSummary(
        count=totals["count"],
        today=totals["today"],
        tomorrow=totals["tomorrow"],
        free_seats=totals["free_seats"],
        days=list(appointment_days(appointments)[:STAFF_LIST_LENGTH]),
        url=_appointments_url(
            request,
            starts_at__date__gte=today.isoformat(),
            starts_at__date__lte=tomorrow.isoformat(),
        ),
    )


def staff_invoices_overdue(user, *, today: datetime.date) -> OverdueInvoices | None:
    """Overdue invoices per customer, the largest amounts first."""
    if not is_unscoped(user, Capability.VIEW_INVOICES):
        return None
    overdue = Invoice.objects.with_status_value(InvoiceStatus.OVERDUE, today=today).order_by()
    totals = overdue.aggregate(count=Count("pk"), amount=Coalesce(Sum("outstanding"), Decimal(0)))
    customers = list(
        overdue.values(
            customer_id=F("payer__customer_id"), customer_name=F("payer__customer__name")
        )
        .annotate(count=Count("pk"), amount=Sum("outstanding"))
        .order_by("-amount", "customer_name")[:STAFF_LIST_LENGTH]
    )
    payers = _department_ids_by_customer([row["customer_id"] for row in customers])
    for row in customers:
        row["url"] = changelist_url(
            Invoice,
            status=InvoiceStatus.OVERDUE.value,
            payer__in=",".join(str(pk) for pk in payers.get(row["customer_id"], [])),
        )
    return OverdueInvoices(
        count=totals["count"],
        amount=totals["amount"],
        url=changelist_url(Invoice, status=InvoiceStatus.OVERDUE.value),
        customers=customers,
    )


def _department_ids_by_customer(customer_ids: list[int]) -> dict[int, list[int]]:
    """The invoice list filters by payer: a customer is its departments (one query)."""
    payers: dict[int, list[int]] = {}
    for customer_id, department_id in (
        Department.objects.filter(customer_id__in=customer_ids)
        .order_by("pk")
        .values_list("customer_id", "pk")
    ):
        payers.setdefault(customer_id, []).append(department_id)
    return payers
