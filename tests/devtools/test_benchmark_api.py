"""`benchmark_api`: pages through the customer's orders to the end, prints the figures, and
leaves no token that still works."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test.utils import override_settings

from api.models import ApiToken
from portal.models import Order

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_pages_through_every_order_of_the_customer_and_revokes_its_token(cast):
    out = io.StringIO()

    call_command(
        "benchmark_api", "--customer", cast.testbedriften.org_number, "--page-size", "2", stdout=out
    )

    output = out.getvalue()
    orders = Order.objects.filter(department__customer=cast.testbedriften).count()
    assert f"rows {orders:,}, page size 2" in output
    assert f"pages {-(-orders // 2)}," in output
    assert re.search(r"per page: median [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms", output)
    assert re.search(r"queries per page: \d+–\d+", output)
    assert [token.revoked_at is not None for token in ApiToken.objects.all()] == [True]


def test_refuses_to_run_with_debug_off(cast):
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("benchmark_api", stdout=io.StringIO())
    assert not ApiToken.objects.exists()
