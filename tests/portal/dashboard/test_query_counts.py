"""Info costs the same number of queries however many rows there are: every figure is one or
two aggregate queries, every list a single query of a few rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import ProductGroup

from .conftest import customer_rows

# What the page costs beside the figures (session, user, grants, sidebar badge, …) is the
# same for every page; the figures add one or two queries each (staff's waiting orders
# three: the counts, the first ids in order, and those orders; the overdue surveillance two:
# the exposure types and the counts; the orders with new or unanswered messages two: the
# counts per order, then those orders).
MAX_QUERIES = {"testweb": 20, "kam": 17}


def _queries(client, url="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more_rows(world, times):
    health_check = ProductGroup.objects.get(name="Helsekontroll (HK)")
    general = ProductGroup.objects.get(name="Allmennhelse")
    for n in range(times):
        for rows in (world.tb, world.ek):
            customer_rows(
                rows.customer,
                now=world.now,
                health_check=health_check,
                general=general,
                tag=f"Mer{n}",
            )


@pytest.mark.parametrize("member", ["testweb", "kam"])
def test_info_costs_the_same_queries_with_four_times_the_rows(
    member, info_world, login, django_assert_max_num_queries
):
    client = login(getattr(info_world.cast, member))
    client.get("/")  # content types and the like, cached once per process
    few = _queries(client)

    _more_rows(info_world, 3)
    many = _queries(client)

    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES[member]):
        client.get("/")
