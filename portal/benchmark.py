"""How fast the portal's pages answer: `manage.py benchmark`.

Every list (unfiltered at page 1, with each filter of its search panel, searched, sorted by each
sortable column both ways, and a deep page), one heavy object page per model, the start page and
the reports are requested in-process with Django's test client, so a request passes the whole
middleware stack and its template is rendered, as four users: a user of a whole customer, a user
limited to one department, a KA/KAM and a superuser. Each page is requested once untimed, then
`repeat` times timed; the queries of each request are counted.

The sample values (a department, a surname, the order with the most bookings, ...) come from the
rows the user may see, through `permissions.scoping`, one ordered and limited aggregate query
each: nothing here loops over rows, and the same data gives the same page list.

The access layer's cost is the customer user's list against the superuser's list of the same
customer's rows: through the customer filter of the order and appointment lists, and where a
list has no customer filter, through the very predicate the layer adds
(`department__in=<the user's departments>`). An entry says `same_rows: false` when the row
counts differ.

Nothing is written beyond what viewing a page writes (the session); `last_login` and django-axes'
log are left alone.
"""

import datetime
import json
import math
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.db.models import Count, IntegerField, Max, Model, QuerySet, Value
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.two_factor import SECOND_FACTOR_PENDING
from permissions.capabilities import Capability
from permissions.navigation import can_view_reports
from permissions.scoping import department_ids, scope
from portal.filters import EmployeeFilterSet, InvoiceFilterSet, OrderFilterSet
from portal.models import Appointment, Booking, Customer, Department, Employee, Invoice, Order
from portal.reports import REPORTS

CUSTOMER, DEPARTMENT, STAFF, SUPERUSER = "customer", "department", "staff", "superuser"
ROLES = (CUSTOMER, DEPARTMENT, STAFF, SUPERUSER)
CUSTOMER_ROLES = (CUSTOMER, DEPARTMENT)
DEFAULT_USERNAMES = {
    CUSTOMER: "world-kunde",
    DEPARTMENT: "world-avdeling",
    STAFF: "world-kam",
    SUPERUSER: "world-admin",
}

CUSTOMER_MEDIAN_GOAL_MS = 150
CUSTOMER_P95_GOAL_MS = 400
STAFF_LIST_MEDIAN_GOAL_MS = 300
OVERHEAD_GOAL = 1.3
DEEPEST_PAGE = 200
SLOWEST_SHOWN = 5
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


class BenchmarkError(Exception):
    pass


# -- what is measured --------------------------------------------------------------------------


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
    path: str
    samples: tuple[Sample, ...]
    filterset: type | None = None
    same_rows: Callable[[object, int | None], dict] | None = None


@dataclass(frozen=True)
class DetailPage:
    """The heaviest object the user may see: `heaviest` annotates `benchmark_rows` (the rows
    its page lists) and orders the heaviest first."""

    page: str
    model: type[Model]
    capability: Capability | None
    path: str
    variant: str
    heaviest: Callable[[QuerySet], QuerySet]


@dataclass
class Result:
    page: str
    variant: str
    user: str
    url: str
    median_ms: float | None
    p95_ms: float | None
    queries: int | None
    rows: int | None
    status: int | None
    total: int | None = None
    total_estimated: bool = False  # a big staff list shows the planner's estimate
    error: str = ""
    role: str = ""
    rows_of: str = ""  # a superuser's request of this customer user's rows

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def is_list(self) -> bool:
        return self.page.endswith(" list")


@dataclass
class Overhead:
    page: str
    variant: str
    customer_user: str
    superuser: str
    customer_median_ms: float
    superuser_median_ms: float
    ratio: float
    same_rows: bool
    superuser_url: str


@dataclass
class Report:
    users: dict[str, str]
    database: str
    repeat: int
    warm_up: bool
    results: list[Result] = field(default_factory=list)
    overhead: list[Overhead] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Result]:
        return [result for result in self.results if not result.ok]


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


def _fixed(params: dict):
    return lambda rows, customer: params


def _active(rows):
    return rows.filter(is_active=True)


def _invoice_status(rows, customer):
    return _param("status", most_common(rows.with_status(), "status_value"))


def _customer(rows, customer):
    return _param("customer", customer)


def _departments_of(capability: Capability, param: str):
    def restrict(user, customer):
        return {param: ",".join(str(pk) for pk in sorted(department_ids(user, capability)))}

    return restrict


def _heaviest_by(relation: str):
    return lambda rows: rows.annotate(benchmark_rows=Count(relation)).order_by(
        "-benchmark_rows", "-pk"
    )


def _heaviest_order(rows):
    return rows.annotate(
        benchmark_rows=Count("appointments", distinct=True),
        bookings=Count("appointments__bookings"),
    ).order_by("-bookings", "-benchmark_rows", "-pk")


LISTS = (
    ListPage(
        "orders list",
        Order,
        Capability.VIEW_ORDERS,
        "department",
        filterset=OrderFilterSet,
        samples=(
            Sample("search", _newest("number", "order_date"), frozenset({"number"})),
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
        same_rows=lambda user, customer: _param("customer", customer) or {},
    ),
    ListPage(
        "employees list",
        Employee,
        Capability.VIEW_EMPLOYEES,
        "department",
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
        "payer",
        filterset=InvoiceFilterSet,
        samples=(
            Sample("search", _newest("number", "invoice_date"), frozenset({"number"})),
            Sample(
                "search number prefix",
                _newest("number", "invoice_date", prefix=True),
                frozenset({"number"}),
            ),
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
        "order__department",
        samples=(
            Sample("search", _most_common("q", "location", lambda rows: rows.exclude(location=""))),
            Sample("filter upcoming", _fixed({"when": "upcoming"})),
            Sample("filter past", _fixed({"when": "past"})),
        ),
        same_rows=lambda user, customer: _param("customer", customer) or {},
    ),
    ListPage(
        "bookings list",
        Booking,
        None,
        "appointment__order__department",
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
        "department",
        "most bookings",
        _heaviest_order,
    ),
    DetailPage(
        "employee page",
        Employee,
        Capability.VIEW_EMPLOYEES,
        "department",
        "most bookings",
        _heaviest_by("bookings"),
    ),
    DetailPage(
        "invoice page",
        Invoice,
        Capability.VIEW_INVOICES,
        "payer",
        "most lines",
        _heaviest_by("lines"),
    ),
    DetailPage(
        "appointment page",
        Appointment,
        Capability.VIEW_ORDERS,
        "order__department",
        "most bookings",
        _heaviest_by("bookings"),
    ),
    DetailPage(
        "customer page", Customer, None, "", "most departments", _heaviest_by("departments")
    ),
    DetailPage(
        "booking page",
        Booking,
        None,
        "",
        "newest",
        lambda rows: rows.annotate(benchmark_rows=Value(None, IntegerField())).order_by("-pk"),
    ),
)


# -- users ---------------------------------------------------------------------------------------


ROLE_NAMES = {
    CUSTOMER: "customer user",
    DEPARTMENT: "department user",
    STAFF: "staff user",
    SUPERUSER: "superuser",
}


def users_resolve(usernames: dict[str, str]) -> dict:
    """The users by role, in the order of ROLES; every one missing or inactive is named."""
    found = get_user_model().objects.in_bulk(list(usernames.values()), field_name="username")
    users, problems = {}, []
    for role in (role for role in ROLES if role in usernames):
        username = usernames[role]
        user = found.get(username)
        option = "--superuser" if role == SUPERUSER else f"--{role}-user"
        if user is None:
            problems.append(f"there is no user '{username}' (the {ROLE_NAMES[role]}, {option})")
        elif not user.is_active:
            problems.append(f"the {ROLE_NAMES[role]} '{username}' is not active ({option})")
        else:
            users[role] = user
    if problems:
        raise BenchmarkError(
            "; ".join(problems).capitalize()
            + ". Create them (generate_world makes the world-* users), name others with the "
            "options, or leave roles out with --users."
        )
    return users


def target_customer(customer_user) -> int | None:
    """The customer whose rows the staff's customer filter and the overhead compare: the customer
    user's own, else the one with the most orders."""
    ids = set()
    if customer_user is not None:
        for capability in Capability:
            ids |= department_ids(customer_user, capability) or set()
    if ids:
        return most_common(Department.objects.filter(pk__in=sorted(ids)), "customer")
    return most_common(Order.objects.all(), "department__customer")


@contextmanager
def portal_as_deployed():
    """Requests as a browser's would go, outside the test runner: the test client's host,
    queries not kept (DEBUG off), no second factor asked, django-axes out of the way (its
    login log untouched) and no error mail to the admins for a page that fails."""
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        DEBUG=False,
        PORTAL_REQUIRE_STAFF_2FA=False,
        AXES_ENABLED=False,
        ADMINS=[],
    ):
        yield


def client_signed_in(user) -> Client:
    """A client with a session of `user`; the sign-in itself records nothing (last_login stays
    as it was) and owes no second factor."""
    client = Client(raise_request_exception=False)
    quiet = user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
    try:
        client.force_login(user, backend=LOGIN_BACKEND)
    finally:
        if quiet:
            user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
    session = client.session
    if session.pop(SECOND_FACTOR_PENDING, None) is not None:
        session.save()
    return client


def _request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# -- measuring -----------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: with five requests the 95th percentile is the slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _error_of(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"redirect to {response.get('Location', '?')}"
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        return f"{exc_info[0].__name__}: {exc_info[1]}"[:300]
    return f"HTTP {response.status_code}"


def _rows_of(response) -> tuple[int | None, int | None, bool]:
    """(rows shown, rows in all pages, whether that is an estimate) of a list; the rows of the
    report tables; else None."""
    context = getattr(response, "context_data", None) or {}
    changelist = context.get("cl")
    if changelist is not None:
        estimated = bool(getattr(changelist, "result_count_estimated", False))
        return len(changelist.result_list), changelist.result_count, estimated
    if "reports" in context:
        rows = sum(len(item["result"].table.rows) for item in context["reports"])
        return rows, rows, False
    return None, None, False


class Benchmark:
    def __init__(self, *, users: dict, repeat: int, warm_up: bool, pages: str = "", progress=None):
        self.users = users
        self.repeat = max(1, repeat)
        self.warm_up = warm_up
        self.pages = (pages or "").lower()
        self.progress = progress or (lambda text: None)
        self.customer = target_customer(users.get(CUSTOMER))
        self.report = Report(
            users={role: user.username for role, user in users.items()},
            database=f"{connection.vendor} ({connection.settings_dict['NAME']})",
            repeat=self.repeat,
            warm_up=warm_up,
        )
        self.variants: dict[tuple[str, str], list[tuple[Variant, Result]]] = {}
        self.columns: dict[tuple[str, str], list[str]] = {}

    def wanted(self, page: str) -> bool:
        return self.pages in page.lower()

    def measure(self, client, page, variant, role, path, params=None, *, rows_of="") -> tuple:
        url = f"{path}?{urlencode(params)}" if params else path
        if self.warm_up:
            client.get(url, secure=True)
        timings, queries = [], []
        for _ in range(self.repeat):
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                start = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - start) * 1000)
            queries.append(counter.count)
            if response.status_code != 200:
                break
        rows, total, estimated = _rows_of(response)
        result = Result(
            page=page,
            variant=variant,
            user=self.report.users[role],
            url=url,
            median_ms=round(statistics.median(timings), 1),
            p95_ms=round(percentile(timings, 0.95), 1),
            queries=sorted(queries)[len(queries) // 2],
            rows=rows,
            status=response.status_code,
            total=total,
            total_estimated=estimated,
            error="" if response.status_code == 200 else _error_of(response),
            role=role,
            rows_of=rows_of,
        )
        self.report.results.append(result)
        return result, response

    def run(self) -> Report:
        with portal_as_deployed():
            for role, user in self.users.items():
                client = client_signed_in(user)
                try:
                    self.run_user(client, role, user)
                finally:
                    client.logout()
            if CUSTOMER in self.users and SUPERUSER in self.users:
                client = client_signed_in(self.users[SUPERUSER])
                try:
                    self.run_overhead(client)
                finally:
                    client.logout()
        return self.report

    def run_user(self, client, role, user):
        request = _request_as(user)
        for spec in LISTS:
            model_admin = admin.site.get_model_admin(spec.model)
            if self.wanted(spec.page) and model_admin.has_view_or_change_permission(request):
                self.progress(f"{user.username}: {spec.page}")
                self.run_list(client, role, user, spec, request)
        for spec in DETAILS:
            model_admin = admin.site.get_model_admin(spec.model)
            if self.wanted(spec.page) and model_admin.has_view_or_change_permission(request):
                self.run_detail(client, role, user, spec)
        if self.wanted("start page"):
            self.progress(f"{user.username}: start page")
            self.measure(client, "start page", "Info", role, reverse("admin:index"))
        if can_view_reports(request):
            self.run_reports(client, role, user)

    def _rows(self, spec, user) -> QuerySet:
        rows = spec.model._default_manager.all()
        if spec.capability is None:
            return rows
        return scope(rows, user, spec.capability, path=spec.path)

    def _samples(self, spec: ListPage, user, request) -> list[Variant]:
        panel = None
        if spec.filterset is not None:
            panel = set(spec.filterset(request=request).filters)
            covered = set().union(*(sample.filters for sample in spec.samples))
            for name in sorted(panel - covered):
                self.note(f"{spec.page}: no sample value for the filter '{name}'")
        rows = self._rows(spec, user)
        variants = []
        for sample in spec.samples:
            if panel is not None and not sample.filters <= panel:
                continue
            params = sample.pick(rows, self.customer)
            if params is None:
                self.note(
                    f"{spec.page}, {sample.name} ({user.username}): no rows to take a value from"
                )
                continue
            variants.append(Variant(sample.name, params))
        return variants

    def note(self, text: str):
        if text not in self.report.notes:
            self.report.notes.append(text)

    def list_url(self, spec) -> str:
        opts = spec.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def run_list(self, client, role, user, spec, request):
        path = self.list_url(spec)
        measured = []
        first, response = self.measure(client, spec.page, "all", role, path)
        measured.append((Variant("all"), first))
        for variant in self._samples(spec, user, request):
            result, _response = self.measure(
                client, spec.page, variant.name, role, path, variant.params
            )
            measured.append((variant, result))
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is None:
            self.note(f"{spec.page} ({user.username}): no list to sort or page through")
        else:
            columns = list(changelist.list_display)
            self.columns[(role, spec.page)] = columns
            derived = [
                Variant(f"sort {'-' if descending else ''}{name}", sort=(name, descending))
                for name in columns
                if changelist.get_ordering_field(name)
                for descending in (False, True)
            ]
            pages = changelist.paginator.num_pages
            derived.append(Variant("deep page", {"p": str(min(pages, DEEPEST_PAGE))}))
            for variant in derived:
                params = self.sorted_params(variant, columns)
                result, _response = self.measure(
                    client, spec.page, variant.name, role, path, params
                )
                measured.append((variant, result))
        self.variants[(role, spec.page)] = measured

    @staticmethod
    def sorted_params(variant: Variant, columns: list[str]) -> dict | None:
        if variant.sort is None:
            return variant.params
        name, descending = variant.sort
        if name not in columns:
            return None
        return {**variant.params, "o": f"{'-' if descending else ''}{columns.index(name)}"}

    def run_detail(self, client, role, user, spec: DetailPage):
        rows = self._rows(spec, user)
        heaviest = spec.heaviest(rows).values_list("pk", "benchmark_rows").first()
        if heaviest is None:
            self.note(f"{spec.page} ({user.username}): no row to show")
            return
        pk, count = heaviest
        opts = spec.model._meta
        path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
        result, _response = self.measure(client, spec.page, spec.variant, role, path)
        result.rows = count

    def run_reports(self, client, role, user):
        path = reverse("admin:reports")
        year = timezone.localdate().year - 1
        variants = [
            ("default period", None),
            ("last calendar year", {"from_month": f"{year}-01", "to_month": f"{year}-12"}),
        ]
        if role not in CUSTOMER_ROLES and self.customer is not None:
            variants.append(("one customer", {"customer": str(self.customer)}))
        if self.wanted("reports"):
            self.progress(f"{user.username}: reports")
            for name, params in variants:
                self.measure(client, "reports", name, role, path, params)
        if self.wanted("report export"):
            for report in REPORTS:
                if report.is_visible_to(user) and report.may_export(user):
                    self.measure(
                        client, "report export", report.slug, role, path, {"export": report.slug}
                    )

    def run_overhead(self, client):
        """The superuser on the customer user's rows, variant by variant."""
        customer_user = self.users[CUSTOMER]
        for spec in LISTS:
            measured = self.variants.get((CUSTOMER, spec.page))
            if not measured or spec.same_rows is None:
                continue
            columns = self.columns.get((SUPERUSER, spec.page))
            if columns is None:
                self.note(f"{spec.page}: the superuser's list did not answer; no overhead")
                continue
            self.progress(
                f"{self.report.users[SUPERUSER]}: {spec.page}, rows of {customer_user.username}"
            )
            restriction = spec.same_rows(customer_user, self.customer)
            for variant, mine in measured:
                params = self.sorted_params(variant, columns)
                if params is None or not mine.ok:
                    continue
                theirs, _response = self.measure(
                    client,
                    spec.page,
                    variant.name,
                    SUPERUSER,
                    self.list_url(spec),
                    {**params, **restriction},
                    rows_of=customer_user.username,
                )
                if theirs.ok and theirs.median_ms:
                    self.report.overhead.append(
                        Overhead(
                            page=spec.page,
                            variant=variant.name,
                            customer_user=mine.user,
                            superuser=theirs.user,
                            customer_median_ms=mine.median_ms,
                            superuser_median_ms=theirs.median_ms,
                            ratio=round(mine.median_ms / theirs.median_ms, 2),
                            same_rows=bool(restriction) or mine.total == theirs.total,
                            superuser_url=theirs.url,
                        )
                    )


def benchmark_run(
    *, users: dict, repeat: int = 5, warm_up: bool = True, pages: str = "", progress=None
) -> Report:
    return Benchmark(
        users=users, repeat=repeat, warm_up=warm_up, pages=pages, progress=progress
    ).run()


# -- output --------------------------------------------------------------------------------------


def over_goal(result: Result) -> str:
    """Why a page misses its goal, or ""."""
    if result.median_ms is None:
        return ""
    if result.role in CUSTOMER_ROLES:
        if result.median_ms > CUSTOMER_MEDIAN_GOAL_MS:
            return f"median {result.median_ms:.0f} ms > {CUSTOMER_MEDIAN_GOAL_MS} ms"
        if result.p95_ms > CUSTOMER_P95_GOAL_MS:
            return f"p95 {result.p95_ms:.0f} ms > {CUSTOMER_P95_GOAL_MS} ms"
    elif result.is_list and result.median_ms > STAFF_LIST_MEDIAN_GOAL_MS:
        return f"median {result.median_ms:.0f} ms > {STAFF_LIST_MEDIAN_GOAL_MS} ms (staff list)"
    return ""


def report_json(report: Report) -> str:
    data = {
        "database": report.database,
        "users": report.users,
        "repeat": report.repeat,
        "warm_up": report.warm_up,
        "results": [asdict(result) for result in report.results],
        "overhead": [asdict(entry) for entry in report.overhead],
        "notes": report.notes,
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _cell(value, digits=None) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if digits is not None else str(value)


def report_table(report: Report) -> str:
    lines = [
        f"benchmark: {report.database}; {report.repeat} timed request(s) per page"
        + (" after one warm-up" if report.warm_up else ", no warm-up"),
        "users: " + ", ".join(f"{role} {name}" for role, name in report.users.items()),
    ]
    header = (
        f"  {'user':<16} {'variant':<44} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
        f"{'rows':>5} {'total':>8}  status"
    )
    for page in dict.fromkeys(result.page for result in report.results):
        lines += ["", f"== {page} ==", header]
        for r in (result for result in report.results if result.page == page):
            variant = f"{r.variant} (rows of {r.rows_of})" if r.rows_of else r.variant
            status = str(r.status) if r.ok else f"{r.status} ERROR: {r.error}"
            total = ("~" if r.total_estimated else "") + _cell(r.total)
            lines.append(
                f"  {r.user:<16} {variant:<44} {_cell(r.median_ms, 1):>9} {_cell(r.p95_ms, 1):>8} "
                f"{_cell(r.queries):>7} {_cell(r.rows):>5} {total:>8}  {status}"
            )
    if report.overhead:
        lines += [
            "",
            "== access-layer overhead: customer user / superuser on the same rows (median) ==",
            f"  {'page':<18} {'variant':<44} {'customer':>9} {'superuser':>9} {'ratio':>6}",
        ]
        for o in report.overhead:
            mark = "" if o.same_rows else "  (superuser: not the same rows)"
            lines.append(
                f"  {o.page:<18} {o.variant:<44} {o.customer_median_ms:>9.1f} "
                f"{o.superuser_median_ms:>9.1f} {o.ratio:>6.2f}{mark}"
            )
    lines += ["", "== summary ==", *summary_lines(report)]
    return "\n".join(lines) + "\n"


def summary_lines(report: Report) -> list[str]:
    timed = [r for r in report.results if r.ok]
    slowest = sorted(timed, key=lambda r: -r.median_ms)[:SLOWEST_SHOWN]
    lines = ["slowest pages:"] + [
        f"  {r.median_ms:8.1f} ms  {r.page}, {r.variant}, {r.user}" for r in slowest
    ]
    over = [(r, over_goal(r)) for r in timed if over_goal(r)]
    lines.append(f"over the goals: {len(over) or 'none'}")
    lines += [f"  {r.page}, {r.variant}, {r.user}: {why}" for r, why in over]
    if report.overhead:
        worst = max(report.overhead, key=lambda o: o.ratio)
        verdict = "ok" if worst.ratio <= OVERHEAD_GOAL else "OVER THE GOAL"
        if report.repeat == 1:
            verdict += " (one request each: noisy)"
        lines.append(
            f"worst overhead ratio: {worst.ratio:.2f} ({worst.page}, {worst.variant}; "
            f"goal ≤ {OVERHEAD_GOAL}): {verdict}"
        )
    else:
        lines.append("worst overhead ratio: – (needs the customer user and the superuser)")
    lines += [f"note: {note}" for note in report.notes]
    errors = report.errors
    lines.append(f"errors: {len(errors) or 'none'}")
    lines += [f"  {r.page}, {r.variant}, {r.user}: {r.status} {r.error} ({r.url})" for r in errors]
    return lines
