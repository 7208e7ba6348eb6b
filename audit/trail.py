"""The audit trail as staff read it: every AuditEvent and every OrderEvent, newest first, in
one list with one set of filters. Nothing here writes; a national id number never shows."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, ForeignObjectRel, Q, QuerySet, Value
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import AuditAction, AuditEvent
from portal.models import OrderEvent
from portal.models.orders import OrderState, OrderStatus
from portal.selectors.periods import local_midnight

AUDIT, ORDER = "audit", "order"
#: Eleven digits in a row (or 6 + 5 with a space): masked wherever it stands, whatever it is.
NATIONAL_ID_LIKE = re.compile(r"(?<!\d)\d{6} ?\d{5}(?!\d)")
MASK = "***********"


@dataclass(frozen=True)
class Kind:
    label: Promise
    models: tuple[str, ...]
    only_actions: tuple[str, ...] = ()
    except_actions: tuple[str, ...] = ()
    order_events: bool = False


KINDS = {
    "orders": Kind(_("Orders"), ("portal.order", "portal.ordermessage"), order_events=True),
    "employees": Kind(
        _("Employees"), ("portal.employee",), except_actions=("national_id_revealed",)
    ),
    "national_ids": Kind(
        _("National identity numbers shown"),
        ("portal.employee",),
        only_actions=("national_id_revealed",),
    ),
    "bookings": Kind(_("Bookings and appointments"), ("portal.booking", "portal.appointment")),
    "invoices": Kind(_("Invoices"), ("portal.invoice", "portal.invoiceline")),
    "access": Kind(_("Portal access"), ("permissions.grant",)),
    # Who read whose health declaration, and the questionnaires' versions: never an answer.
    "health": Kind(
        _("Health declarations"), ("health.questionnaireanswer", "health.questionnaire")
    ),
    # A lock-out of an address as a whole is filed under axes' record of its failed logins.
    "accounts": Kind(_("Sign-in and accounts"), ("auth.user", "axes.accessattempt")),
}
OTHER = _("Other")

ACTIONS = dict(AuditAction.choices)
#: Where a model names an action its own way: an appointment is called off ("avlyst"), a
#: booking cancelled ("avbestilt").
MODEL_ACTIONS = {
    ("portal.appointment", "cancelled"): pgettext_lazy("appointment", "Cancelled"),
}
FIELD_LABELS = {
    "ip_address": _("address"),
    "failed_logins": _("failed logins"),
    "national_id": _("national identity number"),
    "cancelled_bookings": _("cancelled bookings"),
    "lines": _("invoice lines"),
}


def mask_national_ids(text: str) -> str:
    return NATIONAL_ID_LIKE.sub(MASK, text)


def _content_types(models: tuple[str, ...]) -> list[int]:
    ids = []
    for dotted in models:
        app_label, model = dotted.split(".")
        try:
            ids.append(ContentType.objects.get_by_natural_key(app_label, model).pk)
        except ContentType.DoesNotExist:
            continue
    return ids


def _actor_filter(text: str) -> Q:
    query = Q()
    for term in text.split():
        query &= (
            Q(actor__username__icontains=term)
            | Q(actor__first_name__icontains=term)
            | Q(actor__last_name__icontains=term)
            | Q(actor__email__icontains=term)
        )
    return query


def _period(date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    """Whole days in Oslo time, as bounds on the indexed column."""
    query = Q()
    if date_from:
        query &= Q(created_at__gte=local_midnight(date_from))
    if date_to:
        query &= Q(created_at__lt=local_midnight(date_to + datetime.timedelta(days=1)))
    return query


def audit_entries(
    *,
    kind: str = "",
    actor: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """(source, pk, created_at) of every matching event, newest first: one UNION query, so
    the database sorts, counts and pages both tables together."""
    chosen = KINDS.get(kind)
    common = _actor_filter(actor) & _period(date_from, date_to)

    audit = AuditEvent.objects.filter(common)
    if chosen is not None:
        audit = audit.filter(content_type_id__in=_content_types(chosen.models))
        if chosen.only_actions:
            audit = audit.filter(action__in=chosen.only_actions)
        if chosen.except_actions:
            audit = audit.exclude(action__in=chosen.except_actions)
    orders = OrderEvent.objects.filter(common)
    if chosen is not None and not chosen.order_events:
        orders = orders.none()

    def keys(queryset, source):
        return (
            queryset.order_by()  # the models' own ordering is not allowed inside a UNION
            .annotate(source=Value(source, output_field=CharField(max_length=5)))
            .values_list("source", "pk", "created_at")
        )

    return keys(audit, AUDIT).union(keys(orders, ORDER), all=True).order_by("-created_at", "-pk")


@dataclass
class AuditRow:
    created_at: datetime.datetime
    kind: str
    actor: object
    action: str
    summary: str
    object_label: str
    object_url: str | None = None
    actor_label: str = ""  # who acted when no user did ("Ansatt via lenke")


def audit_rows(entries) -> list[AuditRow]:
    """The page's rows for a page of `audit_entries`, in the same order, in 3 queries."""
    wanted: dict[str, list[int]] = {AUDIT: [], ORDER: []}
    for source, pk, _created in entries:
        wanted[source].append(pk)
    events = {
        event.pk: event
        for event in AuditEvent.objects.filter(pk__in=wanted[AUDIT]).select_related(
            "actor", "content_type"
        )
    }
    order_events = {
        event.pk: event
        for event in OrderEvent.objects.filter(pk__in=wanted[ORDER]).select_related(
            "actor", "order"
        )
    }
    rows = []
    for source, pk, _created in entries:
        if source == AUDIT and pk in events:
            rows.append(_audit_row(events[pk]))
        elif source == ORDER and pk in order_events:
            rows.append(_order_row(order_events[pk]))
    return rows


def audit_event_rows(events) -> list[AuditRow]:
    """The rows of audit events already read (with `actor` and `content_type`), in order."""
    return [_audit_row(event) for event in events]


def kind_of(event: AuditEvent) -> str:
    dotted = f"{event.content_type.app_label}.{event.content_type.model}"
    for kind in KINDS.values():
        if dotted not in kind.models:
            continue
        if kind.only_actions and event.action not in kind.only_actions:
            continue
        if event.action in kind.except_actions:
            continue
        return str(kind.label)
    return str(OTHER)


def _admin_url(app_label: str, model: str, object_id) -> str | None:
    try:
        return reverse(f"admin:{app_label}_{model}_change", args=[object_id])
    except NoReverseMatch:
        return None


def _field(model, name: str):
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field since removed, or not a model field
        return None
    return None if isinstance(field, ForeignObjectRel) else field  # a reverse relation


def action_label(action: str, model=None) -> str:
    """The action as staff read it; `model` for an action it names its own way."""
    label = MODEL_ACTIONS.get((model._meta.label_lower, action)) if model is not None else None
    return str(label or ACTIONS.get(action) or action)


def field_label(model, name: str) -> str:
    """A changed field's name as the user knows it, in the summary's lower case: its verbose
    name ("Utestående" → "utestående", "E-post" → "e-post"; "KID" stays)."""
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    field = _field(model, name)
    label = str(field.verbose_name) if field is not None else name
    if not label[:2].isupper():  # an abbreviation keeps its capitals
        label = label[:1].lower() + label[1:]
    return label


def field_value(model, name: str, value) -> str:
    """What the user would have seen: a choice's label, Ja/Nei, not the stored value."""
    if isinstance(value, list):
        # A grant's departments: none listed means every department of the customer.
        return ", ".join(str(v) for v in value) if value else str(_("All"))
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    field = _field(model, name)
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    return str(choices.get(value, value))


def _audit_row(event: AuditEvent) -> AuditRow:
    model = event.content_type.model_class()
    details = []
    for name, change in (event.changes or {}).items():
        label = field_label(model, name)
        if name == "national_id":
            details.append(str(_("national identity number changed")))
            continue
        old, new = [*change, None, None][:2] if isinstance(change, list) else (None, change)
        if event.action == "created" or old is None:
            if new not in (None, ""):
                details.append(f"{label}: {field_value(model, name, new)}")
        elif new is None:
            details.append(f"{label}: {field_value(model, name, old)}")
        else:
            details.append(
                f"{label}: {field_value(model, name, old)} → {field_value(model, name, new)}"
            )
    return AuditRow(
        created_at=event.created_at,
        kind=kind_of(event),
        actor=event.actor,
        actor_label=str(event.get_actor_label_display()) if event.actor_label else "",
        action=action_label(event.action, model),
        summary=mask_national_ids("; ".join(details)),
        object_label=mask_national_ids(event.object_repr),
        object_url=_admin_url(
            event.content_type.app_label, event.content_type.model, event.object_id
        ),
    )


def _choice_label(choices, value: str) -> str:
    if not value:
        return "–"
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _order_action(event: OrderEvent):
    if not event.from_value:
        return _("Order submitted")
    if event.field == OrderEvent.Field.STATE:
        return _("Order state changed")
    return _("Status changed")


def _order_row(event: OrderEvent) -> AuditRow:
    choices = OrderStatus if event.field == OrderEvent.Field.STATUS else OrderState
    summary = (
        f"{event.get_field_display()}: {_choice_label(choices, event.from_value)} → "
        f"{_choice_label(choices, event.to_value)}"
    )
    if event.on_behalf_of_customer:
        summary += f" ({OrderEvent._meta.get_field('on_behalf_of_customer').verbose_name})"
    if event.note:
        summary += f"; {event.note}"
    return AuditRow(
        created_at=event.created_at,
        kind=str(KINDS["orders"].label),
        actor=event.actor,
        action=str(_order_action(event)),
        summary=mask_national_ids(summary),
        object_label=str(_("Order %(number)s") % {"number": event.order.number}),
        object_url=_admin_url("portal", "order", event.order_id),
    )
