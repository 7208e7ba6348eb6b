"""Export (and later import) in the scoped admin: allowed by capability for customers and by
a dedicated permission for staff, never just by being an admin user."""

from django.contrib.auth import get_permission_codename
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from unfold.contrib.import_export.forms import ExportForm

from permissions.scoping import has_capability_anywhere, is_unscoped


class ScopedExportMixin(ExportMixin):
    """Export exactly the rows of the list as it is filtered (the changelist's queryset)."""

    export_form_class = ExportForm
    formats = (XLSX, CSV)

    def has_export_permission(self, request):
        if is_unscoped(request.user, self.view_capability):
            codename = get_permission_codename("export", self.opts)
            return request.user.has_perm(f"{self.opts.app_label}.{codename}")
        return has_capability_anywhere(request.user, self.view_capability)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "request": request}

    def get_export_filename(self, request, queryset, file_format):
        from django.utils import timezone

        name = str(self.opts.verbose_name_plural).replace(" ", "-").replace("/", "-")
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"
