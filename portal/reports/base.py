"""What every report is: a table computed in the database, a chart of it, and an export.

A report is scoped like the list it sums up (its capability, through `permissions.scoping`),
costs a fixed number of queries (one or two) whatever the number of rows, and builds its chart
and its spreadsheet from the same table, so the three always agree.
"""

import datetime
import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from html import escape

from django.db.models import Model
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from permissions.capabilities import Capability
from permissions.policies import may_act_on_model
from permissions.scoping import has_capability_anywhere
from portal.formatting import NBSP, format_count, format_nok

from .period import Period

# Chart colours: the theme's CSS variables, which Unfold's chart script resolves.
PALETTE = [
    "var(--color-primary-600)",
    "var(--color-blue-500)",
    "var(--color-orange-400)",
    "var(--color-base-400)",
    "var(--color-red-400)",
    "var(--color-green-300)",
    "var(--color-primary-300)",
    "var(--color-blue-300)",
    "var(--color-orange-200)",
    "var(--color-base-600)",
]
MUTED = "#9ca3af"

_CELL_CLASSES = "border-b border-base-200 px-3 py-1.5 whitespace-nowrap dark:border-base-800"
ROW_HEADING = '<th scope="row" class="' + _CELL_CLASSES + ' font-normal text-left">{}</th>'
CELL = '<td class="' + _CELL_CLASSES + ' {}">{}</td>'


class Kind(StrEnum):
    TEXT = "text"
    MONTH = "month"
    COUNT = "count"
    NOK = "nok"
    PERCENT = "percent"


@dataclass(frozen=True)
class Column:
    heading: str | Promise
    kind: Kind = Kind.COUNT


@dataclass
class Table:
    columns: list[Column]
    rows: list[list]
    total: list | None = None

    @property
    def headings(self) -> list[str]:
        return [str(column.heading) for column in self.columns]

    def display(self, row: list) -> list[str]:
        return [
            cell_display(column.kind, value)
            for column, value in zip(self.columns, row, strict=True)
        ]

    @property
    def display_total(self) -> list[str] | None:
        """The total row: its first cell is its label ("Total"), whatever the column holds."""
        if self.total is None:
            return None
        label, *values = self.total
        columns = self.columns[1:]
        return [
            str(label),
            *(cell_display(c.kind, v) for c, v in zip(columns, values, strict=True)),
        ]

    @property
    def display_rows(self) -> list[list[str]]:
        return [self.display(row) for row in self.rows]

    @property
    def body_html(self) -> SafeString:
        """The table's body rows, written here rather than by the template (two thousand
        customers of six cells each took the template engine over 300 ms, and `format_html`
        per cell 60 ms): every text escaped (a figure is the portal's own digits, spaces and
        signs), the row's heading with a capital first letter."""
        columns = self.columns[1:]
        cells_of = [
            CELL.format("text-left" if c.kind in (Kind.TEXT, Kind.MONTH) else "text-right", "{}")
            for c in columns
        ]
        figures = [column.kind in (Kind.COUNT, Kind.NOK, Kind.PERCENT) for column in columns]
        rows = []
        for first, *cells in self.display_rows:
            heading = escape(first[:1].upper() + first[1:])
            rows.append(
                f"<tr>{ROW_HEADING.format(heading)}"
                + "".join(
                    cell.format(value if figure else escape(value))
                    for cell, figure, value in zip(cells_of, figures, cells, strict=True)
                )
                + "</tr>"
            )
        return mark_safe("".join(rows))  # noqa: S308 (text escaped; figures are digits and signs)


@dataclass
class Chart:
    labels: list[str]
    datasets: list[dict]
    stacked: bool = False

    @property
    def data(self) -> str:
        return json.dumps({"labels": self.labels, "datasets": self.datasets})

    @property
    def options(self) -> str:
        """Chart.js options: Unfold's look, with a legend and a readable y axis."""
        axis = {
            "stacked": self.stacked,
            "border": {"width": 0},
            "ticks": {"color": MUTED},
        }
        return json.dumps(
            {
                "animation": False,
                "responsive": True,
                "maintainAspectRatio": False,
                "datasets": {"bar": {"borderRadius": 4, "maxBarThickness": 32}},
                "plugins": {
                    "legend": {
                        "display": True,
                        "position": "bottom",
                        "labels": {
                            "boxWidth": 8,
                            "boxHeight": 8,
                            "usePointStyle": True,
                            "pointStyle": "circle",
                            "color": MUTED,
                        },
                    },
                    "tooltip": {"enabled": True},
                },
                "scales": {
                    "x": {**axis, "grid": {"display": False}},
                    "y": {
                        **axis,
                        "beginAtZero": True,
                        "grid": {},
                        "ticks": {"color": MUTED, "precision": 0},
                    },
                },
            }
        )


@dataclass
class ReportResult:
    report: "Report"
    table: Table
    chart: Chart
    notes: list[str | Promise] = field(default_factory=list)
    #: Why an empty report is empty, where it is not «Nothing in this period.»: shown in place
    #: of the chart and the table (the user has a choice to make first).
    empty_text: str | Promise | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing to draw: no rows, or only zeros."""
        return not any(any(row[1:]) for row in self.table.rows)


class Report:
    """One report: `slug` names it in URLs and in the exported file's name."""

    slug: str
    title: str | Promise
    description: str | Promise
    capability: Capability
    model: type[Model]  # the list it sums up: its export permission is the staff's
    wide = False  # a table too wide to stand beside its chart: shown under it
    #: Worked out only when asked for (`?vis=<slug>`): a report that reads every row of its
    #: kind would slow the page for everyone who came for the others.
    on_request = False
    #: Shown instead of the report, and said instead of exporting it, while it
    #: `needs_customer`.
    customer_needed_text: str | Promise = ""

    def is_visible_to(self, user) -> bool:
        return has_capability_anywhere(user, self.capability)

    def needs_customer(self, user, customer) -> bool:
        """Whether the report says nothing until `user` picks a customer."""
        return False

    def may_export(self, user) -> bool:
        """As for the lists' exports: customers by capability, staff by the export permission
        of the model the report sums up."""
        return may_act_on_model(user, self.model, "export", self.capability)

    def build(self, *, user, period: Period, customer=None) -> ReportResult:
        raise NotImplementedError

    def rows_at_most(self, *, user, period: Period, customer=None) -> int | None:
        """At most how many rows the table would have, found without working the report out:
        whether its export is made at once or by a worker is then decided without doing the
        work twice. None: the report is cheap enough to build and count."""
        return None

    def latest_date(self, *, user, before: datetime.date, customer=None) -> datetime.date | None:
        """The latest day before `before` with something to count, for the reports' opening
        period; None where the report has no such day (or does not say)."""
        return None


# -- display -----------------------------------------------------------------------------------


def month_label(month: datetime.date, *, short: bool = False) -> str:
    """ "januar 2025" (in the table) or "jan. 2025" (under a chart), in the UI's language.
    Worked out once per month and language: a long table repeats a few months thousands of
    times, and Django's date formatting is the slowest part of a cell."""
    return _month_label(month, short, translation.get_language())


@functools.lru_cache(maxsize=1024)
def _month_label(month: datetime.date, short: bool, language: str | None) -> str:
    return formats.date_format(month, "M Y" if short else "F Y")


def cell_display(kind: Kind, value) -> str:
    if value is None:
        return "–"
    if kind is Kind.MONTH:
        return month_label(value)
    if kind is Kind.COUNT:
        return format_count(value)
    if kind is Kind.NOK:
        return format_nok(value)
    if kind is Kind.PERCENT:
        return f"{value:.0f}{NBSP}%"
    return str(value)


def chart_number(value) -> float | int:
    """Decimals become floats only for drawing; the table and the export keep them exact."""
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


NO_VALUE = _("(none)")
