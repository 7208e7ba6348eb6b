"""The employee register: every write goes through here, checked, audited."""

from collections import defaultdict
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction, AuditEvent
from audit.services import audit_changes, audit_event, audit_record
from permissions.capabilities import REVEAL_NATIONAL_ID, Capability
from permissions.policies import DEPARTMENTS, EMPLOYEES
from permissions.scoping import is_staff_with, is_unscoped
from portal.crypto import national_id_encrypt
from portal.formatting import format_date
from portal.models import Department, Employee
from portal.services.booking_months import booking_months_refresh
from portal.services.bookings import bookings_cancel_future_for_employee
from portal.services.exposures import exposures_move
from portal.services.versions import version_claim
from portal.text import validate_single_line_text
from portal.validators import (
    normalize_mobile,
    normalize_national_id,
    validate_birth_date_matches_registered_national_id,
    validate_national_id,
    validate_national_id_matches_birth_date,
)
from webhooks.events import emit, emit_many, employee_payload, listeners

#: What is checked for control characters when no form did (a command, an import).
TEXT_FIELDS = ("first_name", "last_name", "email")
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "mobile",
    "birth_date",
    "gender",
    "department",
)
NATIONAL_ID_CHANGED = "changed"
# Said when a new value clashes with an employee the user may not see: not where, not in what.
NOT_REGISTRABLE_HERE = gettext_lazy(
    "This person cannot be registered here. Ask your administrator."
)


def _require_manage(actor, department: Department) -> None:
    if not DEPARTMENTS.allows(actor, department, Capability.MANAGE_EMPLOYEES):
        raise PermissionDenied(_("You may not manage employees of this company/department."))


def employee_email_taken(*, customer_id: int, email: str, exclude_pk=None) -> Employee | None:
    """The other ACTIVE employee of the customer with this address (any letter case), if any."""
    queryset = Employee.objects.filter(
        customer_id=customer_id, is_active=True, email__iexact=email.strip()
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.only("pk", "department_id").first()


def employee_clash_message(*, actor, other: Employee | None, message: str) -> str:
    """`message`, about `other`, the employee whose address or number a new value clashes with,
    when the actor may see them; otherwise a refusal that says neither where nor in what they
    are registered: a user of one department must not learn who is employed in another."""
    if other is None or (
        actor is not None and EMPLOYEES.allows(actor, other, Capability.VIEW_EMPLOYEES)
    ):
        return message
    return str(NOT_REGISTRABLE_HERE)


def _check(
    employee: Employee, national_id: str | None, *, actor, birth_date_changed: bool = False
) -> None:
    """`national_id`: the new number ("" none, None the registered one kept)."""
    errors: dict[str, str | list[str]] = {}
    for name in TEXT_FIELDS:
        try:
            validate_single_line_text(getattr(employee, name))
        except ValidationError as error:
            errors[name] = error.messages
    if not employee.email:
        errors["email"] = _("The e-mail address is required.")
    elif employee.is_active and (
        other := employee_email_taken(
            customer_id=employee.department.customer_id,
            email=employee.email,
            exclude_pk=employee.pk,
        )
    ):
        errors["email"] = employee_clash_message(
            actor=actor,
            other=other,
            message=_(
                "An active employee of this customer already has the e-mail address %(email)s."
            )
            % {"email": employee.email},
        )
    try:
        employee.mobile = normalize_mobile(employee.mobile or "")
    except ValidationError as error:
        errors["mobile"] = error.messages
    if national_id:
        try:
            validate_national_id(national_id)
            validate_national_id_matches_birth_date(national_id, employee.birth_date)
        except ValidationError as error:
            errors["national_id"] = error.messages
    elif national_id is None and birth_date_changed and employee.has_national_id:
        try:
            validate_birth_date_matches_registered_national_id(
                employee.reveal_national_id(), employee.birth_date
            )
        except ValidationError as error:
            errors["birth_date"] = error.messages
    if errors:
        raise ValidationError(errors)


def _save(employee: Employee, *, national_id: str | None, actor, update_fields=None) -> None:
    """Save; a race on the unique e-mail or national id still ends as a clear message."""
    customer_id = employee.department.customer_id
    if national_id is not None:
        employee.set_national_id(national_id)
        if national_id:
            other = (
                Employee.objects.filter(
                    customer_id=customer_id, national_id_digest=employee.national_id_digest
                )
                .exclude(pk=employee.pk)
                .only("pk", "department_id")
                .first()
            )
            if other is not None:
                raise ValidationError(
                    {
                        "national_id": employee_clash_message(
                            actor=actor,
                            other=other,
                            message=_(
                                "Another employee of this customer has this national identity "
                                "number."
                            ),
                        )
                    }
                )
    try:
        with transaction.atomic():
            employee.save(update_fields=update_fields)
    except IntegrityError:
        other = (
            Employee.objects.filter(
                customer_id=customer_id, is_active=True, email__iexact=employee.email
            )
            .exclude(pk=employee.pk)
            .only("pk", "department_id")
            .first()
        )
        message = _("An active employee of this customer already has this e-mail address.")
        raise ValidationError(
            {"email": employee_clash_message(actor=actor, other=other, message=message)}
        ) from None


@transaction.atomic
def employee_create(*, actor, department: Department, national_id: str = "", **fields):
    """Add an employee; the national id (optional) is validated, encrypted and masked."""
    _require_manage(actor, department)
    employee = Employee(department=department, **fields)
    employee.email = (employee.email or "").strip()
    national_id = normalize_national_id(national_id or "")
    _check(employee, national_id, actor=actor)
    _save(employee, national_id=national_id, actor=actor)
    changes = creation_changes(employee, with_national_id=bool(national_id))
    audit_record(actor=actor, action=AuditAction.CREATED, obj=employee, changes=changes)
    emit("employee.created", employee_payload(employee))
    return employee


@transaction.atomic
def employee_update(
    *,
    employee: Employee,
    actor,
    national_id: str | None = None,
    version: int | None = None,
    **fields,
):
    """Change the given fields; `national_id` None keeps the number, "" removes it. Refused
    with `StaleEdit` when the row is no longer at `version` (the one the edit began on; None:
    the one `employee` was loaded with)."""
    _require_manage(actor, employee.department)
    target = fields.get("department", employee.department)
    if target.pk != employee.department_id:
        _require_manage(actor, target)
    version_claim(employee, version=version)
    before = {name: _display(employee, name) for name in EDITABLE_FIELDS}
    birth_date_before, before_department = employee.birth_date, employee.department_id
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not editable")
        setattr(employee, name, value)
    employee.email = (employee.email or "").strip()
    if national_id:
        national_id = normalize_national_id(national_id)
    _check(
        employee,
        national_id,
        actor=actor,
        birth_date_changed=employee.birth_date != birth_date_before,
    )
    had_number = employee.national_id_digest
    moved = employee.department_id != before_department
    _save(employee, national_id=national_id, actor=actor)
    if moved:  # their months and exposures count for the department they are in now
        booking_months_refresh(employee_ids=[employee.pk])
        exposures_move(employee_ids=[employee.pk], department_id=employee.department_id)
    after = {name: _display(employee, name) for name in EDITABLE_FIELDS}
    changes = audit_changes(before, after)
    if national_id is not None and employee.national_id_digest != had_number:
        changes["national_id"] = [NATIONAL_ID_CHANGED, NATIONAL_ID_CHANGED]
    if changes:
        audit_record(actor=actor, action=AuditAction.CHANGED, obj=employee, changes=changes)
        emit("employee.updated", employee_payload(employee))
    return employee


@transaction.atomic
def employee_deactivate(*, employee: Employee, actor) -> list:
    """Deactivate (the person has left): the address is free again, future bookings are
    cancelled. Returns the cancelled bookings so the user can be told which."""
    _require_manage(actor, employee.department)
    locked = Employee.objects.select_for_update().get(pk=employee.pk)
    if not locked.is_active:
        raise ValidationError(
            _("%(name)s is already deactivated.") % {"name": locked.full_name},
            code="inactive",
        )

    cancelled = bookings_cancel_future_for_employee(employee=locked, actor=actor)
    locked.is_active = False
    locked.deactivated_by = actor
    locked.deactivated_at = timezone.now()
    locked.save(update_fields=["is_active", "deactivated_by", "deactivated_at", "updated_at"])
    booking_months_refresh(employee_ids=[locked.pk])
    audit_record(
        actor=actor,
        action=AuditAction.DEACTIVATED,
        obj=locked,
        changes={"is_active": [True, False]}
        | ({"cancelled_bookings": [len(cancelled), 0]} if cancelled else {}),
    )
    employee.refresh_from_db()
    emit("employee.deactivated", employee_payload(locked))
    return cancelled


@transaction.atomic
def employee_reactivate(*, employee: Employee, actor) -> Employee:
    _require_manage(actor, employee.department)
    locked = Employee.objects.select_for_update().get(pk=employee.pk)
    if locked.is_active:
        raise ValidationError(
            _("%(name)s is already active.") % {"name": locked.full_name}, code="active"
        )
    if other := employee_email_taken(customer_id=locked.customer_id, email=locked.email):
        raise ValidationError(
            employee_clash_message(
                actor=actor,
                other=other,
                message=_(
                    "%(email)s is now used by an active colleague. Give %(name)s another "
                    "e-mail address first."
                )
                % {"email": locked.email, "name": locked.full_name},
            ),
            code="email_taken",
        )
    locked.is_active = True
    locked.deactivated_by = None
    locked.deactivated_at = None
    locked.save(update_fields=["is_active", "deactivated_by", "deactivated_at", "updated_at"])
    booking_months_refresh(employee_ids=[locked.pk])
    audit_record(
        actor=actor,
        action=AuditAction.REACTIVATED,
        obj=locked,
        changes={"is_active": [False, True]},
    )
    employee.refresh_from_db()
    emit("employee.updated", employee_payload(locked))
    return locked


def national_id_reveal(*, employee: Employee, actor) -> str:
    """Show a stored number in clear to staff with the dedicated permission; logged."""
    if not (
        is_staff_with(actor, REVEAL_NATIONAL_ID) and is_unscoped(actor, Capability.VIEW_EMPLOYEES)
    ):
        raise PermissionDenied(_("You may not see national identity numbers."))
    if not employee.has_national_id:
        raise ValidationError(_("No national identity number is registered."))
    audit_record(actor=actor, action=AuditAction.NATIONAL_ID_REVEALED, obj=employee)
    return employee.reveal_national_id()


def audit_value(name: str, value):
    """A field's value as the audit trail records it: the department by name, the birth date
    as dd.mm.åååå, an empty value as None. The import records its rows the same way."""
    if name == "department":
        return value.name if value else None
    if name == "birth_date":
        return format_date(value) or None
    return value if value not in ("", None) else None


def creation_changes(employee, *, with_national_id: bool) -> dict:
    """The audit changes of a new employee (or of an import row that creates one): every
    editable field from None, the number only as "changed"."""
    changes = {name: [None, _display(employee, name)] for name in EDITABLE_FIELDS}
    if with_national_id:
        changes["national_id"] = [None, NATIONAL_ID_CHANGED]
    return changes


def _display(employee, name: str):
    return audit_value(name, getattr(employee, name))


__all__ = [
    "employee_create",
    "employee_deactivate",
    "employee_reactivate",
    "employee_update",
    "national_id_reveal",
]


# -- an import's rows, many at once ---------------------------------------------------------------

IMPORT_BATCH_SIZE = 1000
IMPORT_NATIONAL_ID_FIELDS = ("national_id_encrypted", "national_id_digest")


def employees_import_write(*, creates, updates, actor, progress=None) -> None:
    """Write an import's checked rows (the planned rows of `imports.employee_plan`), each with
    one audit event as the one-by-one services write it. `progress(done, total, "saving")`
    hears of each batch written. Called inside the confirm's transaction.

    Order matters for the database's unique rules: deactivations free e-mail addresses first,
    then updates, then new employees, then reactivations. Deactivation and reactivation go
    through `employee_deactivate` / `employee_reactivate`, one by one: they are rare, and
    deactivating cancels future bookings and tells the employee."""
    now = timezone.now()
    total, done = len(creates) + len(updates), 0
    # Asked once: each batch below tells the endpoints that want it, if any.
    webhooks = listeners("employee.created", "employee.updated")

    def written(count):
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total, "saving")

    for row in updates:
        if row.deactivate:
            employee_deactivate(employee=_imported(row.pk), actor=actor)
            written(0 if row.changes else 1)
    changed = [row for row in updates if row.changes]
    for start in range(0, len(changed), IMPORT_BATCH_SIZE):
        batch = changed[start : start + IMPORT_BATCH_SIZE]
        employees = [
            _employee_of_row(row, pk=row.pk, customer_id=row.department.customer_id)
            for row in batch
        ]
        _import_update(batch, employees, now)
        _import_audit(employees, [row.changes for row in batch], actor=actor, now=now)
        emit_many(
            "employee.updated",
            _imported_payloads(employees),
            endpoints=webhooks["employee.updated"],
        )
        written(len(batch))
    for start in range(0, len(creates), IMPORT_BATCH_SIZE):
        batch = creates[start : start + IMPORT_BATCH_SIZE]
        employees = Employee.objects.bulk_create(
            [
                _employee_of_row(row, customer_id=row.department.customer_id, created_at=now)
                for row in batch
            ]
        )
        for row, employee in zip(batch, employees, strict=True):
            row.pk = employee.pk
        _import_audit(employees, [row.creation_changes() for row in batch], actor=actor, now=now)
        emit_many(
            "employee.created",
            _imported_payloads(employees),
            endpoints=webhooks["employee.created"],
        )
        written(len(batch))
    for row in updates:
        if row.reactivate:
            employee_reactivate(employee=_imported(row.pk), actor=actor)
            if not row.changes and not row.deactivate:
                written(1)


def _import_update(batch, employees, now) -> None:
    """Each row's changed fields only; rows that change the same fields go together, which in
    a real file is most of them. The time of the change and the version move on for the whole
    batch in one UPDATE: an edit form opened before the import is refused after it.

    The changed fields are written as an upsert on the primary key (`bulk_create` with
    `update_conflicts`): one `INSERT … ON CONFLICT (id) DO UPDATE SET field = excluded.field`
    a batch, on SQLite and PostgreSQL alike. `bulk_update` builds a `CASE WHEN id = …` per row
    and column, which costs Django more to compile than the database to run (about 0.6 s for
    5,000 rows and one field). Every row of the batch exists (the UPDATE above counts them, and
    the import holds the customer's lock), so the upsert never inserts."""
    bumped = Employee.objects.filter(pk__in=[row.pk for row in batch]).update(
        updated_at=now, version=F("version") + 1
    )
    if bumped != len(batch):
        # An employee of the plan is gone: the upsert would bring it back. The import's
        # caller reports this as the register changed while the import ran.
        raise IntegrityError("an employee of the import no longer exists")
    by_fields: dict[tuple[str, ...], list[Employee]] = defaultdict(list)
    for row, employee in zip(batch, employees, strict=True):
        fields = tuple(name for name in EDITABLE_FIELDS if name in row.changes)
        if row.national_id:
            fields += IMPORT_NATIONAL_ID_FIELDS
        by_fields[fields].append(employee)
    for fields, employees in by_fields.items():
        if fields:
            Employee.objects.bulk_create(
                employees,
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=fields,
            )
    moved = [row for row in batch if "department" in row.changes]
    booking_months_refresh(employee_ids=[row.pk for row in moved])
    for department_id, rows in groupby(
        sorted(moved, key=lambda row: row.department.pk), key=lambda row: row.department.pk
    ):
        exposures_move(employee_ids=[row.pk for row in rows], department_id=department_id)


def _imported_payloads(employees):
    """The webhook payloads of an import's batch, read back in one query, and only when some
    endpoint wants them (`emit_many` reads them then)."""
    rows = Employee.objects.filter(pk__in=[employee.pk for employee in employees])
    yield from (employee_payload(employee) for employee in rows.order_by("pk"))


def _imported(pk) -> Employee:
    return Employee.objects.select_related("department").get(pk=pk)


def _employee_of_row(row, **extra) -> Employee:
    """A planned row as an unsaved Employee, with its new number when it brings one."""
    employee = Employee(
        department_id=row.department.pk,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        mobile=row.mobile or "",
        birth_date=row.birth_date,
        gender=row.gender or "",
        **extra,
    )
    if row.national_id:
        employee.national_id_encrypted = national_id_encrypt(row.national_id)
        employee.national_id_digest = row.digest
    return employee


def _import_audit(employees, changes, *, actor, now) -> None:
    AuditEvent.objects.bulk_create(
        [
            audit_event(
                actor=actor, action=AuditAction.IMPORTED, obj=employee, changes=c, created_at=now
            )
            for employee, c in zip(employees, changes, strict=True)
        ],
        batch_size=IMPORT_BATCH_SIZE,
    )
