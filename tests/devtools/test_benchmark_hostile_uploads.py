"""`benchmark_hostile_uploads`: prints the outcome, time and memory of each crafted file, and
leaves no rows behind."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test.utils import override_settings

from devtools.management.commands import benchmark_hostile_uploads as command
from portal.models import Customer, Department, Employee

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = io.StringIO()
    call_command("benchmark_hostile_uploads", stdout=out, **options)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_prints_each_files_outcome_time_and_peak_memory():
    def counts():
        return [m.objects.count() for m in (Customer, Department, Employee, get_user_model())]

    before = counts()
    output = run(only="4 MB")

    [line] = [line for line in output.splitlines() if line.startswith("shared string 4 MB")]
    seconds, peak = re.search(r"\s([\d.]+)\s+([\d.]+)\s+refused: ", line).groups()
    assert float(seconds) < 5
    assert 0 < float(peak) < 200
    assert "Rad 2, kolonne A har 4\xa0194\xa0304 tegn." in line
    assert output.splitlines()[-1] == "every file refused or read within 5 s and 200 MiB"
    assert counts() == before


@override_settings(DEBUG=True)
def test_an_ordinary_file_is_read_and_a_slow_one_would_be_named(monkeypatch):
    monkeypatch.setattr(command, "BUDGET_SECONDS", 0.0)
    output = run(only="ordinary", skip_memory=True)
    assert re.search(r"read: 2,000 rows, 2,000 new, 0 errors", output)
    assert output.splitlines()[-1] == "over 0 s: ordinary 2,000 rows (reference)"


@override_settings(DEBUG=False)
def test_refuses_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="--force"):
        run(only="XML")
