"""The number of queries of every page does not grow with the world.

`generate_world` at two sizes, `benchmark` over each: every page, variant and user that shows
rows in both worlds costs the same queries in both. (At full size on PostgreSQL, staff lists
over big tables show the planner's estimate instead of a COUNT; the worlds here are below that
threshold, so every count is exact in both.)"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def pages_of_a_world(scale: float, tmp_path, *, reset: bool) -> dict:
    call_command("generate_world", scale=scale, reset=reset, stdout=io.StringIO())
    path = tmp_path / f"benchmark-{scale}.json"
    call_command("benchmark", repeat=1, json=str(path), stdout=io.StringIO(), verbosity=0)
    results = json.loads(path.read_text(encoding="utf-8"))["results"]
    return {(r["page"], r["variant"], r["user"]): r for r in results}


def shows_rows(result) -> bool:
    return result["rows"] is None or result["rows"] > 0


def test_queries_per_page_are_the_same_in_a_small_and_a_four_times_bigger_world(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("measured on PostgreSQL, where the world is benchmarked")
    settings.DEBUG = True  # generate_world refuses to write otherwise
    small = pages_of_a_world(0.0005, tmp_path, reset=False)
    big = pages_of_a_world(0.002, tmp_path, reset=True)

    compared = [key for key in small.keys() & big.keys() if shows_rows(small[key])]
    compared = [key for key in compared if shows_rows(big[key])]
    differing = {
        key: (small[key]["queries"], big[key]["queries"])
        for key in compared
        if small[key]["queries"] != big[key]["queries"]
    }

    assert len(compared) > 150, sorted(small.keys() ^ big.keys())
    assert {user for _page, _variant, user in compared} == {
        "world-kunde",
        "world-avdeling",
        "world-kam",
        "world-admin",
    }
    assert not differing, differing
