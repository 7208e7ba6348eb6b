"""The audit trail for the provider's own systems: who did what to which row, read-only, for
a token without a customer. A write through the API names the token as its actor. Never a
national id number (masked wherever it stands) nor anything of a health declaration (who
read it, not what it says)."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers

from audit.models import AuditAction, AuditEvent
from audit.trail import MASK, mask_national_ids
from audit.views import may_read_audit_trail

from ..filters import IdFilter
from ..models import ApiToken
from ..pagination import UpdatedCursorPagination
from ..permissions import HasScope
from ..scopes import Scope
from ..serializers import author_name
from .base import ReadOnlyViewSet

#: The rows whose events must never carry their content: an employee's health answers.
CONTENTLESS = {("health", "questionnaireanswer")}


def _masked(value):
    """Any eleven digits in the event's values masked, however deep they stand."""
    if isinstance(value, str):
        return mask_national_ids(value)
    if isinstance(value, list):
        return [_masked(item) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    return value


class StaffTokenOnly(permissions.BasePermission):
    """The trail spans every customer: a customer's token never reads it, whatever its
    scopes."""

    message = _("Only a token without a customer may read the audit trail.")

    def has_permission(self, request, view):
        token = request.auth
        return (
            isinstance(token, ApiToken)
            and token.customer_id is None
            and may_read_audit_trail(request.user)
        )


class AuditEventSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField(
        help_text="app_label.model of the row, e.g. portal.employee."
    )
    object_repr = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField(
        help_text="The token's name for a change made through the API; else the person's "
        "name, or who acted when no user did."
    )
    changes = serializers.SerializerMethodField(
        help_text="{field: [old, new]}; a national id number only as changed."
    )

    class Meta:
        model = AuditEvent
        fields = (
            "id",
            "created_at",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "actor",
            "actor_name",
            "changes",
        )
        read_only_fields = fields

    def get_object_type(self, event) -> str:
        content_type = ContentType.objects.get_for_id(event.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def get_object_repr(self, event) -> str:
        return mask_national_ids(event.object_repr)

    def get_actor_name(self, event) -> str:
        if event.actor is None:
            return str(event.get_actor_label_display())
        return author_name(event.actor)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_changes(self, event):
        content_type = ContentType.objects.get_for_id(event.content_type_id)
        if (content_type.app_label, content_type.model) in CONTENTLESS:
            return {}
        changes = dict(event.changes or {})
        if "national_id" in changes:
            changes["national_id"] = [
                None if value in (None, "") else "changed" if value == "changed" else MASK
                for value in changes["national_id"]
            ]
        return _masked(changes)


class AuditEventFilterSet(django_filters.FilterSet):
    since = django_filters.IsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        label=_("At or after this time (ISO 8601, e.g. 2026-12-01T00:00:00+01:00)"),
    )
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    object_type = django_filters.CharFilter(
        method="filter_object_type", label=_("The row's kind, e.g. portal.employee")
    )
    object_id = django_filters.CharFilter(max_length=40)
    actor = IdFilter(field_name="actor_id", min_value=1)

    class Meta:
        model = AuditEvent
        fields = ("since", "action", "object_type", "object_id", "actor")

    def filter_object_type(self, queryset, name, value):
        app_label, _dot, model = value.lower().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


class AuditEventCursorPagination(UpdatedCursorPagination):
    """Oldest first: a system follows `next` and keeps the last `created_at` for `since`."""

    ordering = ("created_at", "pk")


class AuditEventViewSet(ReadOnlyViewSet):
    """The audit trail (revisjonslogg): every recorded change of employees, bookings,
    appointments, invoices, access and sign-ins, oldest first. Tokens without a customer
    only, with the scope audit:read."""

    queryset = AuditEvent.objects.none()  # the schema's; `rows` are the caller's
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    pagination_class = AuditEventCursorPagination
    permission_classes = [HasScope, StaffTokenOnly]
    read_scope = Scope.AUDIT_READ

    def rows(self, user):
        return AuditEvent.objects.select_related("actor__api_token")
