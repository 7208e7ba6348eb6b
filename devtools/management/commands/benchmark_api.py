"""`benchmark_api`: a CRM synchronising a customer's orders through the API, page by page.

Issues a token restricted to the customer with the most orders (or `--customer`), follows
`GET /api/v1/orders/?updated_since=…` and its `next` links to the end, and prints the time and
queries of each page: median, 95th percentile and maximum. The token is revoked at the end.
"""

import datetime
import secrets
import statistics
import time
from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from api.models import ApiToken
from api.scopes import Scope
from api.services import api_token_issue, api_token_revoke
from api.throttling import TokenRateThrottle
from portal.models import Customer


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Page through a customer's orders with the API as a CRM does (updated_since, then "
        "next) and print time and queries per page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customer", help="organisation number (default: most orders)")
        parser.add_argument(
            "--since", default="2000-01-01", help="updated_since, ISO date (default 2000-01-01)"
        )
        parser.add_argument("--page-size", type=int, default=100)
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, customer, since, page_size, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this issues an API token. Use --force.")
        target = self._customer(customer)
        actor = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
        if actor is None:
            raise CommandError("No active superuser to issue the token.")
        issued = api_token_issue(
            actor=actor,
            name=f"benchmark {secrets.token_hex(3)}",
            scopes=[Scope.ORDERS_READ],
            customer=target,
        )
        try:
            # As in production: DEBUG would also keep every query's SQL in memory. The rate
            # limit is not what is measured (a first synchronisation of a large customer meets
            # it by design).
            with (
                override_settings(DEBUG=False),
                mock.patch.object(TokenRateThrottle, "allow_request", return_value=True),
            ):
                self._run(target, issued.secret, since, page_size)
        finally:
            api_token_revoke(token=ApiToken.objects.get(pk=issued.token.pk), actor=actor)

    def _customer(self, org_number: str | None) -> Customer:
        if org_number:
            found = Customer.objects.filter(org_number=org_number).first()
            if found is None:
                raise CommandError(f"No customer has the organisation number {org_number}.")
            return found
        found = (
            Customer.objects.annotate(orders=Count("departments__orders"))
            .order_by("-orders", "pk")
            .first()
        )
        if found is None:
            raise CommandError("There are no customers.")
        return found

    def _run(self, customer: Customer, secret: str, since: str, page_size: int) -> None:
        host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "127.0.0.1")
        client = Client(HTTP_HOST=host.lstrip("."), HTTP_AUTHORIZATION=f"Bearer {secret}")
        first = f"/api/v1/orders/?updated_since={datetime.date.fromisoformat(since)}"
        first += f"&page_size={page_size}"
        client.get(first)  # warm-up: the token's user, the permission caches
        url: str | None = first
        times, queries, rows = [], [], 0
        while url:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}: {response.content!r}")
            queries.append(len(captured.captured_queries))
            body = response.json()
            rows += len(body["results"])
            url = None
            if body.get("next"):
                parts = urlsplit(body["next"])
                url = f"{parts.path}?{parts.query}"
        self.stdout.write(
            f"benchmark_api: GET /api/v1/orders/?updated_since={since} as {customer.name} "
            f"({connection.vendor}, {connection.settings_dict['NAME']})\n"
            f"  pages {len(times)}, rows {rows:,}, page size {page_size}\n"
            f"  per page: median {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms\n"
            f"  queries per page: {min(queries)}–{max(queries)}\n"
        )
