"""Importer fakturaer: the accounting system's invoices and payments, upload → preview →
confirm through the portal's pipeline, for staff with the permission of its own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from imports.admin_mixins import PipelineImportMixin
from imports.forms import InvoiceImportForm
from imports.invoices import InvoiceImporter
from permissions.capabilities import IMPORT_INVOICES
from permissions.scoping import is_staff_with


class InvoiceImportMixin(PipelineImportMixin):
    import_kind = InvoiceImporter.kind
    import_template_name = "portal/invoices/import.html"

    @property
    def import_title(self):
        return _("Import invoices")

    def has_import_permission(self, request) -> bool:
        return is_staff_with(request.user, IMPORT_INVOICES)

    def import_form(self, request, *args):
        return InvoiceImportForm(*args)

    def import_importer(self, request, customer):
        try:
            return InvoiceImporter(actor=request.user)
        except PermissionDenied:
            return None

    def import_previewed(self, request, plan) -> None:
        if plan.ignored_columns and not plan.file_error:
            messages.warning(
                request,
                _("These columns are not read: %(columns)s.")
                % {"columns": ", ".join(plan.ignored_columns)},
            )

    def import_invalid(self, request, plan):
        """Changed since the preview (another import, an edit) so that a row is now wrong:
        nothing saved, each error named by its row and column."""
        for error in plan.errors:
            messages.error(request, str(error))
        if plan.file_error:
            messages.error(request, plan.file_error)
        return redirect(self._url("import"))

    def import_done(self, request, plan) -> None:
        totals = plan.totals
        messages.success(
            request,
            _(
                "Import finished: %(new)d new, %(updated)d updated and %(unchanged)d unchanged "
                "invoices."
            )
            % {"new": totals["new"], "updated": totals["update"], "unchanged": totals["skip"]},
        )
