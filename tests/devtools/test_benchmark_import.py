"""`benchmark_import`: prints its figures for every scenario and leaves no rows behind."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test.utils import override_settings

from audit.models import AuditEvent
from portal.models import Customer, Department, Employee

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = io.StringIO()
    call_command("benchmark_import", stdout=out, skip_memory=True, **options)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_prints_time_rows_per_second_and_queries_for_every_scenario():
    output = run(rows=40, format="csv")

    lines = output.splitlines()
    for scenario, step in [
        ("portal import, all new", "preview"),
        ("portal import, all new", "confirm"),
        ("portal import, half updates", "preview"),
        ("portal import, half updates", "confirm"),
        ("plain bulk_create (floor)", "write"),
        ("import-export ModelResource", "preview (dry run)"),
        ("import-export ModelResource", "confirm"),
    ]:
        # the columns: scenario (31 wide), step (19 wide), then the figures
        [line] = [
            line for line in lines if (line[:31].rstrip(), line[31:50].rstrip()) == (scenario, step)
        ]
        seconds, rows_per_second, _cpu, queries = line[50:].split()
        assert float(seconds) >= 0
        assert int(rows_per_second.replace(",", "")) > 0
        assert int(queries.replace(",", "")) > 0
    assert re.search(r"all new: preview \+ confirm [\d.]+ s = [\d.]+× plain bulk_create", output)
    assert re.search(r"ModelResource: preview \+ confirm [\d.]+ s = [\d.]+× the portal", output)


@override_settings(DEBUG=True)
def test_leaves_the_database_as_it_was():
    def counts():
        return [
            model.objects.count()
            for model in (Customer, Department, Employee, AuditEvent, get_user_model())
        ]

    before = counts()
    run(rows=20, format="xlsx", skip_default=True)
    assert counts() == before


@pytest.mark.parametrize(
    ("writer", "kind"),
    [("excel", "xlsx as Excel writes it"), ("openpyxl", "xlsx as openpyxl writes it")],
)
@override_settings(DEBUG=True)
def test_both_writers_files_import_every_row(writer, kind):
    # The command itself fails unless the confirm created (or updated) every row of the file.
    output = run(rows=30, format="xlsx", writer=writer, skip_default=True)

    assert f"30 rows, {kind} (" in output
    assert "half updates: preview + confirm" in output


@override_settings(DEBUG=False)
def test_refuses_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="--force"):
        run(rows=10)
