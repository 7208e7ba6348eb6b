from django import template
from django.utils.translation import gettext_lazy as _

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


@register.filter
def audit_summary(event) -> str:
    """'Endret: Mobilnummer 12345678 → 87654321; Fødselsnummer endret'."""
    model = event.content_type.model_class()
    parts = []
    for name, (old, new) in event.changes.items():
        if name == "national_id":
            parts.append(str(_("national identity number changed")))
            continue
        label = field_label(model, name)
        if event.action == "created":
            if new not in (None, ""):
                parts.append(f"{label}: {field_value(model, name, new)}")
        else:
            parts.append(
                f"{label}: {field_value(model, name, old)} → {field_value(model, name, new)}"
            )
    action = action_label(event.action)
    return f"{action}: " + "; ".join(parts) if parts else action
