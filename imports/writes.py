"""Writing a checked import plan: in batches, a constant number of queries per batch.

New employees go in with `bulk_create`; changed ones with one UPDATE per batch — on PostgreSQL
an `UPDATE … FROM (VALUES …)`, which beats the CASE statement Django's `bulk_update` builds;
elsewhere `bulk_update`. Each batch writes its audit events with one more INSERT. Deactivation
and reactivation go through the employee services, one by one: they are rare, and deactivating
cancels future bookings and tells the employee.

Order matters for the database's unique rules: deactivations free e-mail addresses first, then
updates, then new employees, then reactivations. Called inside the confirm's transaction.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from portal import services
from portal.crypto import national_id_encrypt
from portal.models import Employee
from portal.models.audit import AuditEvent

BATCH_SIZE = 1000
AUDIT_ACTION = "imported"
UPDATED_COLUMNS = (
    "department",
    "first_name",
    "last_name",
    "email",
    "mobile",
    "birth_date",
    "gender",
)
# Kept when NULL in the VALUES list: a row without a new number keeps the stored one.
NATIONAL_ID_COLUMNS = ("national_id_encrypted", "national_id_digest")


def plan_write(plan, *, actor) -> None:
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Employee)
    for row in plan.updates:
        if row.deactivate:
            services.employee_deactivate(employee=_employee(row.pk), actor=actor)
    changed = plan.changed
    for start in range(0, len(changed), BATCH_SIZE):
        batch = changed[start : start + BATCH_SIZE]
        _update(batch, now)
        _audit(
            [(row, row.changes) for row in batch], actor=actor, content_type=content_type, now=now
        )
    for start in range(0, len(plan.creates), BATCH_SIZE):
        batch = plan.creates[start : start + BATCH_SIZE]
        employees = Employee.objects.bulk_create(
            [_new_employee(row, customer_id=plan.customer.pk, now=now) for row in batch]
        )
        for row, employee in zip(batch, employees, strict=True):
            row.pk = employee.pk
        _audit(
            [(row, row.creation_changes()) for row in batch],
            actor=actor,
            content_type=content_type,
            now=now,
        )
    for row in plan.updates:
        if row.reactivate:
            services.employee_reactivate(employee=_employee(row.pk), actor=actor)


def _employee(pk) -> Employee:
    return Employee.objects.select_related("department").get(pk=pk)


def _new_employee(row, *, customer_id: int, now) -> Employee:
    employee = Employee(
        customer_id=customer_id,
        department_id=row.department.pk,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        mobile=row.mobile or "",
        birth_date=row.birth_date,
        gender=row.gender or "",
        created_at=now,
    )
    if row.national_id:
        employee.national_id_encrypted = national_id_encrypt(row.national_id)
        employee.national_id_digest = row.digest
    return employee


def _values(row) -> list:
    encrypted = national_id_encrypt(row.national_id) if row.national_id else None
    return [
        row.pk,
        row.department.pk,
        row.first_name,
        row.last_name,
        row.email,
        row.mobile or "",
        row.birth_date,
        row.gender or "",
        encrypted,
        row.digest if row.national_id else None,
    ]


def _update(batch, now) -> None:
    if connection.vendor == "postgresql":
        _update_from_values(batch, now)
    else:
        _bulk_update(batch, now)


def _update_from_values(batch, now) -> None:
    """UPDATE portal_employee AS e SET … FROM (VALUES (…), …) AS v(…) WHERE e.id = v.id."""
    opts = Employee._meta
    quote = connection.ops.quote_name
    fields = [opts.pk] + [opts.get_field(name) for name in (*UPDATED_COLUMNS, *NATIONAL_ID_COLUMNS)]
    names = [quote(f.column) for f in fields]
    assignments = [
        f"{quote(f.column)} = CAST(v.{quote(f.column)} AS {f.db_type(connection)})"
        for f in fields[1 : 1 + len(UPDATED_COLUMNS)]
    ]
    assignments += [
        f"{quote(f.column)} = COALESCE(CAST(v.{quote(f.column)} AS {f.db_type(connection)}), "
        f"e.{quote(f.column)})"
        for f in fields[1 + len(UPDATED_COLUMNS) :]
    ]
    assignments.append(f"{quote(opts.get_field('updated_at').column)} = %s")
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Identifiers come from the model, every value is a parameter.
    sql = (
        f"UPDATE {quote(opts.db_table)} AS e SET {', '.join(assignments)} "  # noqa: S608
        f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v({', '.join(names)}) "
        f"WHERE e.{quote(opts.pk.column)} = CAST(v.{quote(opts.pk.column)} AS "
        f"{opts.pk.db_type(connection)})"
    )
    params = [now]
    for row in batch:
        params.extend(_values(row))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _bulk_update(batch, now) -> None:
    plain, with_number = [], []
    for row in batch:
        values = _values(row)
        employee = Employee(
            pk=values[0],
            department_id=values[1],
            first_name=values[2],
            last_name=values[3],
            email=values[4],
            mobile=values[5],
            birth_date=values[6],
            gender=values[7],
            updated_at=now,
        )
        if values[8] is not None:
            employee.national_id_encrypted, employee.national_id_digest = values[8], values[9]
            with_number.append(employee)
        else:
            plain.append(employee)
    columns = [*UPDATED_COLUMNS, "updated_at"]
    if plain:
        Employee.objects.bulk_update(plain, columns, batch_size=BATCH_SIZE)
    if with_number:
        Employee.objects.bulk_update(
            with_number, [*columns, *NATIONAL_ID_COLUMNS], batch_size=BATCH_SIZE
        )


def _audit(rows_and_changes, *, actor, content_type, now) -> None:
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor if getattr(actor, "pk", None) else None,
                action=AUDIT_ACTION,
                content_type=content_type,
                object_id=str(row.pk),
                object_repr=row.full_name[:200],
                changes=changes,
                created_at=now,
            )
            for row, changes in rows_and_changes
        ]
    )
