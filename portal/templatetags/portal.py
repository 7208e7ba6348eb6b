from django import template

from audit.trail import action_label, field_label, field_value
from portal.formatting import format_count, format_nok, user_display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    return user_display_name(user)


@register.filter
def count(value) -> str:
    return format_count(value)


@register.filter
def nok(amount) -> str:
    return format_nok(amount)


#: Fields an action's own name says already: «Deaktivert», not «Deaktivert: aktiv: Ja → Nei».
SAID_BY_THE_ACTION = {"deactivated": {"is_active"}, "reactivated": {"is_active"}}


@register.filter
def audit_summary(event) -> str:
    """'Endret: mobilnummer: 12345678 → 87654321; fødselsnummer'. A national id is named,
    never shown; a field the action names already is left out."""
    model = event.content_type.model_class()
    parts = []
    for name, (old, new) in event.changes.items():
        if name in SAID_BY_THE_ACTION.get(event.action, ()):
            continue
        label = field_label(model, name)
        if name == "national_id":
            parts.append(label)
        elif event.action == "created":
            if new not in (None, ""):
                parts.append(f"{label}: {field_value(model, name, new)}")
        else:
            parts.append(
                f"{label}: {field_value(model, name, old)} → {field_value(model, name, new)}"
            )
    action = action_label(event.action)
    return f"{action}: " + "; ".join(parts) if parts else action
