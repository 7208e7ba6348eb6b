"""Reading a changelist page as a user reads it: the rows, the count, the panel's choices."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def column(response, name: str) -> list[str]:
    """The texts of one column of the results table, top to bottom."""
    cells = re.findall(
        rf'<t[hd] class="field-{name}\b[^"]*"[^>]*>(.*?)</t[hd]>', response.text, flags=re.S
    )
    return [_text(cell) for cell in cells]


def queries_and_rows(client, url: str, params: dict, name: str = "number") -> tuple[int, int]:
    """What a list page costs in queries, and how many rows it lists (by its `name` column)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response
    return len(captured), len(column(response, name))


def shown_count(response) -> int:
    """The number under the list ("5 bestillinger")."""
    match = re.search(r'<div class="py-4">\s*(?:-\s*)?(\d+)\s', response.text)
    assert match, "no result count on the page"
    return int(match.group(1))


def options(response, field: str) -> list[str]:
    """The labels of a select in the search panel, the empty choice left out."""
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', response.text, flags=re.S)
    assert select, f"no select {field!r} in the panel"
    return [
        _text(label)
        for value, label in re.findall(
            r'<option value="([^"]*)"[^>]*>(.*?)</option>', select.group(1), flags=re.S
        )
        if value
    ]


def panel_html(response) -> str:
    match = re.search(r'<section id="search-panel".*?</section>', response.text, flags=re.S)
    assert match, "no search panel on the page"
    return match.group(0)


def panel(response) -> str:
    """The search panel's text."""
    return _text(panel_html(response))


def autocomplete_source(response, field: str) -> tuple[str, str, str]:
    """Where a panel's autocomplete select asks for its choices: (app, model, field)."""
    select = re.search(rf'<select name="{field}"([^>]*)>', response.text)
    assert select, f"no select {field!r} in the panel"
    attrs = dict(re.findall(r'(data-[\w-]+)="([^"]*)"', select.group(1)))
    assert "unfold-filter-autocomplete" in select.group(1), f"{field!r} is a plain select"
    return attrs["data-app-label"], attrs["data-model-name"], attrs["data-field-name"]


def offered(client, model: str, field: str, term: str = "") -> list[str]:
    """The labels the admin's autocomplete offers for `model.field` (as the panel asks)."""
    response = client.get(
        "/autocomplete/",
        {"app_label": "portal", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200, response
    return [result["text"] for result in json.loads(response.content)["results"]]


def query_plan(queryset) -> str:
    """PostgreSQL's plan for `queryset`, sequential scans made a last resort: an index the
    search can use shows up in it even on the few rows of a test."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
