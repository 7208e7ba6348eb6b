"""Writes of exposures (what calls for health surveillance) and of their types.

An employee's exposures are kept by whoever may manage the employee (the customer's HR and
staff); exposure types by staff. Each write is audited. A note describes the work, never health:
it is refused when it holds a national id number or a health word (`portal.sensitive`).
"""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction, AuditEvent
from audit.services import audit_changes, audit_event, audit_record
from permissions.capabilities import Capability
from permissions.policies import EMPLOYEES, EXPOSURES
from portal.formatting import format_date
from portal.models import Contract, Employee, Exposure, ExposureType, Order
from portal.sensitive import sensitive_text_check
from portal.services.orders import order_submit
from portal.services.surveillance import exposures_due_refresh, exposures_recheck
from portal.services.versions import version_claim
from portal.text import texts_validate

EXPOSURE_FIELDS = ("exposure_type", "starts_on", "ends_on", "note")
ENDS_BEFORE_STARTS = gettext_lazy("The exposure cannot end before it starts.")


def _require_manage(actor, employee: Employee) -> None:
    if not EMPLOYEES.allows(actor, employee, Capability.MANAGE_EMPLOYEES):
        raise PermissionDenied(_("You may not manage employees of this company/department."))


def _check(exposure: Exposure, *, type_changed: bool) -> None:
    texts_validate({"note": exposure.note})
    exposure.note = exposure.note.strip()
    sensitive_text_check(exposure.note, field="note")
    if type_changed and not exposure.exposure_type.is_active:
        raise ValidationError(
            {"exposure_type": _("This exposure type is no longer in use. Choose another.")}
        )
    if exposure.ends_on is not None and exposure.ends_on < exposure.starts_on:
        raise ValidationError({"ends_on": ENDS_BEFORE_STARTS})


def _display(exposure: Exposure) -> dict[str, str | None]:
    """An exposure as the audit trail shows it."""
    return {
        "exposure_type": str(exposure.exposure_type),
        "starts_on": format_date(exposure.starts_on),
        "ends_on": format_date(exposure.ends_on) if exposure.ends_on else None,
        "note": exposure.note or None,
    }


def _recheck(exposure: Exposure) -> None:
    exposures_recheck(exposure_ids=[exposure.pk])
    exposure.last_check_on, exposure.next_due_on = (
        Exposure.objects.filter(pk=exposure.pk).values_list("last_check_on", "next_due_on").get()
    )


def _repr(exposure: Exposure) -> str:
    return f"{exposure.exposure_type} – {exposure.employee.full_name}"


@transaction.atomic
def exposure_create(
    *,
    actor,
    employee: Employee,
    exposure_type: ExposureType,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    note: str = "",
) -> Exposure:
    _require_manage(actor, employee)
    exposure = Exposure(
        employee=employee,
        department_id=employee.department_id,
        exposure_type=exposure_type,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note or "",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check(exposure, type_changed=True)
    exposure.save(force_insert=True)
    _recheck(exposure)
    audit_record(
        actor=actor,
        action=AuditAction.CREATED,
        obj=exposure,
        changes=audit_changes({}, _display(exposure)),
        object_repr=_repr(exposure),
    )
    return exposure


@transaction.atomic
def exposure_update(*, actor, exposure: Exposure, version: int | None = None, **fields) -> Exposure:
    """Change the given fields (of `EXPOSURE_FIELDS`); refused with `StaleEdit` when someone
    saved the exposure after `version`."""
    _require_manage(actor, exposure.employee)
    version_claim(exposure, version=version)
    before = _display(exposure)
    type_before = exposure.exposure_type_id
    for name, value in fields.items():
        if name not in EXPOSURE_FIELDS:
            raise ValueError(f"{name} is not editable")
        setattr(exposure, name, value)
    exposure.note = exposure.note or ""
    _check(exposure, type_changed=exposure.exposure_type_id != type_before)
    exposure.save()
    _recheck(exposure)
    changes = audit_changes(before, _display(exposure))
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            obj=exposure,
            changes=changes,
            object_repr=_repr(exposure),
        )
    return exposure


@transaction.atomic
def exposure_delete(*, actor, exposure: Exposure) -> None:
    """Remove an exposure registered by mistake (one that ended is ended, not removed)."""
    if not EXPOSURES.allows(actor, exposure, Capability.MANAGE_EMPLOYEES):
        raise PermissionDenied(_("You may not manage employees of this company/department."))
    audit_record(
        actor=actor,
        action=AuditAction.DELETED,
        obj=exposure,
        changes={name: [value, None] for name, value in _display(exposure).items() if value},
        object_repr=_repr(exposure),
    )
    exposure.delete()


EXPOSURE_TYPE_FIELDS = (
    "name",
    "product_group",
    "first_check_months",
    "interval_months",
    "explanation",
    "regulation",
    "is_active",
)


@transaction.atomic
def exposure_type_save(*, actor, exposure_type: ExposureType, version: int | None = None):
    """Create or change an exposure type (staff with the model's permission; the admin asks).
    A type in use is changed in place: its exposures follow the new deadlines from now on."""
    texts_validate(
        {"name": exposure_type.name, "regulation": exposure_type.regulation,
         "explanation": exposure_type.explanation},
        multiline=("explanation",),
    )  # fmt: skip
    creating = exposure_type.pk is None
    if creating:
        before: dict = {}
    else:
        stored = ExposureType.objects.get(pk=exposure_type.pk)
        before = {name: _type_value(stored, name) for name in EXPOSURE_TYPE_FIELDS}
        version_claim(exposure_type, version=version)
    exposure_type.save()
    if not creating and _months_changed(before, exposure_type):
        exposures_due_refresh(Exposure.objects.filter(exposure_type=exposure_type))
    changes = audit_changes(
        before, {name: _type_value(exposure_type, name) for name in EXPOSURE_TYPE_FIELDS}
    )
    if changes:
        action = AuditAction.CREATED if creating else AuditAction.CHANGED
        audit_record(actor=actor, action=action, obj=exposure_type, changes=changes)
    return exposure_type


def _months_changed(before: dict, exposure_type: ExposureType) -> bool:
    return any(
        before[name] != getattr(exposure_type, name)
        for name in ("first_check_months", "interval_months")
    )


def _type_value(exposure_type: ExposureType, name: str):
    value = getattr(exposure_type, name)
    return value if value is None or isinstance(value, bool | int | str) else str(value)


# -- from due to done: an order for the checks ------------------------------------------------


@transaction.atomic
def surveillance_orders_place(*, actor, exposures) -> list[Order]:
    """«Bestill kontroll»: one order per department and check (product group) for the chosen
    exposures, naming their employees, each placed as «Ny bestilling» places it (the KA/KAM
    is told). The contract is the customer's, when exactly one is valid today. All or none:
    a department the user may not order for refuses the whole."""
    groups: dict[tuple[int, int], list[Exposure]] = defaultdict(list)
    for exposure in exposures:
        key = (exposure.employee.department_id, exposure.exposure_type.product_group_id)
        groups[key].append(exposure)
    if not groups:
        raise ValidationError(_("Choose the employees to order a check for."))
    today = timezone.localdate()
    orders = []
    for chosen in groups.values():
        first = chosen[0]
        department = first.employee.department
        contracts = list(
            Contract.objects.filter(customer_id=department.customer_id).valid_on(today)[:2]
        )
        kinds = sorted({str(exposure.exposure_type) for exposure in chosen})
        names = sorted({exposure.employee.full_name for exposure in chosen})
        orders.append(
            order_submit(
                actor=actor,
                department=department,
                contract=contracts[0] if len(contracts) == 1 else None,
                product_group=first.exposure_type.product_group,
                description=_("Health surveillance (%(exposures)s) for %(names)s.")
                % {"exposures": ", ".join(kinds), "names": ", ".join(names)},
            )
        )
    return orders


def exposures_move(*, employee_ids, department_id: int) -> None:
    """The exposures of employees who moved to another department go with them (the due list
    reads the department off the exposure)."""
    Exposure.objects.filter(employee_id__in=employee_ids).update(department_id=department_id)


def exposures_import_write(*, rows, actor, starts_on: datetime.date) -> None:
    """The exposures an employee import adds (each row's `exposure_types`, its employee saved
    by then), from `starts_on`, each with the audit event `exposure_create` writes, in bulk.
    Called inside the import's transaction."""
    made = [
        (
            Exposure(
                employee_id=row.pk,
                department_id=row.department.pk,
                exposure_type=kind,
                starts_on=starts_on,
                created_by=actor if getattr(actor, "pk", None) else None,
            ),
            row.full_name,
        )
        for row in rows
        for kind in row.exposure_types
    ]
    if not made:
        return
    Exposure.objects.bulk_create([exposure for exposure, _name in made], batch_size=1000)
    AuditEvent.objects.bulk_create(
        [
            audit_event(
                actor=actor,
                action=AuditAction.CREATED,
                obj=exposure,
                changes=audit_changes({}, _display(exposure)),
                object_repr=f"{exposure.exposure_type} – {name}",
            )
            for exposure, name in made
        ],
        batch_size=1000,
    )
    exposures_recheck(employee_ids={row.pk for row in rows})
