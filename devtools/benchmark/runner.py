"""The run: each user's pages requested in-process, timed and their queries counted, then the
superuser on the customer user's rows for the access layer's overhead."""

import math
import statistics
import time
from urllib.parse import urlencode, urlsplit

from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.db.models import QuerySet
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from accounts.sessions import session_touch
from permissions.capabilities import Capability
from permissions.navigation import can_view_reports
from permissions.policies import EMPLOYEES, policy_for
from permissions.scoping import department_ids
from portal.admin.booking_views import SELECTION_KEY
from portal.models import Department, Employee, Order
from portal.reports import REPORTS
from portal.selectors.bookings import may_book_anywhere

from .pages import (
    DETAILS,
    FORMS,
    LISTS,
    SELECTED_EMPLOYEES,
    DetailPage,
    FormPage,
    ListPage,
    Variant,
    most_common,
)
from .report import Overhead, Report, Result
from .users import CUSTOMER, CUSTOMER_ROLES, SUPERUSER, client_signed_in, portal_as_deployed

DEEPEST_PAGE = 200
OVERHEAD_REPEAT = 5  # requests of each page of a pair, at least


def target_customer(customer_user) -> int | None:
    """The customer whose rows the staff's customer filter and the overhead compare: the customer
    user's own, else the one with the most orders."""
    ids: set[int] = set()
    if customer_user is not None:
        for capability in Capability:
            ids |= department_ids(customer_user, capability) or set()
    if ids:
        return most_common(Department.objects.filter(pk__in=sorted(ids)), "customer")
    return most_common(Order.objects.all(), "department__customer")


def _request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def session_restarted(client) -> None:
    """Restart the signed-in session's idle clock, outside what is measured: the portal writes
    that clock once a minute (`IdleSessionMiddleware`), and the write's queries would otherwise
    count against whichever page came when the minute was up."""
    session = client.session
    if SESSION_KEY in session:
        session_touch(session)
        session.save()


def timed_get(client, url: str) -> tuple:
    """The response to a GET of `url`, its server time in milliseconds, and the CPU time
    this process (the server, in the test client's requests) took for it."""
    start, cpu_start = time.perf_counter(), time.process_time()
    response = client.get(url, secure=True)
    return (
        response,
        (time.perf_counter() - start) * 1000,
        (time.process_time() - cpu_start) * 1000,
    )


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: with five requests the 95th percentile is the slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _to_job(response) -> bool:
    """A redirect to a background job's page: how a large export answers."""
    if response.status_code != 302:
        return False
    try:
        return resolve(urlsplit(response["Location"]).path).url_name == "job"
    except Resolver404:
        return False


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
        rows = sum(len(item["result"].table.rows) for item in context["reports"] if item["result"])
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

    def measure(
        self, client, page, variant, role, path, params=None, *, rows_of="", a_file=False
    ) -> tuple:
        """Request the page `repeat` times: its Result and the last response. `a_file`: the
        answer must be a download (or a background job's page), not a page."""
        url = f"{path}?{urlencode(params)}" if params else path
        if self.warm_up:
            client.get(url, secure=True)
        timings, cpu, queries = [], [], []
        for _ in range(self.repeat):
            session_restarted(client)
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response, ms, cpu_ms = timed_get(client, url)
                timings.append(ms)
                cpu.append(cpu_ms)
            queries.append(counter.count)
            if response.status_code != 200:
                break
        rows, total, estimated = _rows_of(response)
        to_job = _to_job(response)
        error = "" if response.status_code == 200 or to_job else _error_of(response)
        if (
            a_file
            and response.status_code == 200
            and not response.has_header("Content-Disposition")
        ):
            error = "a page, not a file"
        result = Result(
            page=page,
            variant=variant,
            user=self.report.users[role],
            url=url,
            median_ms=round(statistics.median(timings), 1),
            p95_ms=round(percentile(timings, 0.95), 1),
            cpu_ms=round(statistics.median(cpu), 1),
            queries=sorted(queries)[len(queries) // 2],
            rows=rows,
            status=response.status_code,
            total=total,
            total_estimated=estimated,
            error=error,
            role=role,
            rows_of=rows_of,
            to_job=to_job,
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
                customer = client_signed_in(self.users[CUSTOMER])
                superuser = client_signed_in(self.users[SUPERUSER])
                try:
                    self.run_overhead(customer, superuser)
                finally:
                    customer.logout()
                    superuser.logout()
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
        for spec in FORMS:
            if self.wanted(spec.page) and self.may_open(spec, request):
                self.run_form(client, role, user, spec)
        if self.wanted("start page"):
            self.progress(f"{user.username}: start page")
            self.measure(client, "start page", "Info", role, reverse("admin:index"))
        if can_view_reports(request):
            self.run_reports(client, role, user)

    def _rows(self, spec, user) -> QuerySet:
        rows = spec.model._default_manager.all()
        if spec.capability is None:
            return rows
        policy = policy_for(spec.model)
        assert policy is not None, spec.model  # a scoped list is of a department-owned model
        return policy.narrow(rows, user, spec.capability)

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

    @staticmethod
    def may_open(spec: FormPage, request) -> bool:
        if spec.model is None:
            return may_book_anywhere(request.user)
        return admin.site.get_model_admin(spec.model).has_add_permission(request)

    def run_form(self, client, role, user, spec: FormPage):
        self.progress(f"{user.username}: {spec.page}")
        selected = None
        if spec.selects:
            employees = EMPLOYEES.narrow(
                Employee.objects.filter(is_active=True), user, Capability.BOOK_EMPLOYEES
            )
            if self.customer is not None:
                employees = employees.filter(customer_id=self.customer)
            selected = list(employees.values_list("pk", flat=True)[:SELECTED_EMPLOYEES])
            if not selected:
                self.note(f"{spec.page} ({user.username}): no employees to select")
                return
            session = client.session
            session[SELECTION_KEY] = selected
            session.save()
        result, _response = self.measure(
            client, spec.page, spec.variant, role, reverse(spec.url_name)
        )
        if selected is not None:
            result.rows = len(selected)

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
        if self.wanted("report on request"):
            for report in REPORTS:
                if report.on_request and report.is_visible_to(user):
                    params = {"vis": report.slug, **self.customer_for(report, user)}
                    self.measure(client, "report on request", report.slug, role, path, params)
        if self.wanted("report export"):
            for report in REPORTS:
                if report.is_visible_to(user) and report.may_export(user):
                    params = {"export": report.slug, **self.customer_for(report, user)}
                    self.measure(
                        client, "report export", report.slug, role, path, params, a_file=True
                    )

    def customer_for(self, report, user) -> dict:
        """The customer a staff user picks for a report that shows nothing over every customer
        (`Report.needs_customer`): the customer user's."""
        if report.needs_customer(user, None) and self.customer is not None:
            return {"customer": str(self.customer)}
        return {}

    def interleaved(self, first, first_url, second, second_url) -> tuple[float, float]:
        """The median times of two pages requested in turn, one request each at a time. Two
        medians taken minutes apart compare the machine's load as much as the pages."""
        if self.warm_up:
            first.get(first_url, secure=True)
            second.get(second_url, secure=True)
        timings: tuple[list[float], list[float]] = ([], [])
        repeat = max(self.repeat, OVERHEAD_REPEAT) if self.warm_up else self.repeat  # --quick: 1
        for _ in range(repeat):
            for client, url, times in (
                (first, first_url, timings[0]),
                (second, second_url, timings[1]),
            ):
                session_restarted(client)
                times.append(timed_get(client, url)[1])
        return statistics.median(timings[0]), statistics.median(timings[1])

    def run_overhead(self, customer, client):
        """The superuser on the customer user's rows, variant by variant; the ratio from the
        two pages requested in turn."""
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
                    mine_ms, theirs_ms = self.interleaved(customer, mine.url, client, theirs.url)
                    self.report.overhead.append(
                        Overhead(
                            page=spec.page,
                            variant=variant.name,
                            customer_user=mine.user,
                            superuser=theirs.user,
                            customer_median_ms=round(mine_ms, 1),
                            superuser_median_ms=round(theirs_ms, 1),
                            ratio=round(mine_ms / theirs_ms, 2),
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
