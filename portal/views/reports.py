from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from permissions.navigation import can_view_reports


class ReportsView(TemplateView):
    template_name = "portal/reports.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("Reports"),
        }
