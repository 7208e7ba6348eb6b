"""Writing and reading the audit trail of one row. Services write their events through
`audit_record` (one) or `audit_event` + `bulk_create` (many); nothing edits an event."""

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEvent


def audit_changes(before: dict, after: dict) -> dict[str, list]:
    """What an event records of a change: {field: [old, new]} for the fields whose value (as
    the trail shows it) differs between the two states; a new row's `before` is all None."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def audit_event(
    *, actor, action: str, obj, changes: dict | None = None, object_repr=None, **fields
) -> AuditEvent:
    """An event not yet written: those of many rows go in one `bulk_create`. `object_repr`
    names the row where its own `str()` says nothing to staff."""
    # An actor who is no user (`portal.services.booking_links.EMPLOYEE_VIA_LINK`) names
    # itself by its `audit_actor_label`.
    fields.setdefault("actor_label", getattr(actor, "audit_actor_label", ""))
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj if object_repr is None else object_repr)[:200],
        changes=changes or {},
        **fields,
    )


def audit_record(
    *, actor, action: str, obj, changes: dict | None = None, object_repr=None
) -> AuditEvent:
    event = audit_event(
        actor=actor, action=action, obj=obj, changes=changes, object_repr=object_repr
    )
    event.save(force_insert=True)
    return event


def audit_for(obj):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
    ).select_related("actor")
