"""Writing a checked import plan: in batches, a constant number of queries per batch.

New employees go in with `bulk_create`; changed ones with one `UPDATE … FROM (VALUES …)` per
batch on PostgreSQL (per 99 rows on SQLite, its parameter limit), which beats the CASE
statement Django's `bulk_update` builds; other databases get `bulk_update`. Each batch writes
its audit events with one more INSERT. Deactivation and reactivation go through the employee
services, one by one: they are rare, and deactivating cancels future bookings and tells the
employee.

Order matters for the database's unique rules: deactivations free e-mail addresses first, then
updates, then new employees, then reactivations. Called inside the confirm's transaction.
"""

import json
import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from portal import services
from portal.crypto import national_id_encrypt
from portal.models import Department, Employee
from portal.services.employees import NATIONAL_ID_CHANGED

BATCH_SIZE = 1000
AUDIT_ACTION = AuditAction.IMPORTED
# In the order `_values` gives them.
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


def plan_write(plan, *, actor, progress=None) -> None:
    """Write the plan; `progress(done, total, "saving")` hears of each batch written."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Employee)
    total, done = plan.writes, 0

    def written(count):
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total, "saving")

    for row in plan.updates:
        if row.deactivate:
            services.employee_deactivate(employee=_employee(row.pk), actor=actor)
            written(0 if row.changes else 1)
    changed = plan.changed
    for start in range(0, len(changed), BATCH_SIZE):
        batch = changed[start : start + BATCH_SIZE]
        _update(batch, now)
        _audit(
            [(row, row.changes) for row in batch], actor=actor, content_type=content_type, now=now
        )
        written(len(batch))
    for start in range(0, len(plan.creates), BATCH_SIZE):
        batch = plan.creates[start : start + BATCH_SIZE]
        employees = Employee.objects.bulk_create(
            [_employee_of(row, customer_id=plan.customer.pk, created_at=now) for row in batch]
        )
        for row, employee in zip(batch, employees, strict=True):
            row.pk = employee.pk
        if connection.vendor in CREATED_AUDIT_SQL:
            _audit_created(
                [row.pk for row in batch], actor=actor, content_type=content_type, now=now
            )
        else:
            _audit(
                [(row, row.creation_changes()) for row in batch],
                actor=actor,
                content_type=content_type,
                now=now,
            )
        written(len(batch))
    for row in plan.updates:
        if row.reactivate:
            services.employee_reactivate(employee=_employee(row.pk), actor=actor)
            if not row.changes and not row.deactivate:
                written(1)


def _employee(pk) -> Employee:
    return Employee.objects.select_related("department").get(pk=pk)


def _employee_of(row, **extra) -> Employee:
    """The planned row as an unsaved Employee, with its new number when it brings one."""
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


def _values(row, ops) -> list:
    """The row's line of the VALUES list: pk, UPDATED_COLUMNS, NATIONAL_ID_COLUMNS (NULL when
    the row brings no new number)."""
    new_number = bool(row.national_id)
    return [
        row.pk,
        row.department.pk,
        row.first_name,
        row.last_name,
        row.email,
        row.mobile or "",
        ops.adapt_datefield_value(row.birth_date),
        row.gender or "",
        national_id_encrypt(row.national_id) if new_number else None,
        row.digest if new_number else None,
    ]


def _update(batch, now) -> None:
    if connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33)
    ):
        limit = connection.features.max_query_params
        size = len(batch) if limit is None else max(1, (limit - 1) // (len(UPDATED_COLUMNS) + 3))
        for start in range(0, len(batch), size):
            _update_from_values(batch[start : start + size], now)
    else:
        _bulk_update(batch, now)


def _update_from_values(rows, now) -> None:
    """UPDATE portal_employee AS e SET … FROM (VALUES (…), …) AS v WHERE e.id = v.id: one
    statement for many rows, where Django's bulk_update builds a CASE per column and row (slow
    for PostgreSQL to plan, and for SQLite to run)."""
    opts = Employee._meta
    ops, quote = connection.ops, connection.ops.quote_name
    fields = [opts.pk, *(opts.get_field(n) for n in (*UPDATED_COLUMNS, *NATIONAL_ID_COLUMNS))]
    if connection.vendor == "postgresql":
        source = [f"CAST(v.{quote(f.column)} AS {f.db_type(connection)})" for f in fields]
        alias = f"v({', '.join(quote(f.column) for f in fields)})"
    else:  # SQLite names the columns of a VALUES list column1, column2, …
        source = [f"v.column{i}" for i in range(1, len(fields) + 1)]
        alias = "v"
    kept = 1 + len(UPDATED_COLUMNS)
    assignments = [
        f"{quote(f.column)} = {value}"
        for f, value in zip(fields[1:kept], source[1:kept], strict=True)
    ]
    assignments += [
        f"{quote(f.column)} = COALESCE({value}, e.{quote(f.column)})"
        for f, value in zip(fields[kept:], source[kept:], strict=True)
    ]
    assignments.append(f"{quote(opts.get_field('updated_at').column)} = %s")
    version = quote(opts.get_field("version").column)  # a form opened before is refused after
    assignments.append(f"{version} = e.{version} + 1")
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Identifiers come from the model, every value is a parameter.
    sql = (
        f"UPDATE {quote(opts.db_table)} AS e SET {', '.join(assignments)} "  # noqa: S608
        f"FROM (VALUES {', '.join([row_sql] * len(rows))}) AS {alias} "
        f"WHERE e.{quote(opts.pk.column)} = {source[0]}"
    )
    params = [ops.adapt_datetimefield_value(now)]
    for row in rows:
        params.extend(_values(row, ops))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _bulk_update(batch, now) -> None:
    plain: list[Employee] = []
    with_number: list[Employee] = []
    for row in batch:
        employee = _employee_of(row, pk=row.pk, updated_at=now, version=F("version") + 1)
        (with_number if row.national_id else plain).append(employee)
    columns = [*UPDATED_COLUMNS, "updated_at", "version"]
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


# The audit events of new employees, written by the database from the rows just inserted: the
# same `changes` as `employee_create` records ([None, value] for each field, empty as null, the
# birth date as dd.mm.åååå, the number only as "changed"), without building an object and a
# JSON document per row in Python.
CREATED_AUDIT_SQL = {
    "postgresql": """
        INSERT INTO {audit}
            (actor_id, action, content_type_id, object_id, object_repr, changes, created_at)
        SELECT %s, %s, %s, CAST(e.id AS varchar),
            SUBSTR(TRIM(e.first_name || ' ' || e.last_name), 1, 200),
            jsonb_build_object(
                'first_name', jsonb_build_array(NULL, NULLIF(e.first_name, '')),
                'last_name', jsonb_build_array(NULL, NULLIF(e.last_name, '')),
                'email', jsonb_build_array(NULL, NULLIF(e.email, '')),
                'mobile', jsonb_build_array(NULL, NULLIF(e.mobile, '')),
                'birth_date', jsonb_build_array(NULL, to_char(e.birth_date, 'DD.MM.YYYY')),
                'gender', jsonb_build_array(NULL, NULLIF(e.gender, '')),
                'department', jsonb_build_array(NULL, d.name)
            ) || CASE WHEN e.national_id_digest <> ''
                THEN jsonb_build_object('national_id', jsonb_build_array(NULL, %s))
                ELSE '{}'::jsonb END,
            %s
        FROM {employee} e JOIN {department} d ON d.id = e.department_id
        WHERE e.id = ANY(%s)
        ORDER BY e.id
    """,
    "sqlite": """
        INSERT INTO {audit}
            (actor_id, action, content_type_id, object_id, object_repr, changes, created_at)
        SELECT %s, %s, %s, CAST(e.id AS TEXT),
            SUBSTR(TRIM(e.first_name || ' ' || e.last_name), 1, 200),
            json_patch(
                json_object(
                    'first_name', json_array(NULL, NULLIF(e.first_name, '')),
                    'last_name', json_array(NULL, NULLIF(e.last_name, '')),
                    'email', json_array(NULL, NULLIF(e.email, '')),
                    'mobile', json_array(NULL, NULLIF(e.mobile, '')),
                    'birth_date', json_array(NULL, strftime('%%d.%%m.%%Y', e.birth_date)),
                    'gender', json_array(NULL, NULLIF(e.gender, '')),
                    'department', json_array(NULL, d.name)
                ),
                CASE WHEN e.national_id_digest <> ''
                    THEN json_object('national_id', json_array(NULL, %s)) ELSE '{}' END
            ),
            %s
        FROM {employee} e JOIN {department} d ON d.id = e.department_id
        WHERE e.id IN (SELECT value FROM json_each(%s))
        ORDER BY e.id
    """,
}


def _audit_created(pks, *, actor, content_type, now) -> None:
    ids = pks if connection.vendor == "postgresql" else json.dumps(pks)
    params = [
        actor.pk if getattr(actor, "pk", None) else None,
        AUDIT_ACTION,
        content_type.pk,
        NATIONAL_ID_CHANGED,
        connection.ops.adapt_datetimefield_value(now),
        ids,
    ]
    sql = CREATED_AUDIT_SQL[connection.vendor]
    for name, model in (("audit", AuditEvent), ("employee", Employee), ("department", Department)):
        sql = sql.replace(f"{{{name}}}", connection.ops.quote_name(model._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
