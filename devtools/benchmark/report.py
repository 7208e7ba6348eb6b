"""The results of a run, and the report of them: a table for people, JSON for machines."""

import json
import statistics
from dataclasses import asdict, dataclass, field

from .users import CUSTOMER_ROLES, STAFF

CUSTOMER_MEDIAN_GOAL_MS = 150
CUSTOMER_P95_GOAL_MS = 400
STAFF_LIST_MEDIAN_GOAL_MS = 300
OVERHEAD_GOAL = 1.3
SLOWEST_SHOWN = 5


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
    to_job: bool = False  # a large export, answered with its background job's page
    cpu_ms: float | None = None  # median CPU time the server's process took

    @property
    def ok(self) -> bool:
        return (self.status == 200 and not self.error) or self.to_job

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


def over_goal(result: Result) -> str:
    """Why a page misses its goal, or ""."""
    if result.median_ms is None:
        return ""
    if result.role in CUSTOMER_ROLES:
        if result.median_ms > CUSTOMER_MEDIAN_GOAL_MS:
            return f"median {result.median_ms:.0f} ms > {CUSTOMER_MEDIAN_GOAL_MS} ms"
        if result.p95_ms is not None and result.p95_ms > CUSTOMER_P95_GOAL_MS:
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
        f"  {'user':<16} {'variant':<44} {'median ms':>9} {'p95 ms':>8} {'cpu ms':>7} "
        f"{'queries':>7} "
        f"{'rows':>5} {'total':>8}  status"
    )
    for page in dict.fromkeys(result.page for result in report.results):
        lines += ["", f"== {page} ==", header]
        for r in (result for result in report.results if result.page == page):
            variant = f"{r.variant} (rows of {r.rows_of})" if r.rows_of else r.variant
            status = f"{r.status} job" if r.to_job else str(r.status)
            status = status if r.ok else f"{r.status} ERROR: {r.error}"
            total = ("~" if r.total_estimated else "") + _cell(r.total)
            lines.append(
                f"  {r.user:<16} {variant:<44} {_cell(r.median_ms, 1):>9} {_cell(r.p95_ms, 1):>8} "
                f"{_cell(r.cpu_ms, 1):>7} {_cell(r.queries):>7} {_cell(r.rows):>5} {total:>8}  "
                f"{status}"
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
    slowest = sorted(timed, key=lambda r: -(r.median_ms or 0.0))[:SLOWEST_SHOWN]
    lines = ["slowest pages:"] + [
        f"  {r.median_ms:8.1f} ms  {r.page}, {r.variant}, {r.user}" for r in slowest
    ]
    for roles, whose in ((CUSTOMER_ROLES, "customer"), ((STAFF,), "staff")):
        cpu = [r.cpu_ms for r in timed if r.role in roles and r.cpu_ms is not None]
        if cpu:
            lines.append(
                f"server CPU per page, median over the {whose} pages: "
                f"{statistics.median(cpu):.1f} ms ({len(cpu)} pages)"
            )
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
