"""Revisjonslogg: the audit trail for staff, filtered by kind, actor and period. Read-only: the
view answers GET only, and nothing on the page is a form that changes anything."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.forms import AuditFilterForm
from audit.trail import audit_entries, audit_rows

PER_PAGE = 50


def may_read_audit_trail(user) -> bool:
    """Staff only: a customer user never reaches the page (403)."""
    return user.is_active and (user.is_staff or user.is_superuser)


@require_GET
def audit_trail(request):
    if not may_read_audit_trail(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entries(
        kind=filters.get("kind") or "",
        actor=filters.get("actor") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "audit/audit_trail.html",
        {
            **admin.site.each_context(request),
            "title": _("Audit trail"),
            "form": form,
            "page": page,
            "rows": audit_rows(list(page.object_list)),
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
        },
    )
