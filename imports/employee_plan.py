"""What an import file would do, row by row: the result of a preview, and what a confirm writes."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from imports.pipeline import RowError, plan_fingerprint
from portal.models import Customer, Department
from portal.services.employees import audit_value, creation_changes
from portal.validators import format_mobile

SAMPLE_ROWS = 50  # rows of each kind shown in the preview
NO_CHANGES: Mapping = MappingProxyType({})
NO_EXPOSURES: Sequence = ()
CREATED_FIELDS = ("first_name", "last_name", "email", "mobile", "birth_date", "gender")


__all__ = ["Plan", "PlannedRow", "RowError"]


class PlannedRow:
    """One row that creates or updates an employee, cleaned and matched."""

    __slots__ = (
        "birth_date",
        "changes",
        "deactivate",
        "department",
        "digest",
        "email",
        "exposure_types",
        "first_name",
        "gender",
        "is_active",
        "last_name",
        "mobile",
        "national_id",
        "pk",
        "reactivate",
        "row",
    )
    row: int
    pk: int | None
    department: Department
    first_name: str
    last_name: str
    email: str
    mobile: str

    def __init__(self, **values):
        self.deactivate = self.reactivate = False
        # Shared by every row until a plan gives one its own: a file's rows are tens of
        # thousands, each empty dict and list another 60 bytes.
        self.changes = NO_CHANGES
        self.national_id = self.digest = None
        self.is_active = True
        self.exposure_types = NO_EXPOSURES  # ExposureTypes the row adds
        for name, value in values.items():
            setattr(self, name, value)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def display(self, name: str):
        """A field as the audit trail writes it (as the employee services do)."""
        return audit_value(name, getattr(self, name))

    @property
    def mobile_display(self) -> str:
        return format_mobile(self.mobile or "")

    def creation_changes(self) -> dict:
        """What the audit trail records for a new employee, as `employee_create` writes it."""
        return creation_changes(self, with_national_id=bool(self.national_id))


@dataclass
class Plan:
    """What a file would do; `ok` only when there is not a single error."""

    customer: Customer
    file_error: str = ""
    errors: list[RowError] = field(default_factory=list)
    # Read one way of two (a date with slashes): shown for the user to check before confirming.
    warnings: list[RowError] = field(default_factory=list)
    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)  # field changes and/or (re)activation
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # new rows marked inactive
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    # The rows as read from the file, kept with the upload for the confirm (`imports.rows_kept`)
    lines: list[tuple[int, tuple]] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors and self.rows > 0

    @property
    def changed(self) -> list[PlannedRow]:
        return [row for row in self.updates if row.changes]

    @property
    def deactivated(self) -> int:
        return sum(row.deactivate for row in self.updates)

    @property
    def reactivated(self) -> int:
        return sum(row.reactivate for row in self.updates)

    @property
    def writes(self) -> int:
        return len(self.creates) + len(self.updates)

    def fingerprint(self) -> str:
        """What a confirm would write, summed up: which rows create whom, which update which
        employee and how, which change nothing (see `imports.pipeline`)."""
        return plan_fingerprint(
            {
                "creates": [
                    [
                        row.row,
                        row.department.pk,
                        *(row.display(name) for name in CREATED_FIELDS),
                        row.digest,
                        [kind.pk for kind in row.exposure_types],
                    ]
                    for row in self.creates
                ],
                "updates": [
                    [
                        row.row,
                        row.pk,
                        row.changes,
                        row.digest,
                        row.deactivate,
                        row.reactivate,
                    ]
                    for row in self.updates
                ],
                "unchanged": self.unchanged,
                "skipped": [number for number, _name in self.skipped],
                "rows": self.rows,
            }
        )

    def samples(self):
        return self.creates[:SAMPLE_ROWS], self.updates[:SAMPLE_ROWS]
