from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


AUDIT_ACTIONS = {
    "created": pgettext_lazy("audit", "Created"),
    "changed": pgettext_lazy("audit", "Changed"),
    "deactivated": pgettext_lazy("audit", "Deactivated"),
    "reactivated": pgettext_lazy("audit", "Reactivated"),
    "national_id_revealed": _("National identity number shown"),
    "imported": _("Imported"),
}


@register.filter
def audit_summary(event) -> str:
    """'Endret: Mobilnummer 12345678 → 87654321; Fødselsnummer endret'."""
    action = str(AUDIT_ACTIONS.get(event.action, event.action))
    model = event.content_type.model_class()
    parts = []
    for name, (old, new) in event.changes.items():
        if name == "national_id":
            parts.append(str(_("national identity number changed")))
            continue
        try:
            field = model._meta.get_field(name)
        except Exception:
            label, field = name, None
        else:
            label = str(field.verbose_name)
            old, new = _audit_value(field, old), _audit_value(field, new)
        if event.action == "created":
            if new not in (None, ""):
                parts.append(f"{label}: {new}")
        else:
            parts.append(f"{label}: {_or_dash(old)} → {_or_dash(new)}")
    return f"{action}: " + "; ".join(parts) if parts else action


def _or_dash(value) -> str:
    return "–" if value in (None, "") else str(value)


def _audit_value(field, value):
    """What the user would have seen: a choice's label, Ja/Nei, not the stored value."""
    if value is None:
        return None
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value
