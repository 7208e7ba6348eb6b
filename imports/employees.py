"""Employees from a spreadsheet: read, matched and checked row by row, written only on confirm.

`employee_import_preview` reads the file and says what would happen: which rows create an
employee, which update one, which change nothing, and every error with its row, column and
value. `employee_import_confirm` does the same against the database as it is now and, only if
there is not a single error, writes every row in one transaction
(`portal.services.employees.employees_import_write`).

The customer is the one the importer chose among those they may manage employees of; the file
never decides it, nor any primary key. A row is matched to an existing employee of the customer
by national identity number, else by e-mail address (any letter case); it may name only the
companies/departments the importer may manage, and may touch only employees in those. The
customer's employees are read once (one query), whatever the number of rows; the registered
national ids of those whose date of birth a row changes, once more, to check the new date.
"""

import datetime
import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imports.cleaning import (
    CellError,
    as_text,
    clean_email,
    clean_gender,
    clean_mobile,
    clean_name,
    clean_yes_no,
    read_birth_date,
    read_national_id,
)
from imports.employee_columns import COLUMN_BY_KEY, COLUMNS, header_key
from imports.employee_plan import Plan, PlannedRow, RowError
from imports.parsing import FileRefused, Limits, read_rows
from imports.pipeline import Importer, collections_paused, import_write
from imports.rows_kept import Rows, rows_recorded
from permissions.capabilities import Capability
from permissions.policies import scope_choices
from portal.crypto import national_id_decrypt, national_id_digest
from portal.formatting import format_date
from portal.models import Customer, Department, Employee, Exposure, ExposureType
from portal.services.employees import (
    EDITABLE_FIELDS,
    NATIONAL_ID_CHANGED,
    NOT_REGISTRABLE_HERE,
    audit_value,
    employees_import_write,
)
from portal.services.exposures import exposures_import_write
from portal.validators import (
    validate_birth_date_matches_registered_national_id,
    validate_national_id_matches_birth_date,
)

#: `progress(done, total, stage)`: how far a confirm is, for a job's page. It checks every row
#: (stage "checking", total: the rows as the preview counted them), then saves (stage
#: "saving", total: the rows that change something).
Progress = Callable[[int, int, str], object]
HEADER_SEARCH_ROWS = 10  # a title line or two above the column names is fine
# The editable fields a row's own cells give; its department is looked up by name or number.
CELL_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "department")


def importable_departments(*, actor, customer: Customer) -> list[Department]:
    """The customer's companies/departments the actor may import employees into."""
    return list(
        scope_choices(
            Department.objects.filter(customer_id=customer.pk), actor, Capability.MANAGE_EMPLOYEES
        ).order_by("name")
    )


def importable_customers(*, actor):
    """The customers whose employees the actor may import (staff: every customer)."""
    departments = scope_choices(Department.objects.all(), actor, Capability.MANAGE_EMPLOYEES)
    return Customer.objects.filter(pk__in=departments.values("customer_id")).order_by("name")


def employee_import_preview(*, actor, customer: Customer, content: bytes, limits=None) -> Plan:
    """Read and check the file; change nothing."""
    with collections_paused():
        return _Planner(actor=actor, customer=customer, limits=limits).plan(content)


def employee_import_confirm(
    *,
    actor,
    customer: Customer,
    content: bytes,
    limits=None,
    progress: Progress | None = None,
    rows: int = 0,
    expected: str = "",
    lines: Rows | None = None,
) -> Plan:
    """Check the file again against the database as it is now and write every row, or none.

    Returns the plan; nothing was written unless `plan.ok`. Raises ValidationError when the
    database refused a write (someone changed the same employees meanwhile), and
    `imports.pipeline.PlanChanged` when `expected` (the preview's fingerprint) is not the new
    plan's. `progress` hears how far it is (`rows`: the file's rows, as the preview counted
    them). `lines`, the rows the preview read (`Plan.lines`), spare reading the file again."""
    return import_write(
        importer=EmployeeImporter(actor=actor, customer=customer, limits=limits),
        content=content,
        expected=expected,
        progress=progress,
        rows=rows,
        lines=lines,
    )


class EmployeeImporter(Importer):
    """The employee register of one customer, from a spreadsheet (see the module's text)."""

    kind = "employees"

    def __init__(self, *, actor, customer: Customer, limits: Limits | None = None):
        self.actor = actor
        self.customer = customer
        self.planner = _Planner(actor=actor, customer=customer, limits=limits)

    def conflict_message(self) -> str:
        return _(
            "The import was not saved: employees of the customer were changed while it ran. "
            "Nothing has been imported. Upload the file again."
        )

    def lock(self) -> None:
        # Two imports for the same customer take turns.
        Customer.objects.select_for_update().filter(pk=self.customer.pk).first()

    def plan(
        self,
        content: bytes,
        *,
        progress: Progress | None = None,
        rows: int = 0,
        lines: Rows | None = None,
    ) -> Plan:
        return self.planner.plan(content, progress=progress, rows=rows, lines=lines)

    def write(self, plan: Plan, *, progress: Progress | None = None) -> None:
        employees_import_write(
            creates=plan.creates, updates=plan.updates, actor=self.actor, progress=progress
        )
        exposures_import_write(
            rows=[row for row in (*plan.creates, *plan.updates) if row.exposure_types],
            actor=self.actor,
            starts_on=self.planner.today,
        )


class _Planner:
    def __init__(self, *, actor, customer: Customer, limits: Limits | None):
        self.actor = actor
        self.customer = customer
        self.limits = limits or Limits.from_settings()
        self.departments = importable_departments(actor=actor, customer=customer)
        if not self.departments:
            raise PermissionDenied(_("You may not import employees of this customer."))
        self.today = timezone.localdate()
        self.department_by_id = {d.pk: d for d in self.departments}
        self.department_by_name = {" ".join(d.name.split()).casefold(): d for d in self.departments}
        self.exposure_types: dict[str, ExposureType] | None = None  # read if the file has them
        self.departments_by_org: dict[str, list[Department]] = {}
        for department in self.departments:
            if department.org_number:
                self.departments_by_org.setdefault(department.org_number, []).append(department)

    # -- the file ----------------------------------------------------------------------------

    def plan(
        self,
        content: bytes,
        *,
        progress: Progress | None = None,
        rows: int = 0,
        lines: Rows | None = None,
    ) -> Plan:
        """The plan of the file `content`, or of the rows a preview read from it (`lines`)."""
        plan = Plan(customer=self.customer)
        try:
            source = (
                iter(lines)
                if lines is not None
                else rows_recorded(read_rows(content, limits=self.limits), into=plan.lines)
            )
            columns = self._header(source, plan)
            self._load_employees()
            if "exposures" in columns:
                self._load_exposures()
            for number, cells in source:
                plan.rows += 1
                self._row(plan, number, cells, columns)
                if progress is not None:
                    progress(plan.rows, max(rows, plan.rows), "checking")
            self._check_registered_numbers(plan)
        except FileRefused as refused:
            plan.file_error = refused.message
        if not plan.file_error and plan.rows == 0:
            plan.file_error = _("The file has the column names but no employees below them.")
        return plan

    def _header(self, rows, plan: Plan) -> dict[str, tuple[int, str]]:
        """{column key: (index, heading as in the file)} from the first row naming columns."""
        fallback = None
        for _attempt, (_number, cells) in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
            known = {header_key(cell) for cell in cells} - {None}
            if len(known) >= 2:
                return self._columns(cells, plan)
            if known and fallback is None:
                fallback = cells
        if fallback is not None:  # one column name and none of the others: say which lack
            return self._columns(fallback, plan)
        raise FileRefused(
            _(
                "The file has no row with the column names (Fornavn, Etternavn, E-post, …) "
                "at the top. Download the template to see them."
            )
        )

    def _columns(self, cells, plan: Plan) -> dict[str, tuple[int, str]]:
        columns: dict[str, tuple[int, str]] = {}
        twice: list[str] = []
        for index, cell in enumerate(cells):
            key, heading = header_key(cell), as_text(cell)
            if key is None:
                if heading:
                    plan.ignored_columns.append(heading)
            elif key in columns:
                twice.append(f"{columns[key][1]} / {heading}")
            else:
                columns[key] = (index, heading)
        if twice:
            raise FileRefused(
                _("Some columns appear twice: %(columns)s. Keep one of each.")
                % {"columns": "; ".join(twice)}
            )
        missing = [c.heading for c in COLUMNS if c.required and c.key not in columns]
        if "department" not in columns and len(self.departments) > 1:
            missing.append(COLUMN_BY_KEY["department"].heading)
        if missing:
            raise FileRefused(
                ngettext(
                    "The file lacks the column %(columns)s. Download the template to see the "
                    "columns.",
                    "The file lacks the columns %(columns)s. Download the template to see the "
                    "columns.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)}
            )
        return columns

    def _load_employees(self) -> None:
        """The customer's employees, once: matching and uniqueness are rules within the
        customer (as in the employee services); who may touch which is decided by the
        departments from `permissions`."""
        self.existing = {}
        self.by_digest: dict[str, int] = {}
        self.active_by_email: dict[str, int] = {}
        self.inactive_by_email: dict[str, int] = {}
        rows = (
            Employee.objects.filter(customer_id=self.customer.pk)
            .order_by("pk")
            .values_list(
                "pk", "department_id", *CELL_FIELDS, "national_id_digest", "is_active", named=True
            )
        )
        for row in rows.iterator(chunk_size=5000):
            self.existing[row.pk] = row
            if row.national_id_digest:
                self.by_digest[row.national_id_digest] = row.pk
            by_email = self.active_by_email if row.is_active else self.inactive_by_email
            by_email[row.email.lower()] = row.pk
        # which row of the file first had each e-mail, national id digest and employee
        self.seen_email: dict[str, int] = {}
        self.seen_digest: dict[str, int] = {}
        self.claimed: dict[int, int] = {}
        # (row, employee, new date of birth, heading, value) for `_check_registered_numbers`
        self.changed_birth_dates: list[tuple[int, int, datetime.date, str, str]] = []

    def _load_exposures(self) -> None:
        """The exposure types a cell may name, and the customer's employees' open exposures
        (an exposure already registered is not added again): two queries."""
        self.exposure_types = {
            kind.name.casefold(): kind for kind in ExposureType.objects.filter(is_active=True)
        }
        self.open_exposures: dict[int, set[int]] = {}
        open_rows = Exposure.objects.filter(
            employee__customer_id=self.customer.pk, ends_on__isnull=True
        ).values_list("employee_id", "exposure_type_id")
        for employee_id, type_id in open_rows:
            self.open_exposures.setdefault(employee_id, set()).add(type_id)

    def _exposures(self, raw, fail) -> list[ExposureType]:
        """The exposure types a cell names, separated by commas, semicolons or line breaks."""
        if self.exposure_types is None:
            return []
        found: list[ExposureType] = []
        for part in re.split(r"[,;\n]", as_text(raw)):
            name = " ".join(part.split())
            if not name:
                continue
            kind = self.exposure_types.get(name.casefold())
            if kind is None:
                known = sorted(k.name for k in self.exposure_types.values())
                fail(
                    "exposures",
                    _("“%(value)s” is not an exposure type. Write one of: %(names)s.")
                    % {"value": name, "names": ", ".join(known)},
                )
                return []
            if kind not in found:
                found.append(kind)
        return found

    # -- one row -----------------------------------------------------------------------------

    def _row(self, plan: Plan, number: int, cells: tuple, columns) -> None:
        errors_before = len(plan.errors)

        def cell(key):
            index = columns.get(key, (None,))[0]
            return cells[index] if index is not None and index < len(cells) else None

        def heading(key):
            return columns[key][1] if key in columns else COLUMN_BY_KEY[key].heading

        def fail(key, message, *, raw=None, show_value=True):
            value = as_text(raw if raw is not None else cell(key)) if show_value else ""
            plan.errors.append(RowError(number, heading(key), value[:200], message))

        def clean(key, cleaner, **kwargs):
            try:
                return cleaner(cell(key), **kwargs)
            except CellError as error:
                fail(key, error.message, show_value=error.show_value)
                return None

        values = {
            "first_name": clean("first_name", clean_name, max_length=100),
            "last_name": clean("last_name", clean_name, max_length=100),
            "email": clean("email", clean_email),
            "mobile": clean("mobile", clean_mobile),
            "gender": clean("gender", clean_gender),
        }
        # the number, and the date of birth it tells
        read_number = clean("national_id", read_national_id, today=self.today)
        national_id, number_date = read_number or (None, None)
        values["birth_date"] = self._birth_date(
            plan, number, cell("birth_date"), national_id, number_date, fail, heading("birth_date")
        )
        active = clean("active", clean_yes_no)
        department = self._department(cell("department"), fail)
        exposures = self._exposures(cell("exposures"), fail)

        email, digest = values["email"], None
        email_key = email.lower() if email else None
        if email_key:
            if email_key in self.seen_email:
                fail(
                    "email",
                    _("Rows %(first)d and %(row)d have the same e-mail address.")
                    % {"first": self.seen_email[email_key], "row": number},
                )
            else:
                self.seen_email[email_key] = number
        if national_id:
            digest = national_id_digest(national_id)
            if digest in self.seen_digest:
                fail(
                    "national_id",
                    _("Rows %(first)d and %(row)d have the same national identity number.")
                    % {"first": self.seen_digest[digest], "row": number},
                    show_value=False,
                )
            else:
                self.seen_digest[digest] = number

        pk = self._match(email_key, digest, fail) if email_key else None
        if pk is not None:
            if pk in self.claimed:
                fail(
                    "email",
                    _("Rows %(first)d and %(row)d are the same employee.")
                    % {"first": self.claimed[pk], "row": number},
                )
            else:
                self.claimed[pk] = number
        if len(plan.errors) > errors_before:
            return

        if pk is None:
            self._plan_create(plan, number, values, department, national_id, digest, active, fail)
            if plan.creates and plan.creates[-1].row == number:
                plan.creates[-1].exposure_types = exposures
            return
        stored, birth_date = self.existing[pk], values["birth_date"]
        if national_id and birth_date is None:
            # a new number without a date: it must be of the date of birth already registered
            try:
                validate_national_id_matches_birth_date(national_id, stored.birth_date)
            except ValidationError as error:
                fail("national_id", " ".join(error.messages), show_value=False)
                return
        new_birth_date = birth_date not in (None, stored.birth_date)  # an empty cell keeps it
        if new_birth_date and stored.national_id_digest and not national_id:
            # checked against the registered number after the last row (`plan`)
            raw = as_text(cell("birth_date"))[:200]
            self.changed_birth_dates.append((number, pk, birth_date, heading("birth_date"), raw))
        self._plan_update(
            plan, number, pk, values, department, national_id, digest, active, exposures
        )

    def _check_registered_numbers(self, plan: Plan) -> None:
        """A date of birth changed for an employee with a registered national id must be that
        number's, as in the employee form. Only these rows' numbers are fetched (in one query)
        and decrypted; a refused row is no longer among the updates."""
        if not self.changed_birth_dates:
            return
        pks = [pk for _number, pk, *_rest in self.changed_birth_dates]
        tokens = dict(
            Employee.objects.filter(pk__in=pks).values_list("pk", "national_id_encrypted")
        )
        refused = set()
        for number, pk, date, heading, value in self.changed_birth_dates:
            if not tokens.get(pk):
                continue
            try:
                validate_birth_date_matches_registered_national_id(
                    national_id_decrypt(tokens[pk]), date
                )
            except ValidationError as error:
                plan.errors.append(RowError(number, heading, value, " ".join(error.messages)))
                refused.add(number)
        if refused:
            plan.errors.sort(key=lambda error: error.row or 0)  # in the order of the rows
            plan.updates = [row for row in plan.updates if row.row not in refused]

    def _birth_date(
        self, plan: Plan, number: int, raw, national_id, number_date, fail, heading: str
    ):
        """The row's date of birth, checked against its national id (`number_date`: the date
        the number tells, if any); a date that reads two ways (01/03/1990) is decided by the
        national id or shown as a warning to check."""
        try:
            date, other = read_birth_date(raw, today=self.today)
        except CellError as error:
            fail("birth_date", error.message)
            return None
        if date is None:
            number_date = None
        if other is not None and number_date == other:
            return other
        if number_date is not None and number_date != date:
            try:
                validate_national_id_matches_birth_date(national_id, date)
            except ValidationError as error:
                fail("national_id", " ".join(error.messages), show_value=False)
        elif other is not None and number_date is None:
            plan.warnings.append(
                RowError(
                    number,
                    heading,
                    as_text(raw)[:200],
                    _("read as %(date)s – check it") % {"date": format_date(date)},
                )
            )
        return date

    def _department(self, raw, fail) -> Department | None:
        text = as_text(raw)
        if not text:
            return None
        compact = text.replace(" ", "")
        if len(compact) == 9 and compact.isascii() and compact.isdigit():
            found = self.departments_by_org.get(compact, [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                fail(
                    "department",
                    _(
                        "Several of your companies/departments have this organisation number. "
                        "Write the name instead."
                    ),
                )
                return None
        department = self.department_by_name.get(" ".join(text.split()).casefold())
        if department is None:
            names = [d.name for d in self.departments]
            message = _("“%(value)s” is not one of the companies/departments you may import into.")
            if len(names) <= 10:
                message += " " + _("Write one of: %(names)s.") % {"names": ", ".join(names)}
            fail("department", message % {"value": text})
        return department

    def _match(self, email_key: str, digest: str | None, fail) -> int | None:
        """The existing employee this row is: the national id decides, else the e-mail (an
        active employee first, else the latest deactivated one with no other number)."""
        active_pk = self.active_by_email.get(email_key)
        if digest and digest in self.by_digest:
            by_number: int = self.by_digest[digest]
            pk: int | None = by_number
            if active_pk is not None and active_pk != by_number:
                if not self._manageable(by_number, active_pk):
                    return self._not_here(fail)
                fail(
                    "email",
                    _(
                        "Another active employee has this e-mail address, but the national "
                        "identity number belongs to someone else. Check the row."
                    ),
                )
                return None
        elif active_pk is not None:
            pk = active_pk
        else:
            pk = self.inactive_by_email.get(email_key)
            if pk is not None and digest and self.existing[pk].national_id_digest:
                pk = None  # a former employee with another number: this is someone else
        if pk is not None and not self._manageable(pk):
            return self._not_here(fail)
        return pk

    def _manageable(self, *pks: int) -> bool:
        return all(self.existing[pk].department_id in self.department_by_id for pk in pks)

    @staticmethod
    def _not_here(fail) -> None:
        """The row is someone in a company/department the importer may not manage: refused
        without saying where, or whether by the e-mail address or the national id."""
        fail("email", str(NOT_REGISTRABLE_HERE), show_value=False)

    def _plan_create(self, plan, number, values, department, national_id, digest, active, fail):
        if active is False:
            plan.skipped.append((number, f"{values['first_name']} {values['last_name']}"))
            return
        if department is None:
            if len(self.departments) > 1:
                fail(
                    "department",
                    _("Write the company/department of the new employee."),
                    raw="",
                )
                return
            department = self.departments[0]
        row = PlannedRow(row=number, pk=None, department=department, **values)
        row.national_id, row.digest = national_id or None, digest
        plan.creates.append(row)

    def _plan_update(
        self, plan, number, pk, values, department, national_id, digest, active, exposures
    ):
        stored = self.existing[pk]
        before = {name: getattr(stored, name) for name in CELL_FIELDS}
        before["department"] = self.department_by_id[stored.department_id]
        row = PlannedRow(row=number, pk=pk, department=before["department"])
        row.is_active = stored.is_active
        for name in CELL_FIELDS:
            old, new = before[name], values[name]
            keep = new in (None, "") or (name == "email" and new.lower() == old.lower())
            setattr(row, name, old if keep else new)
        if department is not None:
            row.department = department
        changes = {}
        for name in EDITABLE_FIELDS:
            old, new = audit_value(name, before[name]), row.display(name)
            if old != new:
                changes[name] = [old, new]
        if national_id and digest != stored.national_id_digest:
            row.national_id, row.digest = national_id, digest
            changes["national_id"] = [NATIONAL_ID_CHANGED, NATIONAL_ID_CHANGED]
        registered = self.open_exposures.get(pk, set()) if exposures else set()
        row.exposure_types = [kind for kind in exposures if kind.pk not in registered]
        if row.exposure_types:
            changes["exposures"] = [None, ", ".join(kind.name for kind in row.exposure_types)]
        row.changes = changes
        row.deactivate = active is False and stored.is_active
        row.reactivate = active is True and not stored.is_active
        if changes or row.deactivate or row.reactivate:
            plan.updates.append(row)
        else:
            plan.unchanged += 1
