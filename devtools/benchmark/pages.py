"""What is measured: the lists with the sample values of their variants, and the object pages
with the heaviest row of each."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Max, Model, Q, QuerySet, Value, When
from django.utils import timezone

from permissions.capabilities import Capability
from permissions.scoping import department_ids
from portal.filters import EmployeeFilterSet, InvoiceFilterSet, OrderFilterSet
from portal.filters.surveillance import SurveillanceFilterSet
from portal.models import (
    Appointment,
    Booking,
    Customer,
    Employee,
    Invoice,
    Order,
    SurveillanceDue,
)


@dataclass(frozen=True)
class Variant:
    """One way of asking for a list: query parameters, and the column to sort by (by name: its
    index differs between users, whose lists have other columns)."""

    name: str
    params: dict = field(default_factory=dict)
    sort: tuple[str, bool] | None = None  # (list_display name, descending)


@dataclass(frozen=True)
class Sample:
    """A variant whose values come from the user's rows: `pick(rows, customer_id)` gives its
    parameters, or None when the user has no row to take them from. `filters` are the search
    panel's fields it fills; a user whose panel lacks one (a staff-only filter) skips it."""

    name: str
    pick: Callable[[QuerySet, int | None], dict | None]
    filters: frozenset = frozenset()


@dataclass(frozen=True)
class ListPage:
    """A changelist. `same_rows(customer_user, customer_id)` gives the query parameters that
    narrow the superuser's list to the customer user's rows (None: no overhead measured)."""

    page: str
    model: type[Model]
    capability: Capability | None  # None: a staff-only list, not scoped
    samples: tuple[Sample, ...]
    filterset: type | None = None
    same_rows: Callable[[object, int | None], dict] | None = None


@dataclass(frozen=True)
class FormPage:
    """A page with a form to fill in, for users whose model admin lets them add (`model`), or
    «Book på timeavtaler» (`model` None) for those who may book. `selects` employees for it
    first: the page books the employees picked in the list."""

    page: str
    url_name: str
    variant: str
    model: type[Model] | None = None
    selects: bool = False


@dataclass(frozen=True)
class DetailPage:
    """The heaviest object the user may see: `heaviest` annotates `benchmark_rows` (the rows
    its page lists) and orders the heaviest first."""

    page: str
    model: type[Model]
    capability: Capability | None
    variant: str
    heaviest: Callable[[QuerySet], QuerySet]


# -- sample values, one aggregate query each ------------------------------------------------------


def most_common(rows: QuerySet, field_name: str):
    """The value of `field_name` on most of `rows` (ties: the smallest), or None."""
    row = (
        rows.exclude(**{f"{field_name}__isnull": True})
        .order_by()
        .values(field_name)
        .annotate(benchmark_rows=Count("pk"))
        .order_by("-benchmark_rows", field_name)
        .first()
    )
    return None if row is None else row[field_name]


def _param(name: str, value) -> dict | None:
    return None if value in (None, "") else {name: str(value)}


def _most_common(param: str, field_name: str, narrow=lambda rows: rows):
    return lambda rows, customer: _param(param, most_common(narrow(rows), field_name))


def _year_until_newest(field_name: str):
    """A year of rows, up to the newest the user has (ISO dates: every language reads them)."""

    def pick(rows, customer):
        newest = rows.aggregate(newest=Max(field_name))["newest"]
        if newest is None:
            return None
        start = newest - datetime.timedelta(days=364)
        return {
            f"{field_name}_after": start.isoformat(),
            f"{field_name}_before": newest.isoformat(),
        }

    return pick


def _newest(field_name: str, date_field: str, prefix: bool = False):
    def pick(rows, customer):
        number = rows.order_by(f"-{date_field}", "-pk").values_list(field_name, flat=True).first()
        if number and prefix:
            number = number.split("-")[0] + "-" if "-" in number else number[:4]
        return _param(field_name, number)

    return pick


def _number_part(date_field: str):
    """Four digits from inside the newest number, as a user types what they remember of it:
    "9046" of 290467, "1837" of 2018-118371."""

    def pick(rows, customer):
        number = rows.order_by(f"-{date_field}", "-pk").values_list("number", flat=True).first()
        digits = str(number or "").rsplit("-", 1)[-1]
        return _param("number", digits[1:5] if len(digits) >= 5 else None)

    return pick


def _fixed(params: dict):
    return lambda rows, customer: params


def _active(rows):
    return rows.filter(is_active=True)


def _invoice_status(rows, customer):
    return _param("status", most_common(rows.with_status(), "status_value"))


def _customer(rows, customer):
    return _param("customer", customer)


def _same_customer(user, customer) -> dict:
    return _param("customer", customer) or {}


def _departments_of(capability: Capability, param: str):
    def restrict(user, customer):
        return {param: ",".join(str(pk) for pk in sorted(department_ids(user, capability)))}

    return restrict


def _heaviest_by(relation: str):
    return lambda rows: rows.annotate(benchmark_rows=Count(relation)).order_by(
        "-benchmark_rows", "-pk"
    )


def _heaviest_invoice(rows):
    """The invoice of an order with the most lines (its page shows the order as well), so that
    worlds of every size measure a page of the same shape."""
    return rows.annotate(
        benchmark_rows=Count("lines"),
        of_an_order=Case(When(order__isnull=False, then=Value(1)), default=Value(0)),
    ).order_by("-of_an_order", "-benchmark_rows", "-pk")


def _heaviest_appointment(rows):
    """The appointment with the most bookings of those still open for booking (its page then
    offers to book more), so that worlds of every size measure a page of the same shape."""
    now = timezone.now()
    open_for_booking = Q(is_cancelled=False, starts_at__gt=now, booking_deadline__gt=now)
    return rows.annotate(
        benchmark_rows=Count("bookings"),
        open_for_booking=Case(When(open_for_booking, then=Value(1)), default=Value(0)),
    ).order_by("-open_for_booking", "-benchmark_rows", "-pk")


def _heaviest_order(rows):
    return rows.annotate(
        benchmark_rows=Count("appointments", distinct=True),
        bookings=Count("appointments__bookings"),
    ).order_by("-bookings", "-benchmark_rows", "-pk")


# -- the pages ------------------------------------------------------------------------------------


LISTS = (
    ListPage(
        "orders list",
        Order,
        Capability.VIEW_ORDERS,
        filterset=OrderFilterSet,
        samples=(
            Sample("search", _newest("number", "order_date"), frozenset({"number"})),
            Sample("search number part", _number_part("order_date"), frozenset({"number"})),
            Sample(
                "filter order date",
                _year_until_newest("order_date"),
                frozenset({"order_date_after", "order_date_before"}),
            ),
            Sample("filter status", _most_common("status", "status"), frozenset({"status"})),
            Sample("filter customer", _customer, frozenset({"customer"})),
            Sample(
                "filter department",
                _most_common("department", "department"),
                frozenset({"department"}),
            ),
            Sample(
                "filter product group",
                _most_common("product_group", "product_group"),
                frozenset({"product_group"}),
            ),
        ),
        same_rows=_same_customer,
    ),
    ListPage(
        "employees list",
        Employee,
        Capability.VIEW_EMPLOYEES,
        filterset=EmployeeFilterSet,
        samples=(
            Sample("search", _most_common("text", "last_name", _active), frozenset({"text"})),
            Sample(
                "filter department",
                _most_common("department", "department", _active),
                frozenset({"department"}),
            ),
            Sample(
                "filter status deactivated",
                _fixed({"active": "deactivated"}),
                frozenset({"active"}),
            ),
            Sample("filter status all", _fixed({"active": "all"}), frozenset({"active"})),
        ),
        same_rows=_departments_of(Capability.VIEW_EMPLOYEES, "department__in"),
    ),
    ListPage(
        "invoices list",
        Invoice,
        Capability.VIEW_INVOICES,
        filterset=InvoiceFilterSet,
        samples=(
            Sample("search", _newest("number", "invoice_date"), frozenset({"number"})),
            Sample(
                "search number prefix",
                _newest("number", "invoice_date", prefix=True),
                frozenset({"number"}),
            ),
            Sample("search number part", _number_part("invoice_date"), frozenset({"number"})),
            Sample(
                "filter invoice date",
                _year_until_newest("invoice_date"),
                frozenset({"invoice_date_after", "invoice_date_before"}),
            ),
            Sample("filter status", _invoice_status, frozenset({"status"})),
        ),
        same_rows=_departments_of(Capability.VIEW_INVOICES, "payer__in"),
    ),
    ListPage(
        "appointments list",
        Appointment,
        Capability.VIEW_ORDERS,
        samples=(
            Sample("search", _most_common("q", "location", lambda rows: rows.exclude(location=""))),
            Sample("filter upcoming", _fixed({"when": "upcoming"})),
            Sample("filter past", _fixed({"when": "past"})),
        ),
        same_rows=_same_customer,
    ),
    ListPage(
        "due list",
        SurveillanceDue,
        Capability.VIEW_EMPLOYEES,
        filterset=SurveillanceFilterSet,
        samples=(
            Sample("search", _most_common("text", "employee__last_name"), frozenset({"text"})),
            Sample(
                "filter department",
                _most_common("department", "employee__department"),
                frozenset({"department"}),
            ),
            Sample(
                "filter exposure",
                _most_common("exposure_type", "exposure_type"),
                frozenset({"exposure_type"}),
            ),
            Sample("filter overdue", _fixed({"status": "overdue"}), frozenset({"status"})),
        ),
    ),
    ListPage(
        "bookings list",
        Booking,
        None,
        samples=(
            Sample("search", _most_common("q", "employee__last_name")),
            Sample("filter attendance", _most_common("attendance__exact", "attendance")),
            Sample("filter e-mail failed", _fixed({"mail_failed_at__isempty": "0"})),
        ),
    ),
)

DETAILS = (
    DetailPage(
        "order page",
        Order,
        Capability.VIEW_ORDERS,
        "most bookings",
        _heaviest_order,
    ),
    DetailPage(
        "employee page",
        Employee,
        Capability.VIEW_EMPLOYEES,
        "most bookings",
        _heaviest_by("bookings"),
    ),
    DetailPage(
        "invoice page",
        Invoice,
        Capability.VIEW_INVOICES,
        "most lines",
        _heaviest_invoice,
    ),
    DetailPage(
        "appointment page",
        Appointment,
        Capability.VIEW_ORDERS,
        "most bookings",
        _heaviest_appointment,
    ),
    DetailPage("customer page", Customer, None, "most departments", _heaviest_by("departments")),
    DetailPage(
        "booking page",
        Booking,
        None,
        "newest",
        lambda rows: rows.annotate(benchmark_rows=Value(None, IntegerField())).order_by("-pk"),
    ),
)

FORMS = (
    FormPage("order form", "admin:portal_order_add", "new order", model=Order),
    FormPage("employee form", "admin:portal_employee_add", "new employee", model=Employee),
    FormPage("booking form", "admin:portal_appointment_book", "50 employees", selects=True),
)
SELECTED_EMPLOYEES = 50
