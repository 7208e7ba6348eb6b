"""What a list counts: the rows once when no filter is on, a whole big table by estimate, and a
filtered list exactly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.admin import base

pytestmark = pytest.mark.django_db


def counts_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [
        q["sql"] for q in queries if 'COUNT(*) AS "__count" FROM "portal_order"' in q["sql"]
    ]


def test_an_unfiltered_list_is_counted_once(demo, login):
    response, counts = counts_of(login("testweb"), "/portal/order/")
    assert len(counts) == 1, counts
    cl = response.context["cl"]
    assert cl.result_count == cl.full_result_count == 7
    assert not cl.result_count_estimated


def test_a_filtered_list_counts_its_rows_and_the_whole_list(demo, login):
    response, counts = counts_of(login("testweb"), "/portal/order/?status=awaiting_seller")
    assert len(counts) == 2, counts
    cl = response.context["cl"]
    assert (cl.result_count, cl.full_result_count) == (4, 7)
    assert "7 totalt</a>)" in response.content.decode()


@pytest.fixture
def big_tables(monkeypatch):
    """PostgreSQL, with every table "big" and its statistics fresh."""
    if connection.vendor != "postgresql":
        pytest.skip("the estimate is PostgreSQL's")
    monkeypatch.setattr(base, "ESTIMATE_ABOVE", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE portal_order")


@pytest.mark.postgres
def test_a_whole_big_table_is_counted_by_the_planners_estimate(demo, login, big_tables):
    response, counts = counts_of(login("kam"), "/portal/order/")
    cl = response.context["cl"]
    assert counts == []
    assert cl.result_count_estimated
    assert cl.result_count == cl.full_result_count > 1
    assert f"ca. {cl.result_count}" in " ".join(response.content.decode().split())


@pytest.mark.postgres
def test_a_filtered_big_list_is_counted_exactly_and_no_plan_is_asked_for(demo, login, big_tables):
    with CaptureQueriesContext(connection) as queries:
        response, counts = counts_of(login("kam"), "/portal/order/?status=approved")
    cl = response.context["cl"]
    assert len(counts) == 1
    assert not cl.result_count_estimated
    assert 1 <= cl.result_count <= cl.full_result_count
    assert not [q["sql"] for q in queries if q["sql"].upper().startswith("EXPLAIN")]


@pytest.mark.postgres
def test_a_customers_list_is_always_counted_exactly(demo, login, big_tables):
    response, counts = counts_of(login("testweb"), "/portal/order/")
    assert len(counts) == 1
    assert not response.context["cl"].result_count_estimated
    assert response.context["cl"].result_count == 7
    assert "ca. " not in response.content.decode()


def test_small_tables_are_counted_exactly_everywhere(demo, login):
    response, counts = counts_of(login("kam"), "/portal/order/")
    assert len(counts) == 1
    assert not response.context["cl"].result_count_estimated
    assert "ca. " not in response.content.decode()
