"""Each report costs a fixed number of queries (one; two for health check coverage, three for
health surveillance coverage), whatever the number of rows: the reports page and each export
cost the same with three times the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_reports import _url

pytestmark = pytest.mark.usefixtures("norwegian")

# Session, user, permissions, sidebar badge … and one query per report. (The staff's customer
# picker renders its choices in one more query; staff hold no grants to look up.)
# Health surveillance coverage reads the exposure types, the checks and the exposures.
MAX_PAGE_QUERIES = {"testweb": 14, "kam": 13}
# The same, less the page's own; health check coverage is two queries, surveillance three.
MAX_EXPORT_QUERIES = {
    "bestillinger": 5,
    "fakturaer": 5,
    "egenerklaeringer": 5,
    # one more each, the rows it has or could have: a large one goes to a worker without
    # being worked out first
    "helsekontroll": 7,
    "helseovervaking": 7,
}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # an export is counted as the file it gives, not as a page that refuses it
    assert ("export=" in url) == response.has_header("Content-Disposition"), url
    return len(queries)


def _export_url(slug, world, member) -> str:
    if _picks_customer(slug, member):
        return _url(export=slug, customer=world.testbedriften.pk)
    return _url(export=slug)


def _picks_customer(slug, member) -> bool:
    """Staff export health surveillance coverage of the customer they pick (one query more,
    for the customer): over every customer it is not offered."""
    return member == "kam" and slug == "helseovervaking"


@pytest.mark.parametrize("member", ["testweb", "kam"])
def test_the_reports_cost_the_same_queries_with_three_times_the_rows(
    member, report_world, login, django_assert_max_num_queries
):
    client = login(getattr(report_world.cast, member))
    client.get(_url())
    urls = [_url(), *(_export_url(slug, report_world, member) for slug in MAX_EXPORT_QUERIES)]
    few = [_queries(client, url) for url in urls]

    report_world.make(scale=2)
    many = [_queries(client, url) for url in urls]

    assert many == few
    with django_assert_max_num_queries(MAX_PAGE_QUERIES[member]):
        client.get(_url())
    for slug, most in MAX_EXPORT_QUERIES.items():
        with django_assert_max_num_queries(most + _picks_customer(slug, member)):
            client.get(_export_url(slug, report_world, member))


@pytest.mark.parametrize("member", ["testweb", "kam"])
def test_opening_on_its_own_period_costs_one_query_more_per_dated_report(
    member, report_world, login, django_assert_max_num_queries
):
    # given no months asked for: the page looks up the latest order and invoice date, and
    # whether any exposure has begun
    client = login(getattr(report_world.cast, member))
    client.get("/rapporter/")
    few = _queries(client, "/rapporter/")

    report_world.make(scale=2)

    assert _queries(client, "/rapporter/") == few
    with django_assert_max_num_queries(MAX_PAGE_QUERIES[member] + 3):
        client.get("/rapporter/")
