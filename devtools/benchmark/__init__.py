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
(`department__in=<the user's departments>`). The two pages of a pair are requested in turn,
one request each at a time (at least five each), so that both meet the same load on the machine;
the ratio is of those two medians. An entry says `same_rows: false` when the row counts differ.

Nothing is written beyond what viewing a page writes (the session); `last_login` and django-axes'
log are left alone.

The parts: `pages` (what is measured), `users` (who signs in, and how), `runner` (the requests,
timed and counted) and `report` (the results, as a table or JSON).
"""

from .pages import DETAILS, LISTS, DetailPage, ListPage, Sample, Variant, most_common
from .report import (
    Overhead,
    Report,
    Result,
    over_goal,
    report_json,
    report_table,
    summary_lines,
)
from .runner import Benchmark, QueryCounter, benchmark_run, percentile, target_customer
from .users import (
    CUSTOMER,
    CUSTOMER_ROLES,
    DEFAULT_USERNAMES,
    DEPARTMENT,
    ROLE_NAMES,
    ROLE_OPTIONS,
    ROLES,
    STAFF,
    SUPERUSER,
    BenchmarkError,
    client_signed_in,
    portal_as_deployed,
    users_resolve,
)

__all__ = [
    "CUSTOMER",
    "CUSTOMER_ROLES",
    "DEFAULT_USERNAMES",
    "DEPARTMENT",
    "DETAILS",
    "LISTS",
    "ROLES",
    "ROLE_NAMES",
    "ROLE_OPTIONS",
    "STAFF",
    "SUPERUSER",
    "Benchmark",
    "BenchmarkError",
    "DetailPage",
    "ListPage",
    "Overhead",
    "QueryCounter",
    "Report",
    "Result",
    "Sample",
    "Variant",
    "benchmark_run",
    "client_signed_in",
    "most_common",
    "over_goal",
    "percentile",
    "portal_as_deployed",
    "report_json",
    "report_table",
    "summary_lines",
    "target_customer",
    "users_resolve",
]
